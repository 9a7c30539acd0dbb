// Known wrong: listens for the client's 'error' while holding it, but never removes the
// listener. The client goes back to the pool and comes out again with one more listener each
// time: a leak that grows with every transaction (and a MaxListenersExceededWarning at 11).
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  client.on('error', (error: Error) => (broken ??= error));
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken ??= rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
