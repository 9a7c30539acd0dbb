// The application's Postgres pool, from one settings object.
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
  // TODO: the settings a popular tutorial uses. `min` does not pre-open anything,
  // query_timeout only stops waiting on the client (the query runs on), the connection is
  // anonymous in pg_stat_activity, and an idle connection that dies will crash the process.
  // Use every field of `settings`.
  return new pg.Pool({
    connectionString: settings.connectionString,
    max: 20,
    min: 5,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 2_000,
    query_timeout: 10_000,
  });
}
