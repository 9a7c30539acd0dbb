// WRONG (security): the slow log is clean, but a FAILED query is reported with its parameter
// values "to debug it": console.error('query failed', text, values). A failing INSERT of a user
// (unique violation on email) writes the e-mail address and the password hash to the logs.
// A user notices: query('INSERT ... VALUES ($1, $2)', ['a@b.c', 'hash']) that violates a
// constraint prints 'a@b.c' and 'hash' on stderr.
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
    let failed: Error | undefined;
    try {
      return await client.query<R>(text, values);
    } catch (e) {
      failed = e as Error;
      console.error('query failed:', (e as Error).message, { text, values });
      throw e;
    } finally {
      const durationMs = performance.now() - startedAt;
      client.off('error', onError);
      client.release(failed);
      if (durationMs > slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
