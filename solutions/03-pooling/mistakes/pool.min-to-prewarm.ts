// Known wrong (errata 10): `min` set to "pre-open" connections. node-postgres opens nothing at
// start-up; `min` only stops idle connections from being closed below it, so idleTimeoutMs no
// longer empties an idle pool.
import pg from 'pg';
import type { PoolSettings } from '../pool.ts';

export type { PoolSettings };

export function createAppPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    min: Math.min(2, settings.max),
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1_000,
  });
  pool.on('error', settings.onError ?? ((error) => console.error('postgres pool:', error.message)));
  return pool;
}
