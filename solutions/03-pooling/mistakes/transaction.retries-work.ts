// Known wrong (the work is run a second time after a failure: it may not be safe to repeat, and that is the caller's to decide).
// A transaction helper: BEGIN, the caller's work, COMMIT, or ROLLBACK on any failure; the
// connection always goes back to the pool, or is destroyed if it broke.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // While checked out, the client is not watched by the pool: if its connection dies between
  // two queries, it emits 'error', which with no listener would crash the process.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client).catch(async () => {
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      return work(client);
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection is unusable (that is usually why ROLLBACK failed). Keep the caller's
      // error, which says what went wrong; this one only says the connection is gone.
      broken ??= rollbackError as Error;
    }
    throw error;
  } finally {
    client.off('error', onError);
    // release(error) destroys the connection instead of handing it to the next caller.
    client.release(broken);
  }
}
