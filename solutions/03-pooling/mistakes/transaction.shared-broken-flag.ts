// WRONG: the "connection is broken" flag lives at module level (reset at the start of each call)
// and is shared by concurrent transactions. When one transaction's connection dies (its 'error'
// listener sets the flag), every other transaction that is running at that moment sees the flag
// at its release() and destroys its own HEALTHY connection. A user notices: one failover or
// pg_terminate_backend under load empties the whole pool (reconnect storm); demo: 3 concurrent
// healthy transactions + 1 killed one -> 0 of the 3 connections survive (the right helper: 3).
import type pg from 'pg';

let broken: Error | undefined;

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  broken = undefined;
  const client = await pool.connect();
  const onError = (e: Error) => { broken = e; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
