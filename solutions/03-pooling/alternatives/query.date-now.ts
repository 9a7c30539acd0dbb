// Another correct approach: millisecond clocks (Date.now), the checkout in its own step, and a
// default log line written as text.
import type pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

const toConsole = ({ text, durationMs, waitMs }: SlowQuery) =>
  console.warn(`slow query: ${durationMs} ms (after ${waitMs} ms waiting for a connection): ${text}`);

export function createQuery(pool: pg.Pool, options: QueryOptions): Query {
  const log = options.log ?? toConsole;
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const asked = Date.now();
    const client = await pool.connect();
    const started = Date.now();
    // Held, the client is not watched by the pool: its 'error' must have a listener.
    const onLost = () => {};
    client.on('error', onLost);
    let result: pg.QueryResult<R>;
    try {
      result = await client.query<R>(text, values);
    } catch (error) {
      client.removeListener('error', onLost);
      client.release(error as Error);
      const durationMs = Date.now() - started;
      if (durationMs >= options.slowMs) log({ text, durationMs, waitMs: started - asked });
      throw error;
    }
    client.removeListener('error', onLost);
    client.release();
    const durationMs = Date.now() - started;
    if (durationMs >= options.slowMs) log({ text, durationMs, waitMs: started - asked });
    return result;
  };
}
