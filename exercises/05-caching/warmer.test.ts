// Exercise 05 · warmer: warm the hottest products and the category list at start-up, re-warm
// on an interval that never keeps the process alive, overlaps or crashes.
// Run it with: npm test -- 05-caching/warmer
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { lessonHint, useTestDatabase, useTestRedis } from '../../shared/testing/index.ts';
import { createWarmer, type CacheWriter, type Warmer, type WarmerOptions } from './warmer.ts';

const READ = lessonHint('05-caching', '6. Warming');
const db = useTestDatabase();
const redis = useTestRedis();
const warmers: Warmer[] = [];

beforeAll(async () => {
  await db.prisma().product.count();
});
afterEach(() => {
  warmers.splice(0).forEach((warmer) => warmer.stop());
});

/** Writes to this file's Redis, and records what was written and how many writes overlap. */
function recordingCache(options: { delayMs?: number; failOnCycle?: number } = {}) {
  const raw = redis.rawClient();
  const record = { cycles: 0, concurrentCycles: 0, maxConcurrentCycles: 0, writes: 0 };
  const cache: CacheWriter = {
    async set(key, value, ttlSeconds) {
      if (key === 'categories:all') {
        // The category list is written once per cycle: count cycles (and overlapping ones) by it.
        record.cycles += 1;
        record.concurrentCycles += 1;
        record.maxConcurrentCycles = Math.max(record.maxConcurrentCycles, record.concurrentCycles);
        try {
          if (options.delayMs) await sleep(options.delayMs);
          if (record.cycles === options.failOnCycle) throw new Error(`redis unavailable in cycle ${record.cycles}`);
        } finally {
          record.concurrentCycles -= 1;
        }
      }
      record.writes += 1;
      await raw.set(`${redis.prefix}${key}`, JSON.stringify(value), 'EX', ttlSeconds);
    },
  };
  return { cache, record, raw };
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
    const { cache, raw } = recordingCache();
    await warmer({ cache, intervalMs: 60_000 }).start();
    const { rows: top } = await db.pool().query<{ id: number; name: string }>(
      `SELECT "id", "name" FROM "Product" ORDER BY "viewCount" DESC, "id" ASC LIMIT 20`,
    );
    for (const product of top) {
      const stored = await raw.get(`${redis.prefix}product:${product.id}`);
      expect(stored, `product:${product.id} (one of the 20 most viewed) should be in the cache after start(). ${READ}`).not.toBeNull();
      expect(JSON.parse(stored!)).toMatchObject({ id: product.id, name: product.name });
      expect(await raw.pttl(`${redis.prefix}product:${product.id}`)).toBeGreaterThan(0);
    }
    const categories = JSON.parse((await raw.get(`${redis.prefix}categories:all`)) ?? '[]') as { id: number; productCount: number }[];
    const { rows } = await db.pool().query<{ id: number; count: string }>(
      `SELECT c."id", count(p."id") FROM "Category" c LEFT JOIN "Product" p ON p."categoryId" = c."id" GROUP BY c."id" ORDER BY c."id"`,
    );
    expect(categories.map(({ id, productCount }) => ({ id, productCount }))).toEqual(rows.map((row) => ({ id: row.id, productCount: Number(row.count) })));
  });

  test('re-warms on its interval, and stop() stops it', async () => {
    const { cache, record } = recordingCache();
    const running = warmer({ cache, intervalMs: 100 });
    await running.start();
    await sleep(450);
    expect(record.cycles, `intervalMs 100: about 4 more cycles in 450 ms, saw ${record.cycles - 1}. ${READ}`).toBeGreaterThanOrEqual(3);
    running.stop();
    await sleep(150); // a cycle already under way may finish
    const afterStop = record.cycles;
    await sleep(400);
    expect(record.cycles, 'no cycle may start after stop()').toBe(afterStop);
  });

  test('its timer does not keep the process alive', async () => {
    const { cache } = recordingCache();
    const before = refTimers();
    await warmer({ cache, intervalMs: 60_000 }).start();
    expect(refTimers(), `A ref'd interval keeps Node running after the server has closed: unref() it. ${READ}`).toBeLessThanOrEqual(before);
  });

  test('a failed cycle is reported, crashes nothing, and the next cycle runs', async () => {
    const { cache, record } = recordingCache({ failOnCycle: 2 });
    const errors: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await warmer({ cache, intervalMs: 100, onError: (error) => errors.push(error.message) }).start();
      await sleep(450);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled, `A rejected cycle was not handled: since Node 15 that ends the process. ${READ}`).toEqual([]);
    expect(errors, 'the failure reaches onError').toContain('redis unavailable in cycle 2');
    expect(record.cycles, 'cycles go on after the failed one').toBeGreaterThanOrEqual(3);
  });

  test('cycles never overlap, even when one takes longer than the interval', async () => {
    const { cache, record } = recordingCache({ delayMs: 250 });
    await warmer({ cache, intervalMs: 50 }).start();
    await sleep(700);
    expect(record.maxConcurrentCycles, `Each cycle took 250 ms with a 50 ms interval; ${record.maxConcurrentCycles} ran at once. ${READ}`).toBe(1);
  });
});
