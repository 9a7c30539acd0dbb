// Known wrong: a pool made for every call (the same mistake as a pool made per request):
// nothing is shared, so there is no limit and no reuse.
import pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

export function createQuery(pool: pg.Pool, { slowMs, log = console.warn }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const own = new pg.Pool({ ...pool.options, max: 1 });
    const startedAt = performance.now();
    try {
      return await own.query<R>(text, values);
    } finally {
      const durationMs = performance.now() - startedAt;
      await own.end();
      if (durationMs >= slowMs) log({ text, durationMs, waitMs: 0 });
    }
  };
}
