// Known wrong (every failure is logged, however quick: the log is for slow statements).
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

export function createQuery(pool: pg.Pool, { slowMs, log = (entry) => console.warn('slow query', entry) }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    // pool.query() would hide the wait for a connection inside the query's time; checking out
    // the client ourselves separates the two.
    const askedAt = performance.now();
    const client = await pool.connect();
    const startedAt = performance.now();
    // While we hold the client the pool does not listen to it: a connection cut mid-statement
    // emits 'error' on it, and an 'error' nobody listens to ends the process. The statement
    // rejects with that error anyway (caught below), so the listener only has to be there.
    const ignore = () => {};
    client.on('error', ignore);
    let failure: Error | undefined;
    try {
      return await client.query<R>(text, values);
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      const durationMs = performance.now() - startedAt;
      client.off('error', ignore);
      // Passing the error makes the pool destroy the connection instead of reusing it, as
      // pool.query() does: after a failure we cannot be sure it is healthy.
      client.release(failure);
      if (durationMs >= slowMs || failure) log({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
