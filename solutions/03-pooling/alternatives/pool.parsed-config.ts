// RIGHT (different style): the URL parsed with pg-connection-string (pg's own parser, installed
// with pg) into a client config, the settings merged over it; statement_timeout on the server,
// query_timeout a backstop above it; onError or console.warn.
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

export interface PoolSettings {
  connectionString: string;
  applicationName: string;
  max: number;
  idleTimeoutMs: number;
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
  onError?: (error: Error) => void;
}

export function createAppPool({ connectionString, applicationName, max, idleTimeoutMs, connectionTimeoutMs, statementTimeoutMs, onError }: PoolSettings): pg.Pool {
  const config: pg.PoolConfig = {
    ...parseIntoClientConfig(connectionString),
    application_name: applicationName,
    max,
    idleTimeoutMillis: idleTimeoutMs,
    connectionTimeoutMillis: connectionTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: Math.ceil(statementTimeoutMs * 1.5) + 500,
  };
  const pool = new pg.Pool(config);
  pool.on('error', onError ? (e) => onError(e) : (e) => console.warn(`[${applicationName}] idle connection lost:`, e.message));
  return pool;
}
