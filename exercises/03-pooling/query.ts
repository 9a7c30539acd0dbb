// A query helper with a slow-query log: the statement's text and how long it ran, never its
// parameter values (they hold e-mail addresses, tokens, passwords).
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

export function createQuery(pool: pg.Pool, { slowMs }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    // TODO: this timer also counts the wait for a free connection, so a busy pool makes fast
    // queries look slow; and the line goes to console.warn instead of the injected log.
    // Report { text, durationMs, waitMs } through log(), the wait measured apart.
    const start = Date.now();
    const result = await pool.query<R>(text, values);
    const duration = Date.now() - start;
    if (duration > slowMs) console.warn(`Slow query (${duration}ms):`, text);
    return result;
  };
}
