// Known wrong: release(true) after every call, "so a broken connection is never reused". It
// destroys healthy ones too: every query pays for a new connection, as if there were no pool.
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
      const durationMs = performance.now() - startedAt;
      client.release(true);
      if (durationMs >= slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
