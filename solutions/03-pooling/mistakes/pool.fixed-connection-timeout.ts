// Known wrong: the tutorial's fixed connectionTimeoutMillis (2 s) instead of the setting. An
// exhausted pool still fails "after a while", but not after the time the application chose.
import pg from 'pg';
import type { PoolSettings } from '../pool.ts';

export type { PoolSettings };

export function createAppPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: 2_000,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1_000,
  });
  pool.on('error', settings.onError ?? ((error) => console.error('postgres pool:', error.message)));
  return pool;
}
