// Known wrong (errata 10): a client-side query_timeout instead of statement_timeout. The caller
// gets an error, but the statement keeps running on the server, holding its locks and a backend.
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
    query_timeout: settings.statementTimeoutMs,
  });
  pool.on('error', settings.onError ?? (() => {}));
  return pool;
}
