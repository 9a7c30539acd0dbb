// Known wrong (errata 11): the timer wraps pool.query(), so the wait for a free connection is
// counted as query time: when the pool is busy, every fast query is reported as slow.
import type pg from 'pg';

export interface SlowQuery {
  text: string;
  /** Time the statement ran on its connection, ms. */
  durationMs: number;
  /** Time spent waiting for a free connection first, ms (a pool problem, not a query problem). */
  waitMs: number;
}

export interface QueryOptions {
  slowMs: number;
  log?: (entry: SlowQuery) => void;
}

export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>;

export function createQuery(pool: pg.Pool, { slowMs, log = console.warn }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const startedAt = performance.now();
    const result = await pool.query<R>(text, values);
    const durationMs = performance.now() - startedAt;
    if (durationMs >= slowMs) log({ text, durationMs, waitMs: 0 });
    return result;
  };
}
