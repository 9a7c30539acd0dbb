// Another correct approach: the server-side settings travel as startup options of every
// connection (-c name=value, as psql's PGOPTIONS would send them).
import pg from 'pg';
import type { PoolSettings } from '../pool.ts';

export type { PoolSettings };

export function createAppPool(settings: PoolSettings): pg.Pool {
  const url = new URL(settings.connectionString);
  url.searchParams.set('application_name', settings.applicationName);
  url.searchParams.set('options', `-c statement_timeout=${settings.statementTimeoutMs}`);
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
  });
  pool.on('error', (error) => (settings.onError ?? console.error)(error));
  return pool;
}
