// Known wrong: a new Client (a new connection, TLS and authentication included) for every
// query. The pool's max means nothing: 200 concurrent calls open 200 connections.
import pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

export function createQuery(pool: pg.Pool, { slowMs, log = console.warn }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const client = new pg.Client(pool.options);
    await client.connect();
    const startedAt = performance.now();
    try {
      return await client.query<R>(text, values);
    } finally {
      const durationMs = performance.now() - startedAt;
      await client.end();
      if (durationMs >= slowMs) log({ text, durationMs, waitMs: 0 });
    }
  };
}
