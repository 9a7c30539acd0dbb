// Exercise 05 · cache: memory in front of Redis, expiring together, invalidated everywhere.
// Run it with: npm test -- 05-caching/cache
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, test } from 'vitest';
import { lessonHint, useTestRedis } from '../../shared/testing/index.ts';
import { MultiLayerCache, type CacheOptions } from './cache.ts';

const READ = lessonHint('05-caching', '2. Two layers');
const INVALIDATE = lessonHint('05-caching', '3. Invalidation');
const redis = useTestRedis();
const open: MultiLayerCache<unknown>[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((cache) => cache.close()));
});

/** A cache instance, as one app process would have; all of them share this file's Redis namespace. */
async function instance<T>(overrides: Partial<CacheOptions> = {}): Promise<MultiLayerCache<T>> {
  const cache = new MultiLayerCache<T>({
    redis: redis.rawClient(),
    namespace: `${redis.prefix}cache:`,
    l1Max: 1_000,
    l1TtlMs: 60_000,
    onError: () => {},
    ...overrides,
  });
  open.push(cache as MultiLayerCache<unknown>);
  await sleep(150); // let it connect (and subscribe, if it does)
  return cache;
}

const product = { id: 7, name: 'Kettle', price: '24.90', tags: ['kitchen'] };

describe('multi-layer cache', () => {
  test('says where a value came from: memory on the instance that set it, redis on another', async () => {
    const a = await instance<typeof product>();
    const b = await instance<typeof product>();
    expect(await a.get('product:7'), 'nothing set yet').toEqual({ value: undefined, source: 'miss' });
    await a.set('product:7', product, 60);
    expect(await a.get('product:7')).toEqual({ value: product, source: 'memory' });
    expect(await b.get('product:7'), `Another instance finds it in Redis. ${READ}`).toEqual({ value: product, source: 'redis' });
    expect(await b.get('product:7'), '…and keeps it in memory from then on').toEqual({ value: product, source: 'memory' });
  });

  test('stores JSON in Redis, with an expiry set on the server', async () => {
    const a = await instance<typeof product>();
    await a.set('product:7', product, 120);
    const raw = redis.rawClient();
    const keys = await redis.keys();
    expect(keys, `Expected one key under ${redis.prefix}. ${READ}`).toHaveLength(1);
    const stored = await raw.get(keys[0]!);
    expect(() => JSON.parse(stored ?? ''), `Redis holds "${stored}": serialize with JSON.stringify. ${READ}`).not.toThrow();
    expect(JSON.parse(stored!)).toEqual(product);
    const pttl = await raw.pttl(keys[0]!);
    expect(pttl, `PTTL is ${pttl}: the key must expire in Redis (SET … EX seconds). ${READ}`).toBeGreaterThan(100_000);
    expect(pttl).toBeLessThanOrEqual(120_000);
  });

  test('memory never outlives the Redis entry it was filled from', async () => {
    const a = await instance<typeof product>();
    const b = await instance<typeof product>();
    await a.set('short', product, 2);
    await sleep(1_200);
    expect((await b.get('short')).source).toBe('redis'); // about 0.8 s left in Redis
    await sleep(1_100);
    const later = await b.get('short');
    expect(
      later.source,
      `Redis expired the key, but memory still served it: L1 was filled with its own TTL (60 s) instead of the ` +
        `time left in Redis (PTTL). ${READ}`,
    ).toBe('miss');
  });

  test('del() clears the key from Redis and from the memory of every instance', async () => {
    const a = await instance<typeof product>();
    const b = await instance<typeof product>();
    await a.set('product:7', product, 60);
    await b.get('product:7');
    expect((await b.get('product:7')).source).toBe('memory');
    await a.del('product:7');
    expect((await a.get('product:7')).source).toBe('miss');
    let seen = (await b.get('product:7')).source;
    for (let waited = 0; seen !== 'miss' && waited < 500; waited += 25) {
      await sleep(25);
      seen = (await b.get('product:7')).source;
    }
    expect(
      seen,
      `500 ms after del() on one instance, another still serves the old value from its memory. ${INVALIDATE}`,
    ).toBe('miss');
  });

  test('memory is bounded: at most l1Max entries', async () => {
    const a = await instance<number>({ l1Max: 50 });
    for (let i = 0; i < 500; i += 1) await a.set(`n:${i}`, i, 60);
    const sources = await Promise.all(Array.from({ length: 500 }, (_, i) => a.get(`n:${i}`)));
    const inMemory = sources.filter((result) => result.source === 'memory').length;
    expect(inMemory, `${inMemory} of 500 values came from memory with l1Max 50: an unbounded Map grows until the process dies. ${READ}`).toBeLessThanOrEqual(50);
    expect(sources.every((result, i) => result.value === i), 'every value is still there, from Redis').toBe(true);
  });

  test('a Redis outage degrades to misses; it does not fail the caller', async () => {
    const unreachable = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    unreachable.on('error', () => {});
    const cache = await instance<typeof product>({ redis: unreachable });
    await expect(cache.set('product:7', product, 60), 'set() with Redis down').resolves.toBeUndefined();
    await expect(cache.get('other'), `get() with Redis down is a miss, not an error. ${READ}`).resolves.toMatchObject({ source: 'miss' });
  });
});
