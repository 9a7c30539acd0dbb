// Known wrong (once listed as a correct alternative): a connection that took part in any failed
// transaction is destroyed, even when its ROLLBACK succeeded and it is clean. Every failed
// transaction then costs a new connection and a new server process; a burst of failures (a wave
// of 409s, a retry storm) becomes a burst of connection set-ups.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(failure);
  }
}
