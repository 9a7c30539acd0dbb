// A transaction helper: BEGIN, the caller's work, COMMIT, or ROLLBACK on any failure; the
// connection always goes back to the pool, or is destroyed if it broke.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // TODO: the tutorial version. When the connection dies mid-transaction: nothing listens for
  // the client's 'error' (the process crashes), the ROLLBACK's own error replaces the caller's,
  // and release() offers a broken connection back to the pool.
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
