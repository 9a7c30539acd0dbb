// RIGHT (different style): the callback form of pool.connect (err, client, done), wrapped in a
// promise; done(err) destroys a connection whose statement failed; the client's 'error' is
// listened for while held; timing with performance.now().
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

export function createQuery(pool: pg.Pool, options: QueryOptions): Query {
  const log = options.log ?? ((entry: SlowQuery) => console.warn(`slow query ${entry.durationMs.toFixed(1)} ms (waited ${entry.waitMs.toFixed(1)} ms): ${entry.text}`));
  return <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
    new Promise<pg.QueryResult<R>>((resolve, reject) => {
      const askedAt = performance.now();
      pool.connect((connectError, client, done) => {
        if (connectError || !client) return reject(connectError);
        const startedAt = performance.now();
        let lost: Error | undefined;
        const onLost = (e: Error) => { lost = e; };
        client.on('error', onLost);
        client.query<R>(text, values).then(
          (result) => finish(undefined, result),
          (error: Error) => finish(error),
        );
        function finish(error: Error | undefined, result?: pg.QueryResult<R>) {
          const durationMs = performance.now() - startedAt;
          client!.removeListener('error', onLost);
          done(lost ?? error);
          if (durationMs > options.slowMs) log({ text, durationMs, waitMs: startedAt - askedAt });
          if (error) reject(error); else resolve(result!);
        }
      });
    });
}
