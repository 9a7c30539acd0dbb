// Exercise 03 · pool: a node-postgres pool that holds under load and faults.
// Run it with: npm test -- 03-pooling/pool
//
// No verdict here depends on how fast the machine is: concurrency is held with an advisory lock
// (the queries cannot finish until the test lets them), timeouts are judged by their order (a
// 300 ms timeout must fire before a 20 s one started earlier), and waits for something to happen
// are bounded polls that fail with a message, far longer than a correct pool needs.
import { randomBytes, randomInt } from 'node:crypto';
import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type pg from 'pg';
import { connectionsOf, connectPatiently, lessonHint, suiteSection, unexpectedCrashes, useTestDatabase, waitUntil } from '../../shared/testing/index.ts';
import { createAppPool, type PoolSettings } from './pool.ts';

const WHAT_FOR = suiteSection('03-pooling', '1. What a pool is for');
const SETTINGS = lessonHint('03-pooling', '2. Settings that matter');
const DYING = lessonHint('03-pooling', '4. When connections die');

const db = useTestDatabase();
let admin: pg.Pool;
const pools: { pool: pg.Pool; applicationName: string }[] = [];

beforeAll(() => {
  admin = db.pool({ max: 3 });
});
afterEach(async () => {
  // End the server side first: a statement the pool under test failed to stop (pg_sleep(30))
  // would otherwise keep pool.end() waiting for it.
  for (const { pool: used, applicationName } of pools.splice(0)) {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    await used.end().catch(() => {});
  }
  // After the pools: a console silenced by a test stays silent while its pool's last connection is killed.
  vi.restoreAllMocks();
});

/** A pool under test. `onError: undefined` leaves the key out, to exercise the default. */
function pool(overrides: Partial<PoolSettings> = {}): { pool: pg.Pool; settings: PoolSettings } {
  const settings: PoolSettings = {
    connectionString: db.url,
    applicationName: `wb-pool-${randomBytes(3).toString('hex')}`,
    max: 5,
    idleTimeoutMs: 10_000,
    // Opening a connection is not what most tests judge, and a busy machine opens them slowly
    // (against a container's server, over 500 ms): the tests that judge the timeout set their own.
    connectionTimeoutMs: 10_000,
    statementTimeoutMs: 5_000,
    onError: () => {},
    ...overrides,
  };
  if ('onError' in overrides && overrides.onError === undefined) delete settings.onError;
  const created = createAppPool(settings);
  pools.push({ pool: created, applicationName: settings.applicationName });
  return { pool: created, settings };
}

/** The promise's outcome, or a failure with `message` if it has none after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Errors nobody handled while `work` ran (each would end a production process), as text. */
async function unhandledDuring(work: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onRejection = (reason: unknown) => seen.push(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  const onException = (error: Error) => seen.push(`uncaught exception: ${error.message}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  try {
    await work();
    await sleep(50);
  } finally {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  }
  return seen;
}

/** Sessions of this database waiting for the advisory lock `key` (whatever their application_name). */
async function waitingForLock(key: number): Promise<number> {
  const { rows } = await admin.query<{ count: string }>(
    `SELECT count(*) FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted AND objid = $1::bigint::oid
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [key],
  );
  return Number(rows[0]!.count);
}

/** Opens `count` connections, leaves them idle in the pool, and returns their server pids. */
async function idleConnections(app: pg.Pool, count: number): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: count }, () => app.connect()));
  try {
    return await Promise.all(clients.map(async (client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
  } finally {
    clients.forEach((client) => client.release());
  }
}

describe('the application pool', () => {
  test('200 concurrent queries never open more server connections than max, and all of them succeed', { timeout: 60_000 }, async () => {
    // connectionTimeoutMs far above anything this test waits: here every caller must get a
    // connection in the end; the timeout itself is judged by the next test.
    // 12: above 10, pg.Pool's own default, so a pool that caps or ignores max shows.
    const { pool: app, settings } = pool({ max: 12, connectionTimeoutMs: 50_000 });
    const key = randomInt(1, 2 ** 31 - 1);
    // The gate: while the admin holds the advisory lock, every query below blocks on the server
    // holding its connection, so the pool has open all the connections it will ever open.
    const gate = await admin.connect();
    let gateOpen = false;
    const openGate = async () => {
      if (gateOpen) return;
      gateOpen = true;
      await gate.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
      gate.release();
    };
    let peak = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        peak = Math.max(peak, await connectionsOf(admin, settings.applicationName).catch(() => 0));
        await sleep(10);
      }
    })();
    try {
      await gate.query('SELECT pg_advisory_lock($1)', [key]);
      const outcomes = Promise.allSettled(Array.from({ length: 200 }, () => app.query('SELECT pg_advisory_xact_lock_shared($1)', [key])));
      let blocked = 0;
      await waitUntil(
        async () => {
          blocked = await waitingForLock(key);
          return (blocked > 0 && blocked >= app.totalCount) || blocked > settings.max;
        },
        20_000,
        () =>
          `200 queries were sent through the pool, but after 20 s only ${blocked} server connections were running them ` +
          `(the pool counts ${app.totalCount} clients). Does createAppPool pass connectionString and max to pg.Pool? ${WHAT_FOR}`,
      );
      const named = await connectionsOf(admin, settings.applicationName);
      expect(blocked, `max is ${settings.max}, but ${blocked} server connections were open at once. ${WHAT_FOR}`).toBeLessThanOrEqual(settings.max);
      expect(
        blocked,
        `200 queries were waiting and max is ${settings.max}: the pool should open all ${settings.max} connections, and it ` +
          `opened ${blocked}. Pass max to pg.Pool as it is, not capped or replaced. ${SETTINGS}`,
      ).toBe(settings.max);
      expect(
        named,
        `${blocked} connections were running the queries, but ${named} showed up in pg_stat_activity as application_name ` +
          `'${settings.applicationName}': every connection should carry it. ${SETTINGS}`,
      ).toBe(blocked);
      await openGate();
      const settled = await within(outcomes, 20_000, 'The 200 queries had not all finished 20 s after the gate opened (each takes about a millisecond).');
      const failed = settled.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(
        failed.length,
        `With connectionTimeoutMs at 50 s, every query should wait its turn and succeed; ${failed.length} of 200 failed, the first with: ` +
          `${String((failed[0]?.reason as Error | undefined)?.message)}. ${WHAT_FOR}`,
      ).toBe(0);
    } finally {
      watching = false;
      await watcher;
      await openGate();
    }
    expect(peak, `max is ${settings.max}, but ${peak} server connections were open at once. ${WHAT_FOR}`).toBeLessThanOrEqual(settings.max);
  });

  test('when every connection is busy, a caller fails after its own connectionTimeoutMs with a clear error', async () => {
    // Two pools, both exhausted. The patient one (20 s) is asked first, the quick one (300 ms)
    // second: if each uses its own setting, the quick caller fails first, while the patient one
    // is still waiting. Timers fire in the order they fall due, however busy the machine is.
    const { pool: quick } = pool({ max: 2, connectionTimeoutMs: 300 });
    const { pool: patient } = pool({ max: 1, connectionTimeoutMs: 20_000 });
    // Opening the two connections may outlast 300 ms on a busy machine: retried, as that is not judged.
    const heldQuick = await Promise.all([connectPatiently(quick), connectPatiently(quick)]);
    const heldPatient = await patient.connect();
    const order: string[] = [];
    const patientDone = patient.query('SELECT 1 AS ok').then(
      () => order.push('patient caller got its connection'),
      (error: Error) => order.push(`patient caller failed (${error.message})`),
    );
    const started = performance.now();
    // A timer of the test's, 250 ms past the quick pool's timeout and started after the call: it
    // fires after the pool's own timer however busy the machine is, so a caller still waiting
    // then waited longer than connectionTimeoutMs.
    let witnessFired = false;
    let failedAfterWitness: boolean | undefined;
    const asked = quick.query('SELECT 1').then(
      () => undefined,
      (caught: Error) => ((failedAfterWitness = witnessFired), caught),
    );
    const witness = setTimeout(() => (witnessFired = true), 300 + 250);
    let error: Error | undefined;
    try {
      error = await within(
        asked,
        10_000,
        `With both connections checked out and connectionTimeoutMs at 300, the third caller was still waiting after 10 s: ` +
          `pass connectionTimeoutMs to the pool (connectionTimeoutMillis). ${SETTINGS}`,
      );
      order.push('quick caller failed');
    } finally {
      clearTimeout(witness);
      heldPatient.release();
      heldQuick.forEach((client) => client.release());
    }
    const waited = performance.now() - started;
    await within(patientDone, 10_000, 'The patient caller got no answer 10 s after its connection was given back.');
    expect(error, `With both connections checked out, the third caller must fail, not wait for ever. ${SETTINGS}`).toBeInstanceOf(Error);
    expect(error?.message, `The error should say the wait timed out. ${SETTINGS}`).toMatch(/timeout/i);
    expect(waited, `It should fail after about connectionTimeoutMs (300 ms), not after ${waited.toFixed(0)} ms. ${SETTINGS}`).toBeGreaterThanOrEqual(250);
    expect(
      failedAfterWitness,
      `connectionTimeoutMs is 300, but the caller was still waiting when a 550 ms timer started after its call fired ` +
        `(it failed after ${waited.toFixed(0)} ms): pass connectionTimeoutMs to the pool as it is, with no margin added. ${SETTINGS}`,
    ).toBe(false);
    expect(
      order,
      `A pool with connectionTimeoutMs 300 and one with 20000, both exhausted: the 300 ms caller must fail first and the ` +
        `20 s caller must still be waiting, and get its connection when it is given back. A fixed timeout ignores the setting. ${SETTINGS}`,
    ).toEqual(['quick caller failed', 'patient caller got its connection']);
  });

  test('statement_timeout makes the server stop a statement far longer than itself', async () => {
    const { pool: app, settings } = pool({ statementTimeoutMs: 200 });
    const started = performance.now();
    // Four at once: a client-side timer set to the same 200 ms races the server, and wins most of the time.
    const errors = await Promise.all(
      Array.from({ length: 4 }, () => app.query('SELECT pg_sleep(30)').then(() => undefined, (caught: Error & { code?: string }) => caught)),
    );
    const error = errors.find((caught) => caught?.code !== '57014') ?? errors[0];
    const took = performance.now() - started;
    expect(error, `pg_sleep(30) should be cancelled after ~200 ms. ${SETTINGS}`).toBeDefined();
    expect(took, `pg_sleep(30) with statementTimeoutMs 200 ran ${took.toFixed(0)} ms before it failed. ${SETTINGS}`).toBeLessThan(5_000);
    // The server has stopped the statement by the time it reports 57014; a client-side timeout
    // leaves it running for 30 s, far longer than this bound.
    let running = 0;
    await waitUntil(
      async () => {
        const { rows } = await admin.query<{ count: string }>(
          `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep(30)%'`,
          [settings.applicationName],
        );
        running = Number(rows[0]!.count);
        return running === 0;
      },
      5_000,
      () =>
        `The client gave up, but 5 s later the server is still running pg_sleep(30): query_timeout only stops waiting. ` +
        `statement_timeout is the server-side limit. ${SETTINGS}`,
    );
    expect(
      errors.map((caught) => caught?.code ?? caught?.message),
      `Postgres reports a statement it cancelled as 57014 (query_canceled). Another error here comes from the client ` +
        `giving up first: query_timeout, if you set it, must lie above statementTimeoutMs, so the server's answer wins. ${SETTINGS}`,
    ).toEqual(['57014', '57014', '57014', '57014']);
    const { rows } = await app.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(rows[0]?.statement_timeout, `Every connection of the pool should run with statement_timeout = statementTimeoutMs (200). ${SETTINGS}`).toBe('200ms');
  });

  test('the application name arrives exactly as given, whatever its characters, also when the connection string has a query of its own', async () => {
    // A connection string may already carry parameters (sslmode=…, here a harmless one).
    const withQuery = new URL(db.url);
    withQuery.searchParams.set('fallback_application_name', 'wb-fallback');
    // Spaces at both ends: a name is the caller's, not to be trimmed.
    const applicationName = `  wb-pool-${randomBytes(3).toString('hex')} o'brien & co #2 100%  `;
    const { pool: app } = pool({ connectionString: withQuery.toString(), applicationName, max: 2 });
    let names: string[] = [];
    const unhandled = await unhandledDuring(async () => {
      names = await Promise.all(
        Array.from({ length: 2 }, () =>
          app.query<{ name: string }>("SELECT current_setting('application_name') AS name, pg_sleep(0.05)").then(
            (result) => result.rows[0]!.name,
            (error: Error) => `the query failed: ${error.message}`,
          ),
        ),
      );
    });
    const deathUnheard = unhandled.filter((line) => /terminat|admin|shut ?down|57P01|connection/i.test(line));
    expect(
      deathUnheard,
      `While this test ran, a dying connection's error reached nobody (${deathUnheard[0]}): an 'error' event with no ` +
        `listener on the pool is an uncaught exception, and the process exits. Listen for 'error' on the pool itself ` +
        `(pool.on('error', …)): a listener on each client is not enough. ${DYING}`,
    ).toEqual([]);
    expect(
      unhandled,
      `Creating connections for applicationName "${applicationName}" raised errors nobody handled: a value pasted into SQL ` +
        `(SET application_name = '…') breaks on a quote, and an unhandled rejection ends the process. Pass application_name ` +
        `to pg.Pool as an option. ${SETTINGS}`,
    ).toEqual([]);
    expect(
      names,
      `applicationName "${applicationName}" (connection string "…?fallback_application_name=wb-fallback") should reach the ` +
        `server unchanged on every connection. Pasted unencoded into a URL, &, # and % cut or break it, and a second '?' ` +
        `spoils the string's own query: pass application_name as a pg.Pool option (or set it with URLSearchParams). ${SETTINGS}`,
    ).toEqual([applicationName, applicationName]);
    expect(await connectionsOf(admin, applicationName), `pg_stat_activity should list the pool's connections under "${applicationName}". ${SETTINGS}`).toBe(
      app.totalCount,
    );
  });

  test('every call makes a pool of its own: same name, other settings, and ending one leaves the other working', async () => {
    const applicationName = `wb-pool-${randomBytes(3).toString('hex')}`;
    const { pool: first } = pool({ applicationName, statementTimeoutMs: 5_000 });
    const { pool: second } = pool({ applicationName, statementTimeoutMs: 300, max: 2 });
    const timeouts = await Promise.all(
      [first, second].map((app) =>
        app.query<{ statement_timeout: string }>('SHOW statement_timeout').then(
          (result) => result.rows[0]!.statement_timeout,
          (error: Error) => `failed: ${error.message}`,
        ),
      ),
    );
    expect(
      timeouts,
      `Two createAppPool calls with the same connection string and name but statementTimeoutMs 5000 and 300: each pool ` +
        `must use its own settings. createAppPool returns a new pool on every call (making one per process, at start-up, ` +
        `is the caller's job); a cache of pools hands out one with the wrong settings. ${SETTINGS}`,
    ).toEqual(['5s', '300ms']);
    await first.end();
    const after = await second.query<{ ok: number }>('SELECT 1 AS ok').then(
      (result) => result.rows[0]!.ok,
      (error: Error) => `failed: ${error.message}`,
    );
    expect(after, `Ending the first pool must not stop the second, which its caller still owns. ${SETTINGS}`).toBe(1);
    const { pool: third } = pool({ applicationName });
    const afterEnd = await third.query<{ ok: number }>('SELECT 1 AS ok').then(
      (result) => result.rows[0]!.ok,
      (error: Error) => `failed: ${error.message}`,
    );
    expect(afterEnd, `A pool created after another with the same settings was ended must work: createAppPool makes a new one. ${SETTINGS}`).toBe(1);
  });

  test('idle connections are closed after idleTimeoutMs, and not before', async () => {
    // Two pools: the lasting one (20 s) goes idle first, the short one (200 ms) after it. The
    // short one's connections must close while the lasting one's are still open.
    const { pool: lasting, settings: lastingSettings } = pool({ idleTimeoutMs: 20_000 });
    const { pool: app, settings } = pool({ idleTimeoutMs: 200 });
    await Promise.all(Array.from({ length: 2 }, () => lasting.query('SELECT pg_sleep(0.02)')));
    await Promise.all(Array.from({ length: 4 }, () => app.query('SELECT pg_sleep(0.02)')));
    // Every connection went idle before this point; a timer started now, 400 ms past idleTimeoutMs,
    // fires after the pool's idle timers however busy the machine is: the pool must be empty then.
    const openAtWitness = new Promise<number>((resolve) => setTimeout(() => resolve(app.totalCount), 200 + 400));
    expect(
      await connectionsOf(admin, lastingSettings.applicationName),
      `No connection showed up in pg_stat_activity as application_name '${lastingSettings.applicationName}'. ${SETTINGS}`,
    ).toBeGreaterThan(0);
    let open = 0;
    await waitUntil(
      async () => (open = await connectionsOf(admin, settings.applicationName)) === 0,
      8_000,
      () => `idleTimeoutMs is 200, but ${open} idle connections were still open 8 s later. ${SETTINGS}`,
    );
    const heldOn = await openAtWitness;
    expect(
      heldOn,
      `idleTimeoutMs is 200, but ${heldOn} idle connections were still in the pool when a 600 ms timer started after they ` +
        `went idle fired: pass idleTimeoutMs to the pool as it is. ${SETTINGS}`,
    ).toBe(0);
    const lastingOpen = await connectionsOf(admin, lastingSettings.applicationName);
    expect(
      lastingOpen,
      `A pool with idleTimeoutMs 20000 closed its idle connections as soon as one with 200 did: the setting is not used. ${SETTINGS}`,
    ).toBeGreaterThan(0);
  });

  test('a connection killed on the server does not crash the process, onError hears of it, and the next query works', async () => {
    const heard: unknown[] = [];
    const consoleCalls = (['error', 'warn', 'log', 'info', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const { pool: app } = pool({
      max: 2,
      onError: (error) => {
        heard.push(error); // returns nothing, as most handlers do
      },
    });
    // The errors the connections themselves emit (a listener on each client does not stop the pool's 'error').
    const emitted: unknown[] = [];
    app.on('connect', (client) => client.on('error', (error) => emitted.push(error)));
    const pids = await idleConnections(app, 2);
    const crashes = await unexpectedCrashes(async () => {
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      // node-postgres drops a dead idle client from the pool, then emits 'error': once both are
      // gone, both errors have been delivered (or have crashed).
      await waitUntil(() => app.totalCount === 0, 10_000, () => `10 s after both idle connections were killed, the pool still counts ${app.totalCount}.`);
      await sleep(50);
    });
    expect(
      crashes,
      `Killing idle connections raised an uncaught error; in production the process would exit. Listen for 'error' ` +
        `on the pool. ${DYING}`,
    ).toEqual([]);
    expect(
      heard.length > 0 && heard.every((error) => error instanceof Error),
      `Two idle connections died, and settings.onError should have been called with their errors; it got ${heard.length} calls. ${DYING}`,
    ).toBe(true);
    expect(
      heard.filter((error) => !emitted.includes(error)).map(String),
      `onError should get the connection's own error (its code and message say why it died: 57P01, terminated by an ` +
        `administrator), not a new one made from it. ${DYING}`,
    ).toEqual([]);
    const printed = consoleCalls.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    expect(printed, `With onError given, errors go to onError alone: the console got ${printed} calls. ${DYING}`).toBe(0);
    const { rows } = await app.query<{ ok: number }>('SELECT 1 AS ok');
    expect(rows[0]?.ok, 'after the kill, the pool opens a fresh connection').toBe(1);
  });

  test('without onError, a killed idle connection is logged to the console, not thrown', async () => {
    const methods = ['error', 'warn', 'log', 'info', 'debug'] as const;
    const spies = methods.map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const { pool: app } = pool({ max: 2, onError: undefined });
    const pids = await idleConnections(app, 2);
    const crashes = await unexpectedCrashes(async () => {
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      await waitUntil(() => app.totalCount === 0, 10_000, () => `10 s after both idle connections were killed, the pool still counts ${app.totalCount}.`);
      await sleep(50);
    });
    const lines = spies.flatMap((spy) => spy.mock.calls.map((args) => args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ')));
    const mentionsError = spies.some((spy) => spy.mock.calls.some((args) => args.some((arg) => arg instanceof Error))) || lines.some((line) => /terminat|connection/i.test(line));
    expect(
      crashes,
      `settings.onError is optional: without it, a dying idle connection still must not crash the process (it did: ${crashes[0]}). ` +
        `Fall back to a default listener. ${DYING}`,
    ).toEqual([]);
    expect(
      mentionsError,
      `Without onError, the error of a dying idle connection should be logged by default (console.error or console.warn), ` +
        `not swallowed; the console got: ${JSON.stringify(lines.slice(0, 3))}. ${DYING}`,
    ).toBe(true);
    const { rows } = await app.query<{ ok: number }>('SELECT 1 AS ok');
    expect(rows[0]?.ok).toBe(1);
  });

  test('statement_timeout is the connection\'s own default: RESET ALL, DISCARD ALL or RESET statement_timeout bring it back, not remove it', async () => {
    // Code that borrows a connection may reset its session (DISCARD ALL is what PgBouncer and
    // many libraries run between clients; a report may raise its timeout and RESET it after).
    const { pool: app } = pool({ max: 1, statementTimeoutMs: 200 });
    const after: Record<string, string> = {};
    for (const reset of ['DISCARD ALL', 'RESET ALL', 'RESET statement_timeout', 'SET statement_timeout TO DEFAULT']) {
      const client = await app.connect();
      try {
        await client.query(reset);
        after[reset] = (await client.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!.statement_timeout;
      } finally {
        client.release();
      }
    }
    expect(
      after,
      `After a session reset on a pooled connection, its statement_timeout should still be statementTimeoutMs (200ms): ` +
        `got ${JSON.stringify(after)}. A SET run when the connection opens ('connect' handler) is session state, which these ` +
        `statements undo (0 = no limit at all); send statement_timeout when the connection starts (the pg.Pool option ` +
        `statement_timeout, or options: '-c statement_timeout=…'), so it is the connection's default. ${SETTINGS}`,
    ).toEqual({ 'DISCARD ALL': '200ms', 'RESET ALL': '200ms', 'RESET statement_timeout': '200ms', 'SET statement_timeout TO DEFAULT': '200ms' });
  });

  test('two pools with their own onError: each hears only of its own idle connections', async () => {
    const heardA: unknown[] = [];
    const heardB: unknown[] = [];
    const { pool: a } = pool({ max: 2, onError: (error) => heardA.push(error) });
    const { pool: b } = pool({ max: 2, onError: (error) => heardB.push(error) });
    const pidsA = await idleConnections(a, 1);
    await idleConnections(b, 1);
    const crashes = await unexpectedCrashes(async () => {
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pidsA]);
      await waitUntil(() => a.totalCount === 0, 10_000, () => `10 s after pool A's idle connection was killed, pool A still counts ${a.totalCount}.`);
      await sleep(50);
    });
    expect(crashes, `Killing an idle connection raised an uncaught error. Listen for 'error' on the pool. ${DYING}`).toEqual([]);
    expect(
      { a: heardA.length, b: heardB.length },
      `Pool A's idle connection was killed: A's onError should hear of it and B's should not (A heard ${heardA.length}, ` +
        `B heard ${heardB.length}). Each pool's listener calls that pool's own settings.onError; a handler kept in a ` +
        `module variable is overwritten by the next createAppPool call. ${DYING}`,
    ).toEqual({ a: 1, b: 0 });
  });
});
