// WRONG: sets the name and the timeout with SET in a 'connect' handler, the values pasted into
// SQL. (1) An applicationName with a quote (e.g. "o'reilly-api") makes the SET a syntax error
// on every new connection; the promise is not handled, so Node >= 15 ends the process with an
// unhandledRejection; (2) a crafted name is SQL injection; (3) every new connection pays two
// extra round trips. A user notices with applicationName "bob's api": the process dies on the
// first query.
import pg from 'pg';

export interface PoolSettings {
  connectionString: string;
  applicationName: string;
  max: number;
  idleTimeoutMs: number;
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
  onError?: (error: Error) => void;
}

export function createAppPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
  });
  pool.on('connect', (client) => {
    client.query(`SET application_name = '${settings.applicationName}'`);
    client.query(`SET statement_timeout = ${settings.statementTimeoutMs}`);
  });
  pool.on('error', settings.onError ?? ((e) => console.error('pg pool error', e)));
  return pool;
}
