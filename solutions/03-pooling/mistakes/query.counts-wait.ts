// Known wrong (errata 11): the timer wraps pool.query(), so the wait for a free connection is
// counted as query time: when the pool is busy, every fast query is reported as slow.
import type pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

export function createQuery(pool: pg.Pool, { slowMs, log = console.warn }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const startedAt = performance.now();
    const result = await pool.query<R>(text, values);
    const durationMs = performance.now() - startedAt;
    if (durationMs >= slowMs) log({ text, durationMs, waitMs: 0 });
    return result;
  };
}
