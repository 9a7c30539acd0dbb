// WRONG: checks the client out and holds it across an await without an 'error' listener. While
// held, the pool does not listen for it; a socket error (ECONNRESET, a network cut, a failover)
// during the statement makes pg emit 'error' on the client with no listener: an uncaught
// exception, the process exits. A user notices: cutting the connection under a running
// query(...) crashes the server instead of rejecting that one call.
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
    let failed: Error | undefined;
    try {
      return await client.query<R>(text, values);
    } catch (e) {
      failed = e as Error;
      throw e;
    } finally {
      const durationMs = performance.now() - startedAt;
      client.release(failed);
      if (durationMs > slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
