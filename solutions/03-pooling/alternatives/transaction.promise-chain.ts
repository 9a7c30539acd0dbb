// Another correct approach: the same rules written as a promise chain, with a flag for a
// connection that must not be reused.
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let reusable = true;
  const markBroken = () => {
    reusable = false;
  };
  client.on('error', markBroken);
  const rollback = (error: unknown) =>
    client.query('ROLLBACK').then(
      () => Promise.reject(error),
      () => {
        markBroken();
        return Promise.reject(error);
      },
    );
  return client
    .query('BEGIN')
    .then(() => work(client))
    .then((result) => client.query('COMMIT').then(() => result))
    .catch(rollback)
    .finally(() => {
      client.removeListener('error', markBroken);
      client.release(!reusable);
    });
}
