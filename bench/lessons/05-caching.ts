// Lesson 05's numbers: what a read costs from memory, from Redis, and as a miss that goes to
// Postgres and fills the cache. Sequential reads of one product; one measurement is the median
// of 5 batches, and compare() repeats it in interleaved rounds.
import { Redis } from 'ioredis';
import type { BenchContext } from '../context.ts';
import { createPool, createPrisma } from '../../shared/db/clients.ts';
import type { Compare } from '../run.ts';
import { MultiLayerCache } from '../../solutions/05-caching/cache.ts';
import { scanKeys } from '../../shared/testing/test-redis.ts';

/** Reads per measurement over the network (Redis, Postgres): about a second each. */
const OPS = 2_000;
/** A memory hit takes about a microsecond: this many make a batch long enough to time. */
const MEMORY_OPS = 200_000;

async function perOpMicros(op: (i: number) => Promise<unknown>, ops = OPS): Promise<number> {
  for (let i = 0; i < ops / 10; i += 1) await op(i); // warm-up
  const batches: number[] = [];
  for (let batch = 0; batch < 5; batch += 1) {
    const started = performance.now();
    for (let i = 0; i < ops / 5; i += 1) await op(i);
    batches.push(((performance.now() - started) * 1000) / (ops / 5));
  }
  return batches.sort((a, b) => a - b)[2]!;
}

export default async function bench({ databaseUrl, redisUrl }: BenchContext, compare: Compare): Promise<void> {
  const namespace = `wb:bench:${process.pid}:`;
  const redis = new Redis(redisUrl);
  const pool = createPool(databaseUrl, { max: 2 });
  const prisma = createPrisma(pool);
  const inMemory = new MultiLayerCache<unknown>({ redis, namespace, l1Max: 1_000, l1TtlMs: 60_000 });
  // One entry of memory and two keys read in turn: every read falls through to Redis.
  const redisOnly = new MultiLayerCache<unknown>({ redis, namespace, l1Max: 1, l1TtlMs: 60_000 });
  try {
    const product = JSON.parse(JSON.stringify(await prisma.product.findUnique({ where: { id: 42 } })));
    await inMemory.set('product:42', product, 600);
    await inMemory.set('product:43', product, 600);
    const miss = async (i: number) => {
      const id = 1 + (i % 5_000);
      const row = await prisma.product.findUnique({ where: { id } });
      await redis.set(`${namespace}miss:${id}`, JSON.stringify(row), 'EX', 60);
    };
    await compare(
      {
        id: 'read-costs',
        title: 'One product read again and again, one read at a time (local Redis and Postgres)',
        unit: 'µs per read',
        higherIsBetter: false,
        cases: [
          { label: 'hit in memory (L1)', run: () => perOpMicros(() => inMemory.get('product:42'), MEMORY_OPS) },
          { label: 'hit in Redis (L2)', run: () => perOpMicros((i) => redisOnly.get(i % 2 ? 'product:42' : 'product:43')) },
          { label: 'miss: Postgres by primary key, then SET in Redis', run: () => perOpMicros(miss) },
        ],
      },
      'hit in memory (L1)',
    );
  } finally {
    await Promise.all([inMemory.close(), redisOnly.close()]);
    const keys = await scanKeys(redis, namespace);
    if (keys.length) await redis.unlink(...keys);
    redis.disconnect();
    await prisma.$disconnect();
    await pool.end();
  }
}
