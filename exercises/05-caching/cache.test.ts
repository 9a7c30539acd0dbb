// Exercise 05 · cache: memory in front of Redis, expiring together, invalidated everywhere.
// Run it with: npm test -- 05-caching/cache
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { lessonHint, suiteSection, useTestRedis } from '../../shared/testing/index.ts';
import { MultiLayerCache, type CacheOptions } from './cache.ts';

const READ = suiteSection('05-caching', '2. Two layers');
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
  // Let it connect (and subscribe, if it does): ready() where the design has one, a pause otherwise.
  const ready = (cache as { ready?: () => Promise<unknown> }).ready;
  if (typeof ready === 'function') await ready.call(cache);
  else await sleep(150);
  return cache;
}

/**
 * How long another instance may take to hear an invalidation: PUBLISH returns before subscribers
 * have read it, and a busy machine delays them; memory would keep the old value for 60 s.
 */
const HEARS_WITHIN_MS = 5_000;

const product = { id: 7, name: 'Kettle', price: '24.90', tags: ['kitchen'] };

/** The full Redis name of a cache key (the namespace is the learner's; the key ends the name). */
async function redisKeyOf(key: string): Promise<string> {
  const found = (await redis.keys()).filter((name) => name.endsWith(key));
  expect(found, `Expected one Redis key ending in "${key}" under the namespace. ${READ}`).toHaveLength(1);
  return found[0]!;
}

/** A Redis client for a port nothing listens on: every command fails at once. */
function unreachableRedis(): Redis {
  const unreachable = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  unreachable.on('error', () => {});
  return unreachable;
}

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

  test('memory never outlives the Redis entry it was filled from, on any instance', async () => {
    const a = await instance<typeof product>();
    const b = await instance<typeof product>();
    await a.set('short', product, 2);
    const setAt = Date.now();
    // Time passing in Redis, without waiting for it: the entry now has 1.6 s left, a fraction of a second that
    // TTL (whole seconds, rounded) would report as 2 s.
    const expiresAt = Date.now() + 1_600;
    await redis.rawClient().pexpire(await redisKeyOf('short'), 1_600);
    const first = (await b.get('short')).source;
    // Judged only when the read came before the expiry (a busy machine may stall past it).
    if (Date.now() < expiresAt) expect(first, `b reads it from Redis, with 1.6 s left there. ${READ}`).toBe('redis');
    await sleep(1_700);
    const later = await b.get('short');
    expect(
      later.source,
      `Redis expired the key, but b's memory still served it: L1 was refilled with its own TTL (60 s), the TTL ` +
        `the value was first set with, or TTL in whole seconds (1.6 s left reads as 2), instead of the milliseconds ` +
        `left in Redis (PTTL). ${READ}`,
    ).toBe('miss');
    await sleep(Math.max(0, setAt + 2_200 - Date.now()));
    const onWriter = await a.get('short');
    expect(
      onWriter.source,
      `a set the value with ttlSeconds 2; 2.2 s later it still served it from memory: set() must keep it in memory ` +
        `for at most min(l1TtlMs, ttlSeconds). ${READ}`,
    ).toBe('miss');
  });

  test('l1TtlMs bounds memory on every instance, whatever is left in Redis', async () => {
    const a = await instance<typeof product>({ l1TtlMs: 300 });
    const b = await instance<typeof product>({ l1TtlMs: 300 });
    await a.set('brief', product, 60);
    const filledAt = Date.now();
    expect((await b.get('brief')).source).toBe('redis');
    const second = (await b.get('brief')).source;
    // Judged only when the second read came well within l1TtlMs: a busy machine may take longer.
    if (Date.now() - filledAt < 200) expect(second, `b read it again at once. ${READ}`).toBe('memory');
    await sleep(700);
    for (const [name, cache] of [['a (which set it)', a], ['b (which read it from Redis)', b]] as const) {
      const { source, value } = await cache.get('brief');
      expect(
        source,
        `With l1TtlMs 300, ${name} still served the value from memory 700 ms later (Redis has it for 60 s): memory ` +
          `keeps an entry for min(l1TtlMs, time left in Redis). ${READ}`,
      ).toBe('redis');
      expect(value).toEqual(product);
    }
  });

  test('memory expires on time even for a key read all the time: a read does not extend its life', async () => {
    const a = await instance<typeof product>({ l1TtlMs: 300 });
    const b = await instance<typeof product>();
    await a.set('hot', product, 60);
    await a.set('hot-short', product, 60);
    const expiresAt = Date.now() + 600;
    await redis.rawClient().pexpire(await redisKeyOf('hot-short'), 600);
    const first = (await b.get('hot-short')).source;
    if (Date.now() < expiresAt) expect(first, `b reads it from Redis, with 0.6 s left there. ${READ}`).toBe('redis');
    // Both keys read every 50 ms for well past their lifetimes: l1TtlMs 300 on a, 0.6 s left in Redis for b.
    const sourcesOnA: string[] = []; // the reads made 600 ms (twice l1TtlMs) or more after the set()
    let lastOnB = '';
    const started = Date.now();
    while (Date.now() - started < 1_500) {
      const onA = (await a.get('hot')).source;
      if (Date.now() - started >= 600) sourcesOnA.push(onA);
      lastOnB = (await b.get('hot-short')).source;
      await sleep(50);
    }
    expect(
      sourcesOnA.includes('redis'),
      `With l1TtlMs 300, a key read every 50 ms came from memory every time from 0.6 s to 1.5 s: each read restarted its ` +
        `clock (e.g. lru-cache's updateAgeOnGet). An entry lives in memory for min(l1TtlMs, time left in Redis) ` +
        `from when it was filled, however often it is read. ${READ}`,
    ).toBe(true);
    expect(
      lastOnB,
      `Redis expired a key 0.6 s after b read it, but b, reading it every 50 ms, still served it 1.5 s later: a ` +
        `read must not extend an entry's life in memory. ${READ}`,
    ).toBe('miss');
  });

  test('set() on one instance replaces the value another instance holds in memory', async () => {
    const a = await instance<typeof product>();
    const b = await instance<typeof product>();
    const renamed = { ...product, name: 'Kettle, 2 l' };
    await a.set('product:11', product, 120);
    expect((await b.get('product:11')).source).toBe('redis');
    expect((await b.get('product:11')).source, 'b now holds it in memory').toBe('memory');
    await a.set('product:11', renamed, 120);
    let seen = (await b.get('product:11')).value;
    for (const giveUp = Date.now() + HEARS_WITHIN_MS; seen?.name !== renamed.name && Date.now() < giveUp; ) {
      await sleep(25);
      seen = (await b.get('product:11')).value;
    }
    expect(
      seen,
      `5 s after a second set() on another instance, b still serves the first value from its memory: a set() ` +
        `replaces a value everywhere, so it invalidates other instances' memory as del() does. ${INVALIDATE}`,
    ).toEqual(renamed);
  });

  test('set() replaces a value: in memory, in Redis, its expiry, and for other instances', async () => {
    const a = await instance<typeof product>();
    const b = await instance<typeof product>();
    const renamed = { ...product, name: 'Kettle, 2 l', tags: ['kitchen', 'sale'] };
    await a.set('product:8', product, 120);
    expect((await a.get('product:8')).value).toEqual(product);
    await a.set('product:8', renamed, 30);
    expect(await a.get('product:8'), `a set product:8 twice and read back the first value. ${READ}`).toEqual({ value: renamed, source: 'memory' });
    const key = await redisKeyOf('product:8');
    const raw = redis.rawClient();
    expect(JSON.parse((await raw.get(key)) ?? 'null'), `Redis still holds the first value after a second set(). ${READ}`).toEqual(renamed);
    const pttl = await raw.pttl(key);
    expect(pttl, `The second set() had ttlSeconds 30, PTTL is ${pttl}: each set() sets its own expiry. ${READ}`).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(30_000);
    expect(await b.get('product:8'), `Another instance reads the second value from Redis. ${READ}`).toEqual({ value: renamed, source: 'redis' });
  });

  test('a value reads the same from every layer, and no caller can change what the next one reads', async () => {
    type Row = { id: number; name: string; updatedAt: Date | string; tags: string[] };
    const a = await instance<Row>();
    const b = await instance<Row>();
    const updatedAt = new Date('2024-05-01T10:00:00.000Z');
    const row: Row = { id: 9, name: 'Teapot', updatedAt, tags: ['kitchen'] };
    await a.set('product:9', row, 60);
    row.name = 'changed after set()'; // the caller's own object: the cache holds what was set
    const fromMemory = await a.get('product:9');
    const fromRedis = await b.get('product:9');
    expect([fromMemory.source, fromRedis.source]).toEqual(['memory', 'redis']);
    expect(
      fromMemory.value,
      `The same entry read from memory and from Redis must look the same: JSON turns a Date into a string, so keep ` +
        `the JSON text in memory too and parse it on every read. ${READ}`,
    ).toEqual(fromRedis.value);
    expect(fromRedis.value).toEqual({ id: 9, name: 'Teapot', updatedAt: updatedAt.toISOString(), tags: ['kitchen'] });
    try {
      fromMemory.value!.name = 'changed by a caller';
      fromMemory.value!.tags.push('sale');
    } catch {
      // frozen values are fine too
    }
    expect(
      (await a.get('product:9')).value,
      `One caller changed the object get() gave it, and the next get() returned the change: memory must not hand ` +
        `out the object it keeps. ${READ}`,
    ).toEqual({ id: 9, name: 'Teapot', updatedAt: updatedAt.toISOString(), tags: ['kitchen'] });
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
    for (const giveUp = Date.now() + HEARS_WITHIN_MS; seen !== 'miss' && Date.now() < giveUp; ) {
      await sleep(25);
      seen = (await b.get('product:7')).source;
    }
    expect(
      seen,
      `5 s after del() on one instance, another still serves the old value from its memory. ${INVALIDATE}`,
    ).toBe('miss');
  });

  test('memory is bounded: at most l1Max entries', async () => {
    const a = await instance<number>({ l1Max: 50 });
    for (let i = 0; i < 500; i += 1) await a.set(`n:${i}`, i, 60);
    const sources = await Promise.all(Array.from({ length: 500 }, (_, i) => a.get(`n:${i}`)));
    const inMemory = sources.filter((result) => result.source === 'memory').length;
    expect(inMemory, `${inMemory} of 500 values came from memory with l1Max 50: an unbounded Map grows until the process dies. ${READ}`).toBeLessThanOrEqual(50);
    expect(sources.every((result, i) => result.value === i), 'every value is still there, from Redis').toBe(true);
    // Memory also fills from Redis reads, on an instance that set nothing: the bound holds there too.
    const b = await instance<number>({ l1Max: 50 });
    for (let i = 0; i < 500; i += 1) await b.get(`n:${i}`);
    const again = await Promise.all(Array.from({ length: 500 }, (_, i) => b.get(`n:${i}`)));
    const heldByB = again.filter((result) => result.source === 'memory').length;
    expect(
      heldByB,
      `Another instance read 500 keys from Redis with l1Max 50, and then served ${heldByB} of them from memory: the bound ` +
        `applies to every entry memory takes, from set() or from a read. ${READ}`,
    ).toBeLessThanOrEqual(50);
  });

  test('values that are falsy are values: 0, false, null and "" come from memory', async () => {
    const a = await instance<unknown>();
    const values: unknown[] = [0, false, null, ''];
    for (const [i, value] of values.entries()) await a.set(`falsy:${i}`, value, 300);
    const read = await Promise.all(values.map((_, i) => a.get(`falsy:${i}`)));
    expect(
      read,
      `Each value was set on this instance: it is in memory, whatever it is. A check like if (value) or value || … takes ` +
        `0, false, null and "" for a miss. ${READ}`,
    ).toEqual(values.map((value) => ({ value, source: 'memory' })));
  });

  test('an instance that has only set() values still hears invalidations', async () => {
    const a = await instance<typeof product>();
    const b = await instance<typeof product>();
    const renamed = { ...product, name: 'Kettle, set by a' };
    await b.set('product:12', product, 120); // b holds it in memory, and has read nothing yet
    await a.set('product:12', renamed, 120);
    let seen = (await b.get('product:12')).value;
    for (const giveUp = Date.now() + HEARS_WITHIN_MS; seen?.name !== renamed.name && Date.now() < giveUp; ) {
      await sleep(25);
      seen = (await b.get('product:12')).value;
    }
    expect(
      seen,
      `b set product:12, then a set it again: 5 s later b still served its own value from memory. Subscribe when the cache ` +
        `is created, not on its first get(): an instance that writes before it reads must hear the others too. ${INVALIDATE}`,
    ).toEqual(renamed);
  });

  test('a Redis outage degrades to misses; it does not fail the caller, and each failure is reported', async () => {
    const errors: Error[] = [];
    const cache = await instance<typeof product>({ redis: unreachableRedis(), onError: (error) => errors.push(error) });
    let reported = errors.length;
    await expect(cache.set('product:7', product, 60), 'set() with Redis down').resolves.toBeUndefined();
    expect(errors.length, `set() failed to reach Redis: report it to onError, then carry on. ${READ}`).toBeGreaterThan(reported);
    reported = errors.length;
    await expect(cache.get('other'), `get() with Redis down is a miss, not an error. ${READ}`).resolves.toMatchObject({ source: 'miss' });
    expect(errors.length, `get() failed to reach Redis: report it to onError, then answer a miss. ${READ}`).toBeGreaterThan(reported);
  });

  test('a del() that cannot reach Redis rejects: an invalidation that did not happen must not look done', async () => {
    const errors: Error[] = [];
    const cache = await instance<typeof product>({ redis: unreachableRedis(), onError: (error) => errors.push(error) });
    await cache.set('product:7', product, 60);
    let outcome = 'resolved';
    await cache.del('product:7').catch(() => (outcome = 'rejected'));
    expect(
      outcome,
      `del() with Redis down resolved as if the key were gone from Redis and from every instance: reject, so the ` +
        `writer does not answer as if the old value could no longer be served. ${INVALIDATE}`,
    ).toBe('rejected');
    expect((await cache.get('product:7')).source, 'this instance\'s own memory is cleared all the same').toBe('miss');
  });

  test('close() closes every connection the cache opened itself', async () => {
    const connectionName = `wb-cache-close-${process.pid}-${Date.now()}`;
    const base = redis.rawClient({ connectionName });
    const cache = await instance<typeof product>({ redis: base });
    await cache.set('product:7', product, 60);
    const admin = redis.rawClient();
    const named = async () =>
      String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${connectionName} `)).length;
    await cache.close();
    for (let waited = 0; (await named()) > 1 && waited < 2_000; waited += 50) await sleep(50);
    const left = await named();
    expect(
      left,
      `After close(), ${left} connections named like the one passed in are still open; 1 (the caller's own) is expected: ` +
        `close the connections the cache opened (e.g. its subscriber from redis.duplicate()). ${INVALIDATE}`,
    ).toBeLessThanOrEqual(1);
  });

  test('without onError, a Redis outage is logged, and still does not fail the caller', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const cache = await instance<typeof product>({ redis: unreachableRedis(), onError: undefined });
      await expect(cache.set('product:7', product, 60), `set() with Redis down and no onError. ${READ}`).resolves.toBeUndefined();
      await expect(cache.get('other'), `get() with Redis down and no onError is a miss. ${READ}`).resolves.toMatchObject({ source: 'miss' });
      expect(logged.mock.calls.length + warned.mock.calls.length, `onError is optional: Redis failures are logged by default. ${READ}`).toBeGreaterThan(0);
    } finally {
      logged.mockRestore();
      warned.mockRestore();
    }
  });
});
