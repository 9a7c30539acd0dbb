// WRONG (state leaks to the next borrower): the helper guards every transaction with
// "SET statement_timeout = 10000" and "SET lock_timeout = 3000" right after BEGIN, without LOCAL.
// A plain SET inside a transaction that COMMITs stays for the rest of the SESSION: the pooled
// connection goes back with the changed settings, and every later user of it (plain queries,
// other helpers) runs with a 10 s statement_timeout instead of the pool's (e.g. 200 ms) and with
// a lock_timeout nobody asked for. Which requests are affected depends on which connection they
// happen to get. A user notices: after one committed withTransaction, pool.query('SHOW
// statement_timeout') answers 10s on that connection, and a runaway query is no longer cut at the
// pool's limit. (SET LOCAL would end with the transaction.)
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => { broken = e; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    await client.query('SET statement_timeout = 10000');
    await client.query('SET lock_timeout = 3000');
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
