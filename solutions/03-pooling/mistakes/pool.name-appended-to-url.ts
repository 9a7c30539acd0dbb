// WRONG: application_name is glued onto the connection string as "?application_name=<raw name>".
// Unencoded, so a name with '&', '#', '%' or a space is cut or rejected, and a connection string
// that already has a query (?sslmode=require) gets a second '?', so sslmode turns into
// "require?application_name=..." and every connect fails. A user notices: with
// connectionString "postgres://...?sslmode=disable" or applicationName "orders&billing" the
// connections are missing from pg_stat_activity under that name (or do not open at all).
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
    connectionString: `${settings.connectionString}?application_name=${settings.applicationName}`,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
  });
  pool.on('error', settings.onError ?? ((e) => console.error('pg pool error', e)));
  return pool;
}
