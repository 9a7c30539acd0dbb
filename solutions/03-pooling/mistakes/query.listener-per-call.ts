// Known wrong: an 'error' listener added on the checked-out client for every call (as section 4
// advises) but never removed: the pooled client collects one more listener per query until
// Node warns of a leak, and every old closure stays in memory.
import type pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

export function createQuery(pool: pg.Pool, { slowMs, log = console.warn }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const askedAt = performance.now();
    const client = await pool.connect();
    let broken: Error | undefined;
    client.on('error', (error) => (broken = error));
    const startedAt = performance.now();
    try {
      return await client.query<R>(text, values);
    } catch (error) {
      broken ??= error as Error;
      throw error;
    } finally {
      const durationMs = performance.now() - startedAt;
      client.release(broken);
      if (durationMs >= slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
    }
  };
}
