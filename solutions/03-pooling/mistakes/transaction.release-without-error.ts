// Known wrong (errata 12, second half): the ROLLBACK's error is caught and the caller's kept,
// but the client goes back with a plain release(). A connection whose ROLLBACK failed is in a
// state nobody knows (here, still inside its transaction) and the next caller gets it.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const onError = () => {};
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onError);
    client.release();
  }
}
