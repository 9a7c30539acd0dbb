// WRONG: pool.connect() moved INSIDE the try "so every error goes through finally". When the
// connect itself fails (pool exhausted: connectionTimeoutMillis; server down: ECONNREFUSED), the
// finally runs client.release() on undefined and a TypeError ("Cannot read properties of
// undefined (reading 'off')") REPLACES the real error. A user notices: with the pool exhausted,
// the caller gets a TypeError instead of "timeout exceeded when trying to connect", so the retry
// logic and the 503 mapping keyed on that error never run, and monitoring counts bugs, not load.
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
    let client!: pg.PoolClient;
    let broken: Error | undefined;
    const onError = (e: Error) => { broken = e; };
    const askedAt = performance.now();
    let startedAt = askedAt;
    let failure: Error | undefined;
    try {
      client = await pool.connect();
      startedAt = performance.now();
      client.on('error', onError);
      return await client.query<R>(text, values);
    } catch (e) {
      failure = e as Error;
      throw e;
    } finally {
      const durationMs = performance.now() - startedAt;
      client.off('error', onError);
      client.release(broken ?? failure);
      if (durationMs > slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
