// Lesson 05's numbers: what a read costs from memory, from Redis, and as a miss that goes to
// Postgres and fills the cache. Sequential reads of one product, median of batches.
import { Redis } from 'ioredis';
import type { BenchContext } from '../context.ts';
import { createPool, createPrisma } from '../../shared/db/clients.ts';
import { printTable, ratio } from '../report.ts';
import { MultiLayerCache } from '../../solutions/05-caching/cache.ts';
import { scanKeys } from '../../shared/testing/test-redis.ts';

const OPS = 2_000;

async function perOpMicros(op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i += 1) await op(i); // warm-up
  const batches: number[] = [];
  for (let batch = 0; batch < 5; batch += 1) {
    const started = performance.now();
    for (let i = 0; i < OPS / 5; i += 1) await op(i);
    batches.push(((performance.now() - started) * 1000) / (OPS / 5));
  }
  return batches.sort((a, b) => a - b)[2]!;
}

export default async function bench({ databaseUrl, redisUrl }: BenchContext): Promise<void> {
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
    const rows = [
      { case: 'hit in memory (L1)', 'µs per read': await perOpMicros(() => inMemory.get('product:42')) },
      { case: 'hit in Redis (L2)', 'µs per read': await perOpMicros((i) => redisOnly.get(i % 2 ? 'product:42' : 'product:43')) },
      { case: 'miss: Postgres by primary key, then SET in Redis', 'µs per read': await perOpMicros(miss) },
    ];
    printTable(`One product read ${OPS.toLocaleString('en-US')} times, one at a time (local Redis and Postgres)`, rows);
    const [memory, inRedis, missed] = rows.map((row) => row['µs per read']) as [number, number, number];
    console.log(`Redis hit / memory hit: ${ratio(inRedis, memory)}; miss / Redis hit: ${ratio(missed, inRedis)}; miss / memory hit: ${ratio(missed, memory)}`);
  } finally {
    await Promise.all([inMemory.close(), redisOnly.close()]);
    const keys = await scanKeys(redis, namespace);
    if (keys.length) await redis.unlink(...keys);
    redis.disconnect();
    await prisma.$disconnect();
    await pool.end();
  }
}
