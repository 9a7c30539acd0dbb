// Another correct design: no invalidation messages at all. Memory entries live at most 200 ms,
// so another instance's del() is seen within that bound; memory still absorbs bursts of reads.
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { CacheOptions, CacheResult, CacheSource } from '../cache.ts';

export type { CacheOptions, CacheResult, CacheSource };

/** How stale another instance's memory may be after a del(). */
const L1_BOUND_MS = 200;

export class MultiLayerCache<T> {
  // The JSON text, not the object: every get() parses its own copy, so one caller mutating
  // its result cannot change what the next one gets, and L1 returns exactly what L2 would.
  readonly #l1: LRUCache<string, string>;
  readonly #redis: Redis;
  readonly #options: CacheOptions;
  readonly #ready: Promise<unknown>;

  constructor(options: CacheOptions) {
    this.#options = options;
    this.#redis = options.redis;
    this.#l1 = new LRUCache<string, string>({ max: options.l1Max, ttl: Math.min(options.l1TtlMs, L1_BOUND_MS) });
    this.#ready = Promise.resolve();
  }

  /** Resolves once this instance receives other instances' invalidations. */
  ready(): Promise<unknown> {
    return this.#ready;
  }

  async get(key: string): Promise<CacheResult<T>> {
    const inMemory = this.#l1.get(key);
    if (inMemory !== undefined) return { value: JSON.parse(inMemory) as T, source: 'memory' };
    try {
      // One round trip for the value and the time it has left.
      const [[, json], [, pttl]] = (await this.#redis.multi().get(this.#key(key)).pttl(this.#key(key)).exec()) as [
        [Error | null, string | null],
        [Error | null, number],
      ];
      if (json === null) return { value: undefined, source: 'miss' };
      // Refill L1 for what is left in Redis at most, or L1 would outlive an expired L2 entry.
      if (pttl > 0) this.#l1.set(key, json, { ttl: Math.min(this.#options.l1TtlMs, L1_BOUND_MS, pttl) });
      return { value: JSON.parse(json) as T, source: 'redis' };
    } catch (error) {
      this.#failed(error as Error);
      return { value: undefined, source: 'miss' };
    }
  }

  async set(key: string, value: T, ttlSeconds: number): Promise<void> {
    const json = JSON.stringify(value);
    this.#l1.set(key, json, { ttl: Math.min(this.#options.l1TtlMs, L1_BOUND_MS, ttlSeconds * 1000) });
    try {
      // The expiry is set by Redis, atomically with the value.
      await this.#redis.set(this.#key(key), json, 'EX', ttlSeconds);
    } catch (error) {
      this.#failed(error as Error);
    }
  }

  /** Removes the key from Redis, from this L1, and from every other instance's L1. */
  async del(key: string): Promise<void> {
    this.#l1.delete(key);
    try {
      await this.#redis.del(this.#key(key));
    } catch (error) {
      this.#failed(error as Error);
      throw error; // an invalidation that did not happen must not look as if it had
    }
  }

  async close(): Promise<void> {}

  #key(key: string): string {
    return `${this.#options.namespace}${key}`;
  }

  #failed(error: Error): void {
    (this.#options.onError ?? ((e: Error) => console.error('cache: redis failed', e.message)))(error);
  }
}
