// WRONG: the timestamps live in createQuery's closure, shared by every call of the helper.
// Concurrent calls overwrite each other's askedAt/startedAt: a call that got its connection at
// once reports a NEGATIVE or inflated waitMs, and durationMs of one call is measured from another
// call's start. A user notices: with two overlapping slow queries on a 1-connection pool, the
// first logs waitMs < 0 (or the second's duration includes the first's statement).
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
  let askedAt = 0;
  let startedAt = 0;
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    askedAt = performance.now();
    const client = await pool.connect();
    startedAt = performance.now();
    const onError = () => {};
    client.on('error', onError);
    let failed: Error | undefined;
    try {
      return await client.query<R>(text, values);
    } catch (e) {
      failed = e as Error;
      throw e;
    } finally {
      const durationMs = performance.now() - startedAt;
      client.off('error', onError);
      client.release(failed);
      if (durationMs > slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
