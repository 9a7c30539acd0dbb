// RIGHT (different style): work started through Promise.resolve().then (a synchronous throw
// becomes a rejection), ROLLBACK's failure turned into a flag with .then(ok, fail), and a broken
// connection destroyed with release(true) (pg-pool's boolean form).
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let destroy = false;
  const onError = () => { destroy = true; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await Promise.resolve().then(() => work(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    const rolledBack = await client.query('ROLLBACK').then(() => true, () => false);
    if (!rolledBack) destroy = true;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(destroy);
  }
}
