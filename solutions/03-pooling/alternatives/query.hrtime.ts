// Another correct approach: nanosecond clocks (process.hrtime.bigint) for the wait and the run,
// a listener for the held client's 'error', and release(true) to drop the connection after any
// failure.
import type pg from 'pg';
import type { SlowQuery, QueryOptions, Query } from '../query.ts';

export type { SlowQuery, QueryOptions, Query };

export function createQuery(pool: pg.Pool, { slowMs, log = console.warn }: QueryOptions): Query {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const timing = { asked: process.hrtime.bigint(), acquired: 0n };
    const client = await pool.connect();
    timing.acquired = process.hrtime.bigint();
    const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
    let healthy = true;
    const lost = () => {
      healthy = false;
    };
    client.on('error', lost);
    try {
      return await client.query<R>(text, values);
    } catch (error) {
      healthy = false;
      throw error;
    } finally {
      const ran = ms(timing.acquired, process.hrtime.bigint());
      client.removeListener('error', lost);
      client.release(!healthy);
      if (ran >= slowMs) log({ text, durationMs: ran, waitMs: ms(timing.asked, timing.acquired) });
    }
  };
}
