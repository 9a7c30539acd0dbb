// WRONG (subtle): the name travels as the application_name option (safe), but statement_timeout is
// applied with "SET statement_timeout = <n>" in a 'connect' handler (a number, so no injection).
// A SET is session state, not the connection's default: RESET ALL, DISCARD ALL (which PgBouncer
// and many libraries run between clients), SET statement_timeout TO DEFAULT or RESET
// statement_timeout bring it back to the server default (0 = no limit). The un-awaited SET also
// costs a round trip per new connection. A user notices: after any "DISCARD ALL" on a pooled
// connection, SELECT pg_sleep(30) runs the full 30 s; SHOW statement_timeout says 0.
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
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1_000,
  });
  const ms = Math.trunc(Number(settings.statementTimeoutMs));
  pool.on('connect', (client) => {
    client.query(`SET statement_timeout = ${ms}`).catch(() => {});
  });
  pool.on('error', settings.onError ?? ((error) => console.warn('idle pg connection error', error.message)));
  return pool;
}
