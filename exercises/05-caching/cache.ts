// A two-layer cache: L1 in this process's memory (fast, private), L2 in Redis (shared by every
// instance, survives restarts). Values are JSON in both layers.
import type { Redis } from 'ioredis';

export type CacheSource = 'memory' | 'redis' | 'miss';

export interface CacheOptions {
  /** A Redis connection for commands; the cache may open more (e.g. redis.duplicate()). */
  redis: Redis;
  /** Prefix of every key (and channel) the cache uses, e.g. "shop:cache:". */
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
  // TODO: the tutorial's cache, typed. Its memory layer is a Map: no limit, no expiry. Redis
  // keys never expire, a refill from Redis forgets how long the value has left, del() only
  // clears this process, and a Redis error fails the caller. Fix all five.
  readonly #l1 = new Map<string, T>();
  readonly #options: CacheOptions;

  constructor(options: CacheOptions) {
    this.#options = options;
  }

  async get(key: string): Promise<CacheResult<T>> {
    const inMemory = this.#l1.get(key);
    if (inMemory !== undefined) return { value: inMemory, source: 'memory' };
    const json = await this.#options.redis.get(this.#options.namespace + key);
    if (json === null) return { value: undefined, source: 'miss' };
    const value = JSON.parse(json) as T;
    this.#l1.set(key, value);
    return { value, source: 'redis' };
  }

  async set(key: string, value: T, _ttlSeconds: number): Promise<void> {
    this.#l1.set(key, value);
    await this.#options.redis.set(this.#options.namespace + key, JSON.stringify(value));
  }

  async del(key: string): Promise<void> {
    this.#l1.delete(key);
    await this.#options.redis.del(this.#options.namespace + key);
  }

  async close(): Promise<void> {}
}
