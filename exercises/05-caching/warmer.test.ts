// Exercise 05 · warmer: warm the hottest products and the category list at start-up, re-warm
// on an interval that never keeps the process alive, overlaps or crashes.
// Run it with: npm test -- 05-caching/warmer
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { pollUntil, suiteSection, useTestDatabase, useTestRedis } from '../../shared/testing/index.ts';
import { createWarmer, type CacheWriter, type Warmer, type WarmerOptions } from './warmer.ts';

const READ = suiteSection('05-caching', '6. Warming');
const db = useTestDatabase();
const redis = useTestRedis();
const warmers: Warmer[] = [];
/** One pool for the test's own queries (db.pool() opens a new pool on every call). */
let ownPool: pg.Pool | undefined;
const sql = () => (ownPool ??= db.pool({ max: 2 }));

beforeAll(async () => {
  await db.prisma().product.count();
});
afterEach(() => {
  warmers.splice(0).forEach((warmer) => warmer.stop());
});

/** Writes to this file's Redis, and records what was written and how many writes overlap. */
function recordingCache(options: { delayMs?: number; failOnCycle?: number; holdOnCycle?: number } = {}) {
  const raw = redis.rawClient();
  const held = gate();
  const record = { cycles: 0, concurrentCycles: 0, maxConcurrentCycles: 0, writes: 0, productKeysPerCycle: [new Set<string>()] };
  const cache: CacheWriter = {
    async set(key, value, ttlSeconds) {
      if (key.startsWith('product:')) record.productKeysPerCycle.at(-1)!.add(key);
      if (key === 'categories:all') {
        // The category list is written once per cycle: count cycles (and overlapping ones) by it.
        record.cycles += 1;
        record.productKeysPerCycle.push(new Set());
        record.concurrentCycles += 1;
        record.maxConcurrentCycles = Math.max(record.maxConcurrentCycles, record.concurrentCycles);
        try {
          if (options.delayMs) await sleep(options.delayMs);
          if (record.cycles === options.holdOnCycle) await held.wait();
          if (record.cycles === options.failOnCycle) throw new Error(`redis unavailable in cycle ${record.cycles}`);
        } finally {
          record.concurrentCycles -= 1;
        }
      }
      record.writes += 1;
      await raw.set(`${redis.prefix}${key}`, JSON.stringify(value), 'EX', ttlSeconds);
    },
  };
  /** Lets the held cycle (holdOnCycle) go on. */
  const release = () => held.open();
  return { cache, record, raw, release };
}

/** Holds every cycle at its category write until opened: a cycle in flight for as long as a test needs. */
interface Gate {
  wait(): Promise<void>;
  open(): void;
}
function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open: () => open() };
}

/** Collects unhandled rejections while `work` runs (and a little after). */
async function unhandledDuring(work: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await work();
    await sleep(50);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return unhandled;
}

function warmer(options: Partial<WarmerOptions> & Pick<WarmerOptions, 'cache'>): Warmer {
  const created = createWarmer({ prisma: db.prisma(), intervalMs: 100, topProducts: 20, onError: () => {}, ...options });
  warmers.push(created);
  return created;
}

function refTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('cache warmer', () => {
  test('start() warms the most viewed products and the category list, with expiry', async () => {
    const { cache, raw, record } = recordingCache();
    await warmer({ cache, intervalMs: 60_000 }).start();
    const { rows: top } = await sql().query<{ id: number; name: string }>(
      `SELECT "id", "name" FROM "Product" ORDER BY "viewCount" DESC, "id" ASC LIMIT 20`,
    );
    for (const product of top) {
      const stored = await raw.get(`${redis.prefix}product:${product.id}`);
      expect(stored, `product:${product.id} (one of the 20 most viewed) should be in the cache after start(). ${READ}`).not.toBeNull();
      expect(JSON.parse(stored!)).toMatchObject({ id: product.id, name: product.name });
      const pttl = await raw.pttl(`${redis.prefix}product:${product.id}`);
      expect(
        pttl,
        `product:${product.id} expires in ${pttl} ms: a warmed product is cached for PRODUCT_TTL_SECONDS (300 s), like one ` +
          `the route caches (ttlSeconds is seconds). ${READ}`,
      ).toBeGreaterThan(200_000);
      expect(pttl, `product:${product.id} expires in ${pttl} ms, past PRODUCT_TTL_SECONDS (300 s). ${READ}`).toBeLessThanOrEqual(300_000);
    }
    // The product route reads these keys as whole products: every field of the row must be there.
    const row = JSON.parse(JSON.stringify(await db.prisma().product.findUnique({ where: { id: top[0]!.id } }))) as Record<string, unknown>;
    const warmed = JSON.parse((await raw.get(`${redis.prefix}product:${top[0]!.id}`)) ?? '{}') as Record<string, unknown>;
    expect(
      Object.keys(warmed).sort(),
      `The product route serves product:${top[0]!.id} as it finds it in the cache: warm the whole product, every field. ${READ}`,
    ).toEqual(Object.keys(row).sort());
    expect(Number(warmed.price)).toBe(Number(row.price));
    const warmedKeys = record.productKeysPerCycle[0]!;
    expect(warmedKeys.size, `topProducts is 20: warm the 20 most viewed products, not ${warmedKeys.size}. ${READ}`).toBe(20);
    const categories = JSON.parse((await raw.get(`${redis.prefix}categories:all`)) ?? '[]') as { id: number; name: string; productCount: number }[];
    const { rows } = await sql().query<{ id: number; name: string; count: string }>(
      `SELECT c."id", c."name", count(p."id") FROM "Category" c LEFT JOIN "Product" p ON p."categoryId" = c."id" GROUP BY c."id" ORDER BY c."id"`,
    );
    const categoriesTtl = await raw.pttl(`${redis.prefix}categories:all`);
    expect(
      categoriesTtl,
      `categories:all expires in ${categoriesTtl} ms: it is cached for CATEGORIES_TTL_SECONDS (3,600 s), not a product's 300 s. ${READ}`,
    ).toBeGreaterThan(3_000_000);
    expect(categoriesTtl, `categories:all expires in ${categoriesTtl} ms, past CATEGORIES_TTL_SECONDS (3,600 s). ${READ}`).toBeLessThanOrEqual(3_600_000);
    expect(
      categories.map(({ id, name, productCount }) => ({ id, name, productCount })),
      `categories:all is every category as { id, name, productCount }, by id. ${READ}`,
    ).toEqual(rows.map((row) => ({ id: row.id, name: row.name, productCount: Number(row.count) })));
  });

  test('warmOnce() runs one cycle and says how much it warmed', async () => {
    const { cache, record } = recordingCache();
    const once = warmer({ cache, intervalMs: 60_000, topProducts: 7 });
    const { rows } = await sql().query<{ n: number }>('SELECT count(*)::int AS n FROM "Category"');
    expect(await once.warmOnce(), `warmOnce() resolves to { products, categories }: how many of each it warmed. ${READ}`).toEqual({
      products: 7,
      categories: rows[0]!.n,
    });
    expect(record.cycles, 'one cycle, and no interval: warmOnce() is not start()').toBe(1);
    await sleep(50);
    expect(record.cycles).toBe(1);
  });

  test('re-warms on its interval, and stop() stops it', async () => {
    const { cache, record } = recordingCache();
    const running = warmer({ cache, intervalMs: 100 });
    await running.start();
    await pollUntil(() => record.cycles >= 4, 2_000);
    expect(record.cycles - 1, `intervalMs 100: 3 more cycles expected within 2 s of start(), saw ${record.cycles - 1}. ${READ}`).toBeGreaterThanOrEqual(3);
    const atStop = record.cycles;
    running.stop();
    await sleep(600);
    // One cycle may already have been under way (its category write not yet made) when stop() was called.
    expect(record.cycles, `no cycle may start after stop(): ${record.cycles - atStop} finished after it. ${READ}`).toBeLessThanOrEqual(atStop + 1);
  });

  test('its timer does not keep the process alive', async () => {
    const { cache } = recordingCache();
    // The warmer's own timers are told apart from the database's and Redis's by their delay.
    const intervalMs = 61_237;
    const scheduled: { delay: unknown; timer: NodeJS.Timeout }[] = [];
    type Schedule = (callback: () => void, delay?: number, ...args: unknown[]) => NodeJS.Timeout;
    const realSetInterval = globalThis.setInterval as unknown as Schedule;
    const realSetTimeout = globalThis.setTimeout as unknown as Schedule;
    const spies = [
      vi.spyOn(globalThis, 'setInterval').mockImplementation(((callback: () => void, delay?: number, ...args: unknown[]) => {
        const timer = realSetInterval(callback, delay, ...args);
        scheduled.push({ delay, timer });
        return timer;
      }) as Schedule as unknown as typeof setInterval),
      vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, delay?: number, ...args: unknown[]) => {
        const timer = realSetTimeout(callback, delay, ...args);
        scheduled.push({ delay, timer });
        return timer;
      }) as Schedule as unknown as typeof setTimeout),
    ];
    const before = refTimers();
    try {
      await warmer({ cache, intervalMs }).start();
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    const own = scheduled.filter(({ delay }) => delay === intervalMs);
    if (own.length > 0) {
      expect(
        own.filter(({ timer }) => timer.hasRef()).length,
        `A ref'd interval keeps Node running after the server has closed: unref() it. ${READ}`,
      ).toBe(0);
    } else {
      // Scheduled some other way (timers/promises…): judge by the process's ref'd timers.
      expect(refTimers(), `A ref'd interval keeps Node running after the server has closed: unref() it. ${READ}`).toBeLessThanOrEqual(before);
    }
  });

  test('after several cycles, none of its timers keeps the process alive', async () => {
    const { cache, record } = recordingCache();
    // Told apart from the database's and Redis's timers by this delay.
    const intervalMs = 137;
    const scheduled: { delay: unknown; timer: NodeJS.Timeout }[] = [];
    type Schedule = (callback: () => void, delay?: number, ...args: unknown[]) => NodeJS.Timeout;
    const realSetInterval = globalThis.setInterval as unknown as Schedule;
    const realSetTimeout = globalThis.setTimeout as unknown as Schedule;
    const spies = [
      vi.spyOn(globalThis, 'setInterval').mockImplementation(((callback: () => void, delay?: number, ...args: unknown[]) => {
        const timer = realSetInterval(callback, delay, ...args);
        scheduled.push({ delay, timer });
        return timer;
      }) as Schedule as unknown as typeof setInterval),
      vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, delay?: number, ...args: unknown[]) => {
        const timer = realSetTimeout(callback, delay, ...args);
        scheduled.push({ delay, timer });
        return timer;
      }) as Schedule as unknown as typeof setTimeout),
    ];
    const before = refTimers();
    let refAfter = 0;
    try {
      await warmer({ cache, intervalMs }).start();
      await pollUntil(() => record.cycles >= 4, 5_000);
      refAfter = refTimers();
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(record.cycles, `intervalMs ${intervalMs}: 4 cycles expected within 5 s of start(), saw ${record.cycles}. ${READ}`).toBeGreaterThanOrEqual(4);
    const own = scheduled.filter(({ delay }) => delay === intervalMs);
    if (own.length > 0) {
      const refd = own.filter(({ timer }) => timer.hasRef()).length;
      expect(
        refd,
        `${refd} of the ${own.length} timers the warmer scheduled over 4 cycles are ref'd: every timer it schedules ` +
          `(each setTimeout of a chain, not only the first) must be unref()'d, or the process cannot exit. ${READ}`,
      ).toBe(0);
    } else {
      expect(refAfter, `After 4 cycles the process has more ref'd timers than before start(): unref() every timer. ${READ}`).toBeLessThanOrEqual(before);
    }
  });

  test('a failed cycle is reported, crashes nothing, and the next cycle runs', async () => {
    const { cache, record } = recordingCache({ failOnCycle: 2 });
    const errors: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await warmer({ cache, intervalMs: 100, onError: (error) => errors.push(error.message) }).start();
      await pollUntil(() => record.cycles >= 3, 2_000);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled, `A rejected cycle was not handled: since Node 15 that ends the process. ${READ}`).toEqual([]);
    expect(errors, 'the failure reaches onError').toContain('redis unavailable in cycle 2');
    expect(record.cycles, 'cycles go on after the failed one').toBeGreaterThanOrEqual(3);
  });

  test('a failing first cycle does not fail start(): it is reported, and the interval still re-warms', async () => {
    const { cache, record } = recordingCache({ failOnCycle: 1 });
    const errors: string[] = [];
    let outcome: unknown = 'resolved';
    const unhandled = await unhandledDuring(async () => {
      await warmer({ cache, intervalMs: 100, onError: (error) => errors.push(error.message) })
        .start()
        .catch((error: unknown) => (outcome = error));
      await pollUntil(() => record.cycles >= 3, 2_000);
    });
    expect(
      outcome,
      `start() rejected because its first cycle failed (Redis or the database down at boot): the first cycle is a ` +
        `cycle like any other, caught and reported. ${READ}`,
    ).toBe('resolved');
    expect(unhandled, `A rejected cycle was not handled. ${READ}`).toEqual([]);
    expect(errors, 'the first cycle\'s failure reaches onError').toContain('redis unavailable in cycle 1');
    expect(record.cycles, `the interval runs after a failed first cycle: ${record.cycles - 1} more cycles within 2 s. ${READ}`).toBeGreaterThanOrEqual(3);
  });

  test('without onError, a failed cycle is logged and crashes nothing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { cache } = recordingCache({ failOnCycle: 1 });
      const unhandled = await unhandledDuring(async () => {
        await expect(warmer({ cache, intervalMs: 60_000, onError: undefined }).start(), `start() with a failing cycle and no onError. ${READ}`).resolves.toBeUndefined();
      });
      expect(unhandled, `A rejected cycle was not handled. ${READ}`).toEqual([]);
      expect(logged.mock.calls.length + warned.mock.calls.length, `onError is optional: a failed cycle is logged by default. ${READ}`).toBeGreaterThan(0);
    } finally {
      logged.mockRestore();
      warned.mockRestore();
    }
  });

  test('stop() while an interval cycle runs: that cycle may finish, no other starts', async () => {
    const { cache, record, release } = recordingCache({ holdOnCycle: 2 });
    try {
      const running = warmer({ cache, intervalMs: 50 });
      await running.start();
      await pollUntil(() => record.concurrentCycles === 1, 5_000);
      expect(record.cycles, 'the second cycle (the first from the interval) is under way, held at its category write').toBe(2);
      running.stop();
      release();
      await sleep(500); // ten intervals
      expect(
        record.cycles,
        `stop() was called while cycle 2 ran; ${record.cycles - 2} more cycles started after it. A cycle that ends after ` +
          `stop() must not schedule the next one (with a setTimeout chain: check a stopped flag). ${READ}`,
      ).toBe(2);
    } finally {
      release();
    }
  });

  test('stop() while start() is still warming: no interval is left behind', async () => {
    const { cache, record, release } = recordingCache({ holdOnCycle: 1 });
    try {
      const running = warmer({ cache, intervalMs: 50 });
      const starting = running.start();
      await pollUntil(() => record.concurrentCycles === 1, 5_000);
      expect(record.cycles, 'the first cycle is under way, held at its category write').toBe(1);
      running.stop(); // e.g. the server is shut down while it is still booting
      release();
      await starting;
      await sleep(500); // ten intervals
      expect(
        record.cycles,
        `stop() was called during start()'s first cycle; ${record.cycles - 1} cycles ran after it: start() set its ` +
          `interval after stop() had been called. ${READ}`,
      ).toBe(1);
    } finally {
      release();
    }
  });

  test('cycles never overlap, even when one takes longer than the interval', async () => {
    const { cache, record } = recordingCache({ delayMs: 250 });
    await warmer({ cache, intervalMs: 50 }).start();
    await sleep(700);
    expect(record.maxConcurrentCycles, `Each cycle took 250 ms with a 50 ms interval; ${record.maxConcurrentCycles} ran at once. ${READ}`).toBe(1);
  });
});
