// Exercise 03 · transaction: a helper that commits, rolls back, and never leaks a connection.
// Run it with: npm test -- 03-pooling/transaction
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { lessonHint, unexpectedCrashes, useTestDatabase } from '../../shared/testing/index.ts';
import { withTransaction } from './transaction.ts';

const READ = lessonHint('03-pooling', '3. A query helper and a transaction helper');
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

/** Polls `condition` until it holds; fails with `message` if it still does not after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, ms: number, message: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(message());
    await sleep(20);
  }
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
 * Makes the client's next ROLLBACK fail, as it does when a connection is in a state nobody can
 * vouch for; the connection itself stays up, inside its transaction.
 */
function failNextRollback(client: pg.PoolClient): void {
  const target = client as unknown as { query: (...args: unknown[]) => unknown };
  const original = target.query;
  target.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string' && /^\s*rollback\b/i.test(text)) {
      target.query = original;
      return Promise.reject(new Error('ROLLBACK failed (made to fail by the test)'));
    }
    return original.apply(this, args);
  };
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
    const caught = await withTransaction(pool, async (client) => {
      await client.query('INSERT INTO "Category" ("name") VALUES ($1)', [name]);
      throw original;
    }).catch((error: unknown) => error);
    expect(caught, `The caller must get its own error back. ${READ}`).toBe(original);
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
    const caught = await withTransaction(pool, async (client) => {
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
    await until(
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
    for (let i = 0; i < 30; i += 1) {
      await withTransaction(pool, async () => {
        throw new Error(`failure ${i}`);
      }).catch(() => {});
    }
    expect(await listenersOfCheckedOut(pool), `After 30 failed transactions, ${leak}`).toEqual(before);
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
          await until(() => noticed, 5_000, () => 'The client had not noticed its killed connection 5 s later.');
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
});
