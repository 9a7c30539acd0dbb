// Known wrong: on failure the client goes back without ROLLBACK, still inside its transaction.
// The next caller who gets it runs inside someone else's aborted transaction.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
