// Lesson 03's numbers: a connection per query against a pool, at the same concurrency.
import pg from 'pg';
import type { BenchContext } from '../context.ts';
import type { Compare } from '../run.ts';

const CONCURRENCY = 10;
/** Per case, about two seconds of work on the reference machine: a shorter run is mostly noise. */
const CONNECT_QUERIES = 1_000;
const POOLED_QUERIES = 30_000;

/** Runs `count` calls of `one`, `CONCURRENCY` at a time; returns queries per second. */
async function throughput(one: () => Promise<unknown>, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        await one();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export default async function bench({ databaseUrl }: BenchContext, compare: Compare): Promise<void> {
  const sql = 'SELECT "id", "name" FROM "User" WHERE "id" = $1';
  const id = () => 1 + Math.floor(Math.random() * 2_000);
  const perQuery = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql, [id()]);
    } finally {
      await client.end();
    }
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONCURRENCY });
  pool.on('error', () => {});
  const pooled = () => pool.query(sql, [id()]);
  try {
    await throughput(pooled, 2_000); // warm-up: open the pool's connections
    await compare(
      {
        id: 'pool-vs-connect',
        title: `Primary-key lookups, ${CONCURRENCY} at a time (local server, no TLS)`,
        unit: 'queries/s',
        higherIsBetter: true,
        cases: [
          { label: 'new Client per query', run: () => throughput(perQuery, CONNECT_QUERIES) },
          { label: `pg.Pool (max ${CONCURRENCY})`, run: () => throughput(pooled, POOLED_QUERIES) },
        ],
      },
      'new Client per query',
    );
  } finally {
    await pool.end();
  }
}
