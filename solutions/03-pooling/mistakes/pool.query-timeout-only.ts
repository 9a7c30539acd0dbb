// Known wrong (errata 10): a client-side query_timeout instead of statement_timeout. The caller
// gets an error, but the statement keeps running on the server, holding its locks and a backend.
import pg from 'pg';

export interface PoolSettings {
  connectionString: string;
  /** Shows up in pg_stat_activity, so you can find (and count) this app's connections. */
  applicationName: string;
  /** Most connections this pool opens; the server's max_connections is shared by everyone. */
  max: number;
  /** An unused connection is closed after this long. */
  idleTimeoutMs: number;
  /** How long a caller waits for a free connection before failing. */
  connectionTimeoutMs: number;
  /** The server cancels any statement running longer than this. */
  statementTimeoutMs: number;
  /** Errors of idle connections (server restart, network cut); logged by default. */
  onError?: (error: Error) => void;
}


export function createAppPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    query_timeout: settings.statementTimeoutMs,
  });
  pool.on('error', settings.onError ?? (() => {}));
  return pool;
}
