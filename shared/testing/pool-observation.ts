// Observing a pool from outside: its server connections, and errors that would crash a process.
import type pg from 'pg';

/** Server connections open under an application_name, as Postgres sees them. */
export async function connectionsOf(admin: pg.Pool, applicationName: string): Promise<number> {
  const { rows } = await admin.query<{ count: string }>(
    'SELECT count(*) FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  return Number(rows[0]!.count);
}

/** What this database's connections with this application_name are running, for those not idle (busy or waiting in a query). */
export async function busyConnectionsOf(admin: pg.Pool, applicationName: string): Promise<{ pid: number; state: string; query: string }[]> {
  const { rows } = await admin.query<{ pid: number; state: string; query: string }>(
    `SELECT pid, coalesce(state, '') AS state, query FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1 AND state IS DISTINCT FROM 'idle'`,
    [applicationName],
  );
  return rows;
}

/**
 * Ends every connection to this database with this application_name, as a database restart or a
 * network cut would; returns how many. (Other files' databases run their own copies of the suite.)
 */
export async function terminateConnectionsOf(admin: pg.Pool, applicationName: string): Promise<number> {
  // In the select list, not the WHERE clause: Postgres may evaluate a WHERE clause's conditions in any order.
  const { rows } = await admin.query<{ ended: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [applicationName],
  );
  return rows.filter((row) => row.ended).length;
}

/**
 * The clients a route gave back to `pool`, checked out all at once: how many there are (a route
 * that destroys a healthy connection leaves none, and every request pays for a new one), and the
 * most 'error' listeners one of them carries beyond a fresh client of `reference` (listeners a
 * route adds and never removes pile up with every request). Call it once nothing is checked out.
 */
export async function returnedClients(pool: pg.Pool, reference: pg.Pool): Promise<{ idle: number; extraErrorListeners: number }> {
  const idle = await Promise.all(Array.from({ length: pool.idleCount }, () => pool.connect()));
  const fresh = await reference.connect();
  const extraErrorListeners = Math.max(0, ...idle.map((client) => client.listenerCount('error') - fresh.listenerCount('error')));
  fresh.release();
  for (const client of idle) client.release();
  return { idle: idle.length, extraErrorListeners };
}

/**
 * Errors that reached 'uncaughtException' while `work` ran: in production each one would have
 * ended the process. (The test runner keeps the process alive; this listener notices them.)
 */
export async function unexpectedCrashes(work: () => Promise<void>): Promise<string[]> {
  const crashes: string[] = [];
  const listener = (error: Error) => crashes.push(error.message);
  process.on('uncaughtException', listener);
  try {
    await work();
  } finally {
    process.off('uncaughtException', listener);
  }
  return crashes;
}

/**
 * A client of `pool`, retried while opening the connection itself outlasts the pool's short
 * connectionTimeoutMillis: on a busy machine, against a container's server, opening one took over
 * 300 ms. For tests that judge the wait for a *busy* pool, not how fast its connections open;
 * 50 tries at most, and any other error at once.
 */
export async function connectPatiently(pool: pg.Pool): Promise<pg.PoolClient> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await pool.connect();
    } catch (error) {
      if (attempt >= 50 || !/timeout/i.test((error as Error).message)) throw error;
    }
  }
}
