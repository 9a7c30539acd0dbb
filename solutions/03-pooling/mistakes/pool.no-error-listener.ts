// Known wrong: every setting right, but no 'error' listener on the pool. When the server drops an
// idle connection (restart, failover, a kill), the pool emits 'error' and the process exits.
import pg from 'pg';
import type { PoolSettings } from '../pool.ts';

export type { PoolSettings };

export function createAppPool(settings: PoolSettings): pg.Pool {
  return new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
  });
}
