// Known wrong: an 'error' listener is there, so nothing crashes, but it always logs to the
// console and never calls settings.onError: the application's own handler (metrics, alerting)
// never hears that its connections are dying.
import pg from 'pg';
import type { PoolSettings } from '../pool.ts';

export type { PoolSettings };

export function createAppPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1_000,
  });
  pool.on('error', (error) => console.error('postgres pool: idle connection failed', error.message));
  return pool;
}
