// Known wrong: durationMs is right, but waitMs is taken at the end, from the moment the call
// began: it holds the wait AND the run, so a slow statement on an idle pool looks like a pool
// problem too.
import type pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

export function createQuery(pool: pg.Pool, { slowMs, log = console.warn }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const askedAt = performance.now();
    const client = await pool.connect();
    const startedAt = performance.now();
    try {
      return await client.query<R>(text, values);
    } finally {
      const endedAt = performance.now();
      client.release();
      const durationMs = endedAt - startedAt;
      if (durationMs >= slowMs) log({ text, durationMs, waitMs: endedAt - askedAt });
    }
  };
}
