// Another correct approach: the server-side settings travel as startup options of every
// connection (-c name=value, as psql's PGOPTIONS would send them).
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
  const url = new URL(settings.connectionString);
  url.searchParams.set('application_name', settings.applicationName);
  url.searchParams.set('options', `-c statement_timeout=${settings.statementTimeoutMs}`);
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
  });
  pool.on('error', (error) => (settings.onError ?? console.error)(error));
  return pool;
}
