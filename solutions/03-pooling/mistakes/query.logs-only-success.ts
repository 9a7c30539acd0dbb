// WRONG: logs only after a successful query. A statement that runs long and then FAILS (cancelled
// by statement_timeout after 5 s, a lock timeout, a deadlock after waiting) is never in the slow
// log: exactly the slowest statements disappear. A user notices: "SELECT pg_sleep(2)" with
// statement_timeout 1 s and slowMs 100 rejects after ~1 s and log() is never called.
import type pg from 'pg';

export interface SlowQuery {
  text: string;
  durationMs: number;
  waitMs: number;
}

export interface QueryOptions {
  slowMs: number;
  log?: (entry: SlowQuery) => void;
}

export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>;

export function createQuery(pool: pg.Pool, { slowMs, log = (e) => console.warn('slow query', e) }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const askedAt = performance.now();
    const client = await pool.connect();
    const startedAt = performance.now();
    const onError = () => {};
    client.on('error', onError);
    let result: pg.QueryResult<R>;
    try {
      result = await client.query<R>(text, values);
    } catch (e) {
      client.off('error', onError);
      client.release(e as Error);
      throw e;
    }
    const durationMs = performance.now() - startedAt;
    client.off('error', onError);
    client.release();
    if (durationMs > slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
    return result;
  };
}
