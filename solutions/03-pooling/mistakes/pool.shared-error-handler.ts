// WRONG (state shared between pools): the error handler is kept in a module variable and the
// pool's listener calls "the current" handler. The last createAppPool() call wins: pool A's idle
// errors go to pool B's onError (or to the console default if B was made without one), and A's
// own onError never hears of them. A user notices: two pools (e.g. primary and replica, or two
// tenants) each with its own onError; kill a connection of A and only B's handler fires.
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

let currentOnError: (error: Error) => void = (error) => console.warn('idle pg connection error', error.message);

export function createAppPool(settings: PoolSettings): pg.Pool {
  currentOnError = settings.onError ?? ((error) => console.warn('idle pg connection error', error.message));
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1_000,
  });
  pool.on('error', (error) => currentOnError(error));
  return pool;
}
