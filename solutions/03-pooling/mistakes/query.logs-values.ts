// Known wrong: logs the parameter values with the statement; they carry e-mail addresses,
// tokens and passwords into the log storage.
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
      client.release();
      const durationMs = performance.now() - startedAt;
      if (durationMs >= slowMs) log({ text: `${text} -- values: ${JSON.stringify(values ?? [])}`, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
