// Known wrong: log is optional, and without it slow queries vanish: `log?.()` turns "no logger
// given" into "no slow-query log at all".
import type pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

export function createQuery(pool: pg.Pool, { slowMs, log }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const askedAt = performance.now();
    const client = await pool.connect();
    const startedAt = performance.now();
    let failure: Error | undefined;
    try {
      return await client.query<R>(text, values);
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      const durationMs = performance.now() - startedAt;
      client.release(failure);
      if (durationMs >= slowMs) log?.({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
