// Exercise 03 · transaction: a helper that commits, rolls back, and never leaks a connection.
// Run it with: npm test -- 03-pooling/transaction
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { lessonHint, startRelay, suiteSection, unexpectedCrashes, useTestDatabase, waitUntil } from '../../shared/testing/index.ts';
import { withTransaction } from './transaction.ts';

const READ = suiteSection('03-pooling', '3. A query helper and a transaction helper');
const DYING = lessonHint('03-pooling', '4. When connections die');
const db = useTestDatabase();
let admin: pg.Pool;

beforeAll(async () => {
  admin = db.pool({ max: 2 });
  // A constraint checked only at COMMIT: the way to make COMMIT itself fail.
  await admin.query('CREATE TABLE tx_deferred (k text, CONSTRAINT tx_deferred_k_key UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)');
});

function appPool(max = 3) {
  const applicationName = `wb-tx-${randomBytes(3).toString('hex')}`;
  return { applicationName, pool: db.pool({ max, application_name: applicationName, connectionTimeoutMillis: 2_000 }) };
}

async function categoryExists(name: string): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM "Category" WHERE "name" = $1', [name]);
  return rowCount === 1;
}

/** Every connection back in the pool and idle, nobody waiting, none left inside a transaction. */
async function expectAllGivenBack(pool: pg.Pool, applicationName: string, what: string): Promise<void> {
  expect(
    { idle: pool.idleCount === pool.totalCount, waiting: pool.waitingCount },
    `${what}: its connection should be back in the pool and idle (${pool.totalCount - pool.idleCount} of ` +
      `${pool.totalCount} are still checked out). Release in finally, on every path. ${READ}`,
  ).toEqual({ idle: true, waiting: 0 });
  const { rows } = await admin.query<{ state: string }>(
    `SELECT state FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'`,
    [applicationName],
  );
  expect(rows, `${what}: a connection was left inside its transaction. ROLLBACK (or destroy the connection) before it goes back. ${READ}`).toEqual([]);
}

/** The pool still serves a transaction: a leaked connection would make this time out. */
async function expectPoolServes(pool: pg.Pool, what: string): Promise<void> {
  const outcome = await withTransaction(pool, async (client) => (await client.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]?.ok).catch(
    (error: Error) => `failed: ${error.message}`,
  );
  expect(outcome, `${what}, the next transaction on the same pool should work. ${READ}`).toBe(1);
}

async function backendPid(client: pg.PoolClient): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

async function backendAlive(pid: number): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
  return rowCount === 1;
}

/**
 * Makes the next statement sent on the client fail, as a ROLLBACK does when the connection is in a
 * state nobody can vouch for; the connection itself stays up, inside its transaction. Armed by
 * the work just before it fails, so that statement is the helper's rollback, whatever its
 * words (ROLLBACK, ABORT, in any case).
 */
function failNextRollback(client: pg.PoolClient): void {
  const target = client as unknown as { query: (...args: unknown[]) => unknown };
  const original = target.query;
  target.query = function (this: unknown, ...args: unknown[]) {
    target.query = original;
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
    const error = new Error(`${typeof text === 'string' ? text.trim().split(/\s+/)[0] : 'the statement'} failed (made to fail by the test)`);
    const callback = args.find((arg) => typeof arg === 'function') as ((error: Error) => void) | undefined;
    if (callback) {
      process.nextTick(() => callback(error));
      return undefined;
    }
    return Promise.reject(error);
  };
}


/** A promise the test settles when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** How many listeners a client has, per event. */
function listeners(client: pg.PoolClient): Record<string, number> {
  return Object.fromEntries(client.eventNames().map((name) => [String(name), client.listenerCount(name)]));
}

/** The listeners of the pool's (only) client while it is checked out. */
async function listenersOfCheckedOut(pool: pg.Pool): Promise<Record<string, number>> {
  const client = await pool.connect();
  try {
    return listeners(client);
  } finally {
    client.release();
  }
}

describe('transaction helper', () => {
  test('commits the work and returns its result', async () => {
    const { pool } = appPool();
    const name = `tx-commit-${randomBytes(3).toString('hex')}`;
    const id = await withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ id: number }>('INSERT INTO "Category" ("name") VALUES ($1) RETURNING "id"', [name]);
      return rows[0]!.id;
    });
    expect(id).toBeGreaterThan(0);
    expect(await categoryExists(name)).toBe(true);
  });

  test('rolls back on failure and rethrows the very same error', async () => {
    const { pool } = appPool();
    const name = `tx-rollback-${randomBytes(3).toString('hex')}`;
    const original = new Error('the caller failed');
    let calls = 0;
    const caught = await withTransaction(pool, async (client) => {
      calls += 1;
      await client.query('INSERT INTO "Category" ("name") VALUES ($1)', [name]);
      throw original;
    }).catch((error: unknown) => error);
    expect(caught, `The caller must get its own error back. ${READ}`).toBe(original);
    expect(calls, `The work runs once: whether to try again is the caller's decision (it may not be safe to repeat). ${READ}`).toBe(1);
    expect(await categoryExists(name), 'the insert must have been rolled back').toBe(false);
  });

  test('after 100 failing transactions nothing is leaked: no connection held, none left inside a transaction', async () => {
    const { pool, applicationName } = appPool(3);
    const failures = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        withTransaction(pool, async (client) => {
          // Half fail in SQL (the transaction is then aborted), half in JavaScript.
          if (i % 2 === 0) await client.query('SELECT * FROM no_such_table');
          throw new Error(`failure ${i}`);
        }),
      ),
    );
    expect(failures.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(
      { total: pool.totalCount <= 3, idle: pool.idleCount, waiting: pool.waitingCount },
      `Every connection should be back in the pool and idle. ${READ}`,
    ).toEqual({ total: true, idle: pool.totalCount, waiting: 0 });
    const { rows } = await admin.query<{ state: string }>(
      `SELECT state FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'`,
      [applicationName],
    );
    expect(rows, `Connections went back to the pool still inside a transaction: ROLLBACK before release. ${READ}`).toEqual([]);
    const checks = await Promise.all(Array.from({ length: 3 }, () => pool.query<{ ok: number }>('SELECT 1 AS ok')));
    expect(checks.map((result) => result.rows[0]?.ok)).toEqual([1, 1, 1]);
  });

  test('when COMMIT itself fails (a deferred constraint), rejects with the COMMIT error and gives the connection back', async () => {
    const { pool, applicationName } = appPool(1);
    const key = `tx-deferred-${randomBytes(3).toString('hex')}`;
    const pids = new Set<number>();
    const caught = await withTransaction(pool, async (client) => {
      pids.add(await backendPid(client));
      await client.query('INSERT INTO tx_deferred (k) VALUES ($1), ($1)', [key]);
      return 'inserted';
    }).then(
      (result) => `resolved with ${JSON.stringify(result)}`,
      (error: unknown) => error,
    );
    expect(
      (caught as { code?: string }).code,
      `COMMIT failed with a unique violation (23505, checked at COMMIT): the helper must reject with that error; got ` +
        `${caught instanceof Error ? caught.message : String(caught)}. ${READ}`,
    ).toBe('23505');
    const { rowCount } = await admin.query('SELECT 1 FROM tx_deferred WHERE k = $1', [key]);
    expect(rowCount, 'nothing of a transaction whose COMMIT failed may remain').toBe(0);
    await expectAllGivenBack(pool, applicationName, 'After a failed COMMIT');
    await expectPoolServes(pool, 'After a failed COMMIT');
    await withTransaction(pool, async (client) => pids.add(await backendPid(client)));
    expect(
      pids.size,
      `A COMMIT that fails on a constraint is an answer from a healthy connection (the server has ended the transaction), ` +
        `yet the next transaction on this pool of one got a new connection: give it back with release(), and destroy only ` +
        `a connection that broke. ${READ}`,
    ).toBe(1);
  });

  test('a function that throws synchronously is rolled back and released like one that rejects', async () => {
    const { pool, applicationName } = appPool(1);
    const original = new Error('thrown before any await');
    const work = (): Promise<never> => {
      throw original;
    };
    const caught = await withTransaction(pool, work).catch((error: unknown) => error);
    expect(caught, `The caller must get its own error back, thrown or rejected. ${READ}`).toBe(original);
    await expectAllGivenBack(pool, applicationName, 'After a function that threw synchronously');
    await expectPoolServes(pool, 'After a function that threw synchronously');
  });

  test('when ROLLBACK fails, the caller keeps its error and that connection is destroyed, not handed to the next caller', async () => {
    const { pool, applicationName } = appPool(1);
    const original = new Error('the caller failed, then ROLLBACK did too');
    let pid = 0;
    const caught = await withTransaction(pool, async (client) => {
      pid = await backendPid(client);
      failNextRollback(client);
      throw original;
    }).catch((error: unknown) => error);
    expect(
      caught === original ? 'the original error' : String((caught as Error)?.message),
      `ROLLBACK failed; its error must not replace the caller's. ${READ}`,
    ).toBe('the original error');
    // Its transaction is still open on the server: the only safe thing is to close it.
    const next = await withTransaction(pool, (client) => backendPid(client)).catch((error: Error) => `failed: ${error.message}`);
    expect(
      next === pid ? 'the same connection' : 'another connection',
      `ROLLBACK failed, so nobody knows what state that connection is in (here: still inside its transaction), yet the ` +
        `next transaction got it back from the pool. Release it with client.release(error) so the pool destroys it. ${READ}`,
    ).toBe('another connection');
    await waitUntil(
      async () => !(await backendAlive(pid)),
      5_000,
      () =>
        `ROLLBACK failed, so nobody knows what state that connection is in (here: still inside its transaction), yet 5 s ` +
        `later it is still connected: it went back to the pool. Release it with client.release(error) so the pool destroys it. ${READ}`,
    );
    await expectAllGivenBack(pool, applicationName, 'After a failed ROLLBACK');
    await expectPoolServes(pool, 'After a failed ROLLBACK');
  });

  test('transactions reuse the pooled connection and leave no listeners on it', async () => {
    const { pool } = appPool(1);
    const before = await listenersOfCheckedOut(pool);
    const pids = new Set<number>();
    for (let i = 0; i < 30; i += 1) await withTransaction(pool, async (client) => pids.add(await backendPid(client)));
    expect(
      pids.size,
      `30 committed transactions on a pool of one should all use its one connection; they used ${pids.size}. Destroy a ` +
        `connection only when it broke. ${READ}`,
    ).toBe(1);
    const leak = `event listeners on the pooled client: a listener added per transaction (client.on('error', …)) must be removed before release(). ${DYING}`;
    expect(await listenersOfCheckedOut(pool), `After 30 committed transactions, ${leak}`).toEqual(before);
    const failedPids = new Set<number>();
    for (let i = 0; i < 30; i += 1) {
      await withTransaction(pool, async (client) => {
        failedPids.add(await backendPid(client));
        // Half fail in SQL (the transaction is aborted), half in JavaScript: ROLLBACK works for both.
        if (i % 2 === 0) await client.query('SELECT * FROM no_such_table');
        throw new Error(`failure ${i}`);
      }).catch(() => {});
    }
    expect(
      [...new Set([...pids, ...failedPids])].length,
      `30 transactions failed and each ROLLBACK succeeded, which leaves a clean connection; yet they used ` +
        `${failedPids.size} server connections (the pool has one). Give a rolled-back connection back with release(): ` +
        `destroying it costs a new connection (and a server process) per failed transaction. Destroy only a connection ` +
        `that broke (its ROLLBACK failed, or it emitted 'error'). ${READ}`,
    ).toBe(1);
    expect(await listenersOfCheckedOut(pool), `After 30 failed transactions, ${leak}`).toEqual(before);
  });

  test('when BEGIN fails (the connection died as it was handed out), the connection is released all the same', async () => {
    const relay = await startRelay(db.url);
    const applicationName = `wb-tx-${randomBytes(3).toString('hex')}`;
    const pool = db.pool({ connectionString: relay.url, max: 1, application_name: applicationName, connectionTimeoutMillis: 2_000 });
    try {
      await pool.query('SELECT 1');
      // The next checkout gets a connection the network has just cut: its first statement, BEGIN, fails.
      pool.once('acquire', () => relay.cut());
      let workRan = false;
      let caught: unknown;
      const crashes = await unexpectedCrashes(async () => {
        caught = await withTransaction(pool, async () => {
          workRan = true;
          return 'done';
        }).catch((error: unknown) => error);
        await sleep(50);
      });
      expect(crashes, `A cut connection emitted 'error' while the helper held it, and nothing listened. ${DYING}`).toEqual([]);
      expect(workRan, 'BEGIN failed: the function must not run outside a transaction').toBe(false);
      expect(caught, `BEGIN failed: the helper must reject with its error. ${READ}`).toBeInstanceOf(Error);
      expect(
        { checkedOut: pool.totalCount - pool.idleCount, waiting: pool.waitingCount },
        `BEGIN failed and the connection was never given back: with max 1, every later transaction now times out. ` +
          `BEGIN belongs inside the try whose finally releases the client. ${READ}`,
      ).toEqual({ checkedOut: 0, waiting: 0 });
      await expectPoolServes(pool, 'After a BEGIN that failed');
    } finally {
      await relay.close();
    }
  });

  test("one transaction's dead connection does not get the healthy connections of concurrent transactions destroyed", async () => {
    const { pool } = appPool(4);
    const go = gate();
    const started: number[] = [];
    // Three healthy transactions, in the middle of their work until the test lets them finish.
    const healthy = Array.from({ length: 3 }, () =>
      withTransaction(pool, async (client) => {
        const pid = await backendPid(client);
        started.push(pid);
        await go.opened;
        await client.query('SELECT 1');
        return pid;
      }),
    );
    try {
      await waitUntil(() => started.length === 3, 10_000, () => `Three transactions should run at once on a pool of four; ${started.length} started. ${READ}`);
      // A fourth one, whose connection is killed under it.
      const original = new Error('the caller failed after its connection died');
      const killed = await withTransaction(pool, async (client) => {
        const pid = await backendPid(client);
        let noticed = false;
        const notice = () => (noticed = true);
        client.once('end', notice);
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await waitUntil(() => noticed, 5_000, () => 'The client had not noticed its killed connection 5 s later.');
        throw original;
      }).catch((error: unknown) => error);
      expect(killed === original ? 'the original error' : String((killed as Error)?.message), `The killed transaction keeps its caller's error. ${READ}`).toBe(
        'the original error',
      );
    } finally {
      go.open();
    }
    const healthyPids = await Promise.all(healthy);
    const alive = await Promise.all(healthyPids.map((pid) => backendAlive(pid)));
    expect(
      { pooled: pool.totalCount, idle: pool.idleCount, alive: alive.filter(Boolean).length },
      `One transaction's connection died; the three that were running beside it committed on healthy connections, yet ` +
        `${3 - Math.min(pool.idleCount, 3)} of them were destroyed. Whether a connection broke is that call's own state ` +
        `(a variable inside withTransaction), never shared between calls. ${DYING}`,
    ).toEqual({ pooled: 3, idle: 3, alive: 3 });
  });

  test('when the connection dies mid-transaction: the original error, no crash, no broken connection reused', async () => {
    const { pool } = appPool(2);
    const original = new Error('the caller failed after the connection died');
    let caught: unknown;
    const crashes = await unexpectedCrashes(async () => {
      caught = await withTransaction(pool, async (client) => {
        const pid = await backendPid(client);
        // 'end' comes right after the client's 'error' (or, with nobody listening, the crash
        // comes instead): once either is here, the death has been noticed.
        let noticed = false;
        const notice = () => (noticed = true);
        client.once('end', notice);
        process.once('uncaughtException', notice);
        try {
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await waitUntil(() => noticed, 5_000, () => 'The client had not noticed its killed connection 5 s later.');
        } finally {
          process.off('uncaughtException', notice);
        }
        throw original;
      }).catch((error: unknown) => error);
    });
    expect(
      crashes,
      `The checked-out client emitted 'error' when its connection died, and nothing listened: in production the ` +
        `process exits. Listen for 'error' on the client while you hold it. ${DYING}`,
    ).toEqual([]);
    expect(
      caught === original ? 'the original error' : String((caught as Error)?.message),
      `ROLLBACK failed too (the connection is gone); its error must not replace the caller's. ${READ}`,
    ).toBe('the original error');
    const checks = await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 1')]);
    expect(checks, 'both pool connections work afterwards').toHaveLength(2);
  });

  test('the connection goes back with the session settings it had: committed or failed, nothing the helper set stays', async () => {
    // One connection, with settings of its pool (statement_timeout); what another borrower of it
    // sees after a transaction must be what it saw before.
    const applicationName = `wb-tx-${randomBytes(3).toString('hex')}`;
    const pool = db.pool({ max: 1, application_name: applicationName, connectionTimeoutMillis: 2_000, statement_timeout: 4_321 });
    const settings = async () => {
      const { rows } = await pool.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings ORDER BY name');
      return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
    };
    const before = await settings();
    await withTransaction(pool, async (client) => (await client.query('SELECT 1')).rowCount);
    const afterCommit = await settings();
    await withTransaction(pool, async () => {
      throw new Error('the caller failed');
    }).catch(() => undefined);
    const afterRollback = await settings();
    const changed = (after: Record<string, string>) =>
      Object.keys({ ...before, ...after })
        .filter((name) => before[name] !== after[name])
        .map((name) => `${name}: ${before[name]} → ${after[name]}`);
    expect(
      { afterCommit: changed(afterCommit), afterRollback: changed(afterRollback) },
      `After a transaction through the helper, the pooled connection's session settings changed; the next borrower of that ` +
        `connection runs with them, not with the pool's. A plain SET inside a transaction that commits stays for the whole ` +
        `session: a helper that guards its transactions with timeouts must use SET LOCAL (it ends with the transaction). ${READ}`,
    ).toEqual({ afterCommit: [], afterRollback: [] });
  });
});
