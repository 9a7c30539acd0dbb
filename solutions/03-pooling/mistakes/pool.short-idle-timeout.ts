// Known wrong: idleTimeoutMs read as seconds. 200 becomes 0.2 ms, so every connection is
// closed the moment it goes idle and the next query pays for a new one: no reuse at all.
import pg from 'pg';
import type { PoolSettings } from '../pool.ts';

export type { PoolSettings };

export function createAppPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs / 1_000,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1_000,
  });
  pool.on('error', settings.onError ?? ((error) => console.error('postgres pool:', error.message)));
  return pool;
}
