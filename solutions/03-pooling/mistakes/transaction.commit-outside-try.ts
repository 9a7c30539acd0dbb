// Known wrong: ROLLBACK and release are handled for a failing function, but COMMIT runs after
// the try. When COMMIT itself fails (a deferred constraint, a serialization failure), nothing
// releases the client: one connection leaked per failed COMMIT.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken ??= error);
  client.on('error', onError);
  let result: T;
  try {
    await client.query('BEGIN');
    result = await work(client);
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
    client.off('error', onError);
    client.release(broken);
    throw error;
  }
  await client.query('COMMIT');
  client.off('error', onError);
  client.release(broken);
  return result;
}
