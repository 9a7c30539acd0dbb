// Known wrong: the 'error' listener is added only when the caller passed onError. onError is
// optional, so a pool made without it crashes the process the first time an idle connection dies.
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
  if (settings.onError) pool.on('error', settings.onError);
  return pool;
}
