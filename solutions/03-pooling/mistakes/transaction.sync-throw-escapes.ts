// Known wrong: the work is chained with .then/.catch/.finally, so the chain only handles a
// REJECTED promise. A function that throws before returning one (a sync validation, a typo)
// skips the chain: no ROLLBACK, no release, a connection left inside its transaction.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken ??= error);
  client.on('error', onError);
  await client.query('BEGIN');
  return work(client)
    .then(async (result) => {
      await client.query('COMMIT');
      return result;
    })
    .catch(async (error: unknown) => {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
      throw error;
    })
    .finally(() => {
      client.off('error', onError);
      client.release(broken);
    });
}
