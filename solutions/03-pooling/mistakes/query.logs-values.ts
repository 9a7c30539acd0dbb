// Known wrong: logs the parameter values with the statement; they carry e-mail addresses,
// tokens and passwords into the log storage.
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
