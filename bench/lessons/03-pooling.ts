// Lesson 03's numbers: a connection per query against a pool, at the same concurrency.
import pg from 'pg';
import type { BenchContext } from '../context.ts';
import { printTable, ratio } from '../report.ts';

const QUERIES = 2_000;
const CONCURRENCY = 10;

/** Runs `QUERIES` calls of `one`, `CONCURRENCY` at a time; returns queries per second. */
async function throughput(one: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < QUERIES) {
        next += 1;
        await one();
      }
    }),
  );
  return QUERIES / ((performance.now() - started) / 1000);
}

export default async function bench({ databaseUrl }: BenchContext): Promise<void> {
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
    await throughput(pooled); // warm-up: open the pool's connections
    const rows = [];
    for (const [name, one] of [['new Client per query', perQuery], [`pg.Pool (max ${CONCURRENCY})`, pooled]] as const) {
      rows.push({ case: name, 'queries/s': await throughput(one) });
    }
    printTable(`${QUERIES.toLocaleString('en-US')} primary-key lookups, ${CONCURRENCY} at a time (local server, no TLS)`, rows);
    console.log(`pool / connect-per-query throughput: ${ratio(rows[1]!['queries/s'], rows[0]!['queries/s'])}`);
  } finally {
    await pool.end();
  }
}
