// Known wrong: a pool made for every call (the same mistake as a pool made per request):
// nothing is shared, so there is no limit and no reuse.
import pg from 'pg';

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
    const own = new pg.Pool({ ...pool.options, max: 1 });
    const startedAt = performance.now();
    try {
      return await own.query<R>(text, values);
    } finally {
      const durationMs = performance.now() - startedAt;
      await own.end();
      if (durationMs >= slowMs) log({ text, durationMs, waitMs: 0 });
    }
  };
}
