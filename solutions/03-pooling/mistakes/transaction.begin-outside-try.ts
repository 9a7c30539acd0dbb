// WRONG: BEGIN (and the listener) sit before the try. When BEGIN fails, which is what happens
// when the borrowed connection died while idle in the pool (failover, proxy cut) or the server
// refuses (e.g. too many connections, admin shutdown), the function throws with the client
// never released and never destroyed: one connection leaked per such failure, and the 'error'
// listener stays on it. A user notices: after a database restart, pool.totalCount stays at max
// with idleCount 0 and every later withTransaction times out waiting for a connection.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => { broken = e; };
  client.on('error', onError);
  await client.query('BEGIN');
  try {
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
    client.off('error', onError);
    client.release(broken);
  }
}
