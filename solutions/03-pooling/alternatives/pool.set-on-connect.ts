// Another correct approach: the server-side timeout set by a SET on every new connection (the
// 'connect' event runs before the connection serves its first query), and the default
// listener written out as a named function.
import pg from 'pg';
import type { PoolSettings } from '../pool.ts';

export type { PoolSettings };

function logIdleError(error: Error): void {
  console.warn(`[db] idle connection lost: ${error.message}`);
}

export function createAppPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
  });
  const timeout = Math.max(0, Math.trunc(settings.statementTimeoutMs));
  pool.on('connect', (client) => {
    // Queued on the client ahead of anything the caller sends; a failure surfaces on that query.
    client.query(`SET statement_timeout = ${timeout}`).catch(() => {});
  });
  pool.on('error', settings.onError ?? logIdleError);
  return pool;
}
