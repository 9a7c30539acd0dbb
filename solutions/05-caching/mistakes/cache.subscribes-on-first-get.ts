// Known wrong (the subscription opens on the first get(): an instance that has only written never hears the others).
// A two-layer cache: L1 in this process's memory (fast, private), L2 in Redis (shared by every
// instance, survives restarts). Values are JSON in both layers.
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

export type CacheSource = 'memory' | 'redis' | 'miss';

export interface CacheOptions {
  /** A Redis connection for commands; the cache opens one more for invalidation messages. */
  redis: Redis;
  /** Prefix of every key and of the invalidation channel, e.g. "shop:cache:". */
  namespace: string;
  /** Most entries kept in memory. */
  l1Max: number;
  /** Longest an entry stays in memory; never longer than it has left in Redis. */
  l1TtlMs: number;
  /** Redis failures (the cache then acts as a miss); logged by default. */
  onError?: (error: Error) => void;
}

export interface CacheResult<T> {
  value: T | undefined;
  source: CacheSource;
}

export class MultiLayerCache<T> {
  // The JSON text, not the object: every get() parses its own copy, so one caller mutating
  // its result cannot change what the next one gets, and L1 returns exactly what L2 would.
  readonly #l1: LRUCache<string, string>;
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #options: CacheOptions;
  #ready: Promise<unknown> | undefined;
  /** Names this instance in its messages, so it can skip its own. */
  readonly #id = `${process.pid}-${Math.random().toString(36).slice(2)}`;

  constructor(options: CacheOptions) {
    this.#options = options;
    this.#redis = options.redis;
    this.#l1 = new LRUCache<string, string>({ max: options.l1Max, ttl: options.l1TtlMs });
    // Another instance's set() or del() reaches this one as a message "<sender id> <key>"; a
    // subscribed connection can do nothing else, hence the duplicate. Its own messages are skipped:
    // they would drop the value set() has just put in memory.
    this.#channel = `${options.namespace}invalidate`;
    this.#subscriber = options.redis.duplicate();
    this.#subscriber.on('error', (error: Error) => this.#failed(error));
    this.#subscriber.on('message', (_channel: string, message: string) => {
      const space = message.indexOf(' ');
      if (message.slice(0, space) !== this.#id) this.#l1.delete(message.slice(space + 1));
    });
  }

  /** Resolves once this instance receives other instances' invalidations. */
  ready(): Promise<unknown> {
    return this.#ready ?? Promise.resolve();
  }

  async get(key: string): Promise<CacheResult<T>> {
    this.#ready ??= this.#subscriber.subscribe(this.#channel).catch((error: Error) => this.#failed(error));
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
      if (pttl > 0) this.#l1.set(key, json, { ttl: Math.min(this.#options.l1TtlMs, pttl) });
      return { value: JSON.parse(json) as T, source: 'redis' };
    } catch (error) {
      this.#failed(error as Error);
      return { value: undefined, source: 'miss' };
    }
  }

  async set(key: string, value: T, ttlSeconds: number): Promise<void> {
    const json = JSON.stringify(value);
    this.#l1.set(key, json, { ttl: Math.min(this.#options.l1TtlMs, ttlSeconds * 1000) });
    try {
      // The expiry is set by Redis, atomically with the value.
      await this.#redis.set(this.#key(key), json, 'EX', ttlSeconds);
      // Other instances may hold the previous value in memory: it is no longer the one in Redis.
      await this.#redis.publish(this.#channel, `${this.#id} ${key}`);
    } catch (error) {
      this.#failed(error as Error);
    }
  }

  /** Removes the key from Redis, from this L1, and from every other instance's L1. */
  async del(key: string): Promise<void> {
    this.#l1.delete(key);
    try {
      await this.#redis.del(this.#key(key));
      await this.#redis.publish(this.#channel, `${this.#id} ${key}`);
    } catch (error) {
      this.#failed(error as Error);
      throw error; // an invalidation that did not happen must not look as if it had
    }
  }

  async close(): Promise<void> {
    this.#subscriber.disconnect();
  }

  #key(key: string): string {
    return `${this.#options.namespace}${key}`;
  }

  #failed(error: Error): void {
    (this.#options.onError ?? ((e: Error) => console.error('cache: redis failed', e.message)))(error);
  }
}
