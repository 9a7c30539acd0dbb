// WRONG: "one pool per process" taken literally: pools are memoised by connection string and
// name, so a second call with other timeouts/max returns the FIRST pool, and a pool that was
// end()ed is handed out again. A user notices: createAppPool({...max: 2}) after
// createAppPool({...max: 10}) still opens 10; after pool.end(), the next createAppPool(...)
// fails every query with "Cannot use a pool after calling end on the pool".
import pg from 'pg';

export interface PoolSettings {
  connectionString: string;
  applicationName: string;
  max: number;
  idleTimeoutMs: number;
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
  onError?: (error: Error) => void;
}

const pools = new Map<string, pg.Pool>();

export function createAppPool(settings: PoolSettings): pg.Pool {
  const key = `${settings.connectionString}|${settings.applicationName}`;
  const existing = pools.get(key);
  if (existing) return existing;
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
  });
  pool.on('error', settings.onError ?? ((e) => console.error('pg pool error', e)));
  pools.set(key, pool);
  return pool;
}
