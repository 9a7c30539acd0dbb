// WRONG (cleanup after a call that can throw): the finally logs first and releases after. The log
// function is the caller's (a logger whose transport is closed, a JSON serialiser meeting a
// circular object, a metrics client that throws when disconnected); when it throws, release()
// never runs: the connection leaks, its 'error' listener stays, and the query's own result or
// error is replaced by the logger's. A user notices: with log = () => { throw new Error('log
// transport closed') }, each slow query leaks one connection; after max of them the pool is
// empty and every call fails with "timeout exceeded when trying to connect".
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
    let broken: Error | undefined;
    const onError = (e: Error) => { broken = e; };
    client.on('error', onError);
    let failure: Error | undefined;
    try {
      return await client.query<R>(text, values);
    } catch (e) {
      failure = e as Error;
      throw e;
    } finally {
      const durationMs = performance.now() - startedAt;
      if (durationMs > slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
      client.off('error', onError);
      client.release(broken ?? failure);
    }
  };
}
