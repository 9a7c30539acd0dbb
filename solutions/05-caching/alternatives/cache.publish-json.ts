// RIGHT: LRUCache L1 holding JSON text, MULTI GET+PTTL, pub/sub invalidation on set and del.
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

export type CacheSource = 'memory' | 'redis' | 'miss';
export interface CacheOptions {
  redis: Redis;
  namespace: string;
  l1Max: number;
  l1TtlMs: number;
  onError?: (error: Error) => void;
}
export interface CacheResult<T> {
  value: T | undefined;
  source: CacheSource;
}

export class MultiLayerCache<T> {
  readonly #l1: LRUCache<string, string>;
  readonly #options: CacheOptions;
  readonly #sub: Redis;
  readonly #channel: string;
  readonly #id = Math.random().toString(36).slice(2);

  constructor(options: CacheOptions) {
    this.#options = options;
    this.#l1 = new LRUCache<string, string>({ max: options.l1Max, ttl: options.l1TtlMs });
    this.#channel = `${options.namespace}__invalidate`;
    this.#sub = options.redis.duplicate();
    this.#sub.on('error', (e) => this.#report(e));
    this.#sub.on('message', (_channel: string, message: string) => {
      const { key, from } = JSON.parse(message) as { key: string; from: string };
      // Its own set() has already put the new value in memory: its message must not drop it.
      if (from !== this.#id) this.#l1.delete(key);
    });
    this.#sub.subscribe(this.#channel).catch((e) => this.#report(e));
  }

  #report(error: unknown) {
    const e = error instanceof Error ? error : new Error(String(error));
    if (this.#options.onError) this.#options.onError(e);
    else console.error('[cache]', e);
  }

  async get(key: string): Promise<CacheResult<T>> {
    const text = this.#l1.get(key);
    if (text !== undefined) return { value: JSON.parse(text) as T, source: 'memory' };
    try {
      const res = await this.#options.redis.multi().get(this.#options.namespace + key).pttl(this.#options.namespace + key).exec();
      if (!res) return { value: undefined, source: 'miss' };
      const [[e1, json], [e2, pttl]] = res as [[Error | null, string | null], [Error | null, number]];
      if (e1) throw e1;
      if (e2) throw e2;
      if (json === null) return { value: undefined, source: 'miss' };
      const ttl = Math.min(this.#options.l1TtlMs, pttl);
      if (ttl > 0) this.#l1.set(key, json, { ttl });
      return { value: JSON.parse(json) as T, source: 'redis' };
    } catch (error) {
      this.#report(error);
      return { value: undefined, source: 'miss' };
    }
  }

  async set(key: string, value: T, ttlSeconds: number): Promise<void> {
    const json = JSON.stringify(value);
    this.#l1.delete(key);
    try {
      await this.#options.redis.set(this.#options.namespace + key, json, 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
      await this.#options.redis.publish(this.#channel, JSON.stringify({ key, from: this.#id }));
      this.#l1.set(key, json, { ttl: Math.min(this.#options.l1TtlMs, Math.round(ttlSeconds * 1000)) });
    } catch (error) {
      this.#report(error);
    }
  }

  async del(key: string): Promise<void> {
    this.#l1.delete(key);
    try {
      await this.#options.redis.del(this.#options.namespace + key);
      await this.#options.redis.publish(this.#channel, JSON.stringify({ key, from: this.#id }));
    } catch (error) {
      this.#report(error);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#l1.clear();
    await this.#sub.quit().catch(() => this.#sub.disconnect());
  }
}
