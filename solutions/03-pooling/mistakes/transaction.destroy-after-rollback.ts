// WRONG (performance): on ANY failure it releases with the caller's error, so a healthy
// connection whose ROLLBACK succeeded is destroyed too. Every business-rule failure (a 409, a
// validation error thrown inside the transaction) costs a new connection: TCP + auth + a fork.
// A user notices: 100 failing transactions open ~100 server connections one after another
// (pg_stat_activity backend_start keeps changing; pool.totalCount drops to 0 after each).
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const onError = () => {};
  client.on('error', onError);
  let failure: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onError);
    client.release(failure ? (failure instanceof Error ? failure : new Error(String(failure))) : undefined);
  }
}
