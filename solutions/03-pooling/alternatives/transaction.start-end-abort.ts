// RIGHT (different style): Postgres' synonyms START TRANSACTION / END / ABORT, a promise chain
// with .then(ok, fail) and .finally instead of try/catch/finally; the work is started inside a
// .then so a synchronous throw becomes a rejection; an ABORT that fails marks the connection
// broken and it is destroyed with release(err); the caller's error is kept. A failed END (a
// deferred constraint) already ended the transaction on the server: its error goes to the caller.
import type pg from 'pg';

export function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return pool.connect().then((client) => {
    const state: { broken?: Error } = {};
    const onError = (e: Error) => { state.broken ??= e; };
    client.on('error', onError);
    return client
      .query('START TRANSACTION')
      .then(() => work(client))
      .then(
        (value) => client.query('END').then(() => value),
        (error: unknown) =>
          client.query('ABORT').then(
            () => Promise.reject(error),
            (abortError: Error) => {
              state.broken ??= abortError;
              return Promise.reject(error);
            },
          ),
      )
      .finally(() => {
        client.removeListener('error', onError);
        client.release(state.broken);
      });
  });
}
