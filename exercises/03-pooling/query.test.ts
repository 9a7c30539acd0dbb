// Exercise 03 · query: a query helper with a slow-query log that tells the truth.
// Run it with: npm test -- 03-pooling/query
//
// Timings are judged against what the test itself saw happen (when it gave the connection
// back, when the promise resolved), never against a budget a busy machine could miss.
import { randomBytes, randomInt } from 'node:crypto';
import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type pg from 'pg';
import { connectionsOf, connectPatiently, lessonHint, startRelay, suiteSection, unexpectedCrashes, useTestDatabase, waitUntil } from '../../shared/testing/index.ts';
import { createQuery, type SlowQuery } from './query.ts';

const READ = suiteSection('03-pooling', '3. A query helper and a transaction helper');
const DYING = lessonHint('03-pooling', '4. When connections die');
const SLOW_MS = 100;
/** Clock tolerance: a helper may time with Date.now(), whose ticks are whole milliseconds. */
const TICK_MS = 3;
const db = useTestDatabase();
const entries: SlowQuery[] = [];

function setup(max = 5, slowMs = SLOW_MS) {
  const applicationName = `wb-query-${randomBytes(3).toString('hex')}`;
  const pool: pg.Pool = db.pool({ max, application_name: applicationName, connectionTimeoutMillis: 5_000 });
  return { pool, applicationName, query: createQuery(pool, { slowMs, log: (entry) => entries.push(entry) }) };
}

/** Every console line written while a test ran (the console is silenced by `silenceConsole`). */
function silenceConsole(): () => string[] {
  const spies = (['warn', 'error', 'log', 'info', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
  return () => spies.flatMap((spy) => spy.mock.calls.map((args) => args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 6 }))).join(' ')));
}

/**
 * Entries logged although the statement they report ran less than slowMs: "slow" is the statement's
 * own time, whatever the wait before it and however it ended. Judged by the entry's own numbers,
 * so a busy machine that really makes a statement slow cannot fail it.
 */
const loggedBelow = (slowMs: number) =>
  entries.filter((entry) => entry.durationMs < slowMs - TICK_MS).map((entry) => ({ text: entry.text, durationMs: Math.round(entry.durationMs), waitMs: Math.round(entry.waitMs) }));

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


/** Sessions of this database waiting for the advisory lock `key`. */
async function waitingForLock(admin: pg.Pool, key: number): Promise<number> {
  const { rows } = await admin.query<{ count: string }>(
    `SELECT count(*) FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted AND objid = $1::bigint::oid
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [key],
  );
  return Number(rows[0]!.count);
}

/** Whether pg_sleep(30) is running on a connection named `applicationName`. */
async function sleeping(admin: pg.Pool, applicationName: string): Promise<boolean> {
  const { rowCount } = await admin.query(
    `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep(30)%'`,
    [applicationName],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * How many log lines one fast run of `run` added. Fast is judged by this test's own clock around
 * the call (the helper's timing lies inside it): on a busy machine a SELECT 1 can take longer
 * than slowMs, so up to five tries are made for one that took less; logging it is then wrong.
 */
async function loggedWhenFast(run: () => Promise<unknown>, slowMs: number, logged: () => number): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = logged();
    const started = performance.now();
    await run();
    if (performance.now() - started < slowMs - TICK_MS) return logged() - before;
  }
  return 0; // never fast here: nothing to judge
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

/**
 * Holds the pool's only connection until `query` is waiting for it, then `holdMs` more, and
 * reports when the connection was given back and when the query resolved.
 */
async function queryBehindHolder(pool: pg.Pool, run: () => Promise<unknown>, holdMs: number) {
  const holder = await pool.connect();
  let calledAt = 0;
  let afterCall = 0;
  let releasedAt = 0;
  let pending: Promise<unknown> | undefined;
  try {
    calledAt = performance.now();
    pending = run();
    afterCall = performance.now();
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await waitUntil(
      () => pool.waitingCount > 0 || settled,
      5_000,
      () => `With the pool's only connection checked out, the helper should wait for it in pool.connect(); pool.waitingCount stayed 0. ${READ}`,
    );
    expect(
      settled,
      `The call finished while the pool's only connection was checked out: the helper did not take its connection from the pool. ${READ}`,
    ).toBe(false);
    await sleep(holdMs);
  } finally {
    releasedAt = performance.now();
    holder.release();
  }
  await pending;
  const resolvedAt = performance.now();
  return { calledAt, afterCall, releasedAt, resolvedAt };
}

beforeEach(() => {
  entries.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('query helper', () => {
  test('returns results, and logs a slow statement once with its text, duration and wait', async () => {
    const { query } = setup();
    const started = performance.now();
    const result = await query<{ n: number }>('SELECT 41 + 1 AS n, pg_sleep(0.15)');
    const took = performance.now() - started;
    expect(result.rows[0]?.n).toBe(42);
    expect(entries, `One slow statement, one call to the injected log(). ${READ}`).toHaveLength(1);
    const entry = entries[0]!;
    expect(entry.text).toBe('SELECT 41 + 1 AS n, pg_sleep(0.15)');
    expect(entry.durationMs, `durationMs in milliseconds: the statement slept 150 ms. ${READ}`).toBeGreaterThanOrEqual(150 - TICK_MS);
    expect(entry.durationMs, `durationMs cannot exceed the ${took.toFixed(0)} ms the call took. ${READ}`).toBeLessThanOrEqual(took + TICK_MS);
    expect(typeof entry.waitMs, `The entry reports waitMs, the time spent waiting for a connection (a number, in ms). ${READ}`).toBe('number');
    expect(entry.waitMs).toBeGreaterThanOrEqual(0);
    expect(entry.waitMs + entry.durationMs, `waitMs + durationMs cannot exceed the ${took.toFixed(0)} ms the call took. ${READ}`).toBeLessThanOrEqual(took + TICK_MS);
  });

  test('logs by slowMs: a 150 ms statement is not slow when slowMs is 1000, and fast statements are never logged', async () => {
    const { query } = setup(5, 1_000);
    for (const text of ['SELECT 1', 'SELECT pg_sleep(0.15)']) {
      const logged = await loggedWhenFast(() => query(text), 1_000, () => entries.length);
      expect(logged, `slowMs is 1000 and "${text}" took less than that: it is not slow. Compare with options.slowMs. ${READ}`).toBe(0);
    }
  });

  test('never logs parameter values', async () => {
    const { query } = setup();
    const result = await query<{ token: string }>('SELECT $1::text AS token, pg_sleep(0.15)', ['s3cret-token-123']);
    expect(result.rows[0]?.token).toBe('s3cret-token-123');
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries), `Values hold personal data and secrets: log the statement text only. ${READ}`).not.toContain('s3cret');
  });

  test('without log(), a slow statement goes to the console, text without values', async () => {
    const spies = (['warn', 'error', 'log', 'info', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const pool = db.pool({ max: 2 });
    const query = createQuery(pool, { slowMs: SLOW_MS });
    const afterFast = await loggedWhenFast(() => query('SELECT 1'), SLOW_MS, () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0));
    const result = await query<{ token: string }>('SELECT $1::text AS token, pg_sleep(0.15)', ['s3cret-default-456']);
    expect(result.rows[0]?.token).toBe('s3cret-default-456');
    const lines = spies.flatMap((spy) => spy.mock.calls.map((args) => args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 4 }))).join(' ')));
    expect(afterFast, `SELECT 1 is not slow: nothing should be logged. ${READ}`).toBe(0);
    expect(
      lines.some((line) => line.includes('pg_sleep(0.15)')),
      `log is optional: without it, the slow statement's text should still be logged (console.warn is the default). ` +
        `The console got: ${JSON.stringify(lines)}. ${READ}`,
    ).toBe(true);
    expect(lines.join('\n'), `Values hold personal data and secrets: the default log too shows the text only. ${READ}`).not.toContain('s3cret');
  });

  test('time spent waiting for a free connection is not counted as query time', async () => {
    const { pool, query } = setup(1);
    // SELECT 1 waits at least 300 ms for the only connection, then runs in about a millisecond.
    const seen = await queryBehindHolder(pool, () => query('SELECT 1'), 3 * SLOW_MS);
    const ran = seen.resolvedAt - seen.releasedAt;
    const counted = entries.filter((entry) => entry.durationMs > ran + TICK_MS);
    expect(
      counted.map((entry) => Math.round(entry.durationMs)),
      `SELECT 1 waited ${(seen.releasedAt - seen.afterCall).toFixed(0)} ms for a connection and then took at most ` +
        `${ran.toFixed(0)} ms, but it was logged with a longer duration. A timer around pool.query() includes the wait: ` +
        `report it apart (waitMs). ${READ}`,
    ).toEqual([]);
    expect(
      loggedBelow(SLOW_MS),
      `SELECT 1 waited for a connection, then ran in about a millisecond, and was logged as slow: "slow" is the statement's ` +
        `own time (durationMs >= slowMs), not the wait added to it. A long wait is a pool problem (waitMs shows it on ` +
        `statements that are slow). ${READ}`,
    ).toEqual([]);
  });

  test('the wait is reported in waitMs, apart from the statement time in durationMs', async () => {
    const { pool, query } = setup(1);
    const seen = await queryBehindHolder(pool, () => query('SELECT pg_sleep(0.15)'), 4 * SLOW_MS);
    expect(entries, `A 150 ms statement with slowMs 100 is logged once. ${READ}`).toHaveLength(1);
    const { durationMs, waitMs } = entries[0]!;
    const held = seen.releasedAt - seen.afterCall;
    const afterRelease = seen.resolvedAt - seen.releasedAt;
    const whole = seen.resolvedAt - seen.calledAt;
    expect(durationMs, `The statement slept 150 ms: durationMs is ${durationMs.toFixed(0)}. ${READ}`).toBeGreaterThanOrEqual(150 - TICK_MS);
    expect(
      durationMs,
      `The statement could only start once the connection was given back, and the call resolved ${afterRelease.toFixed(0)} ms ` +
        `after that; durationMs is ${durationMs.toFixed(0)}: it includes the ${held.toFixed(0)} ms wait. ${READ}`,
    ).toBeLessThanOrEqual(afterRelease + TICK_MS);
    expect(
      waitMs,
      `The helper waited at least ${held.toFixed(0)} ms for the only connection, but waitMs is ${waitMs.toFixed(0)}: start the ` +
        `clock before pool.connect() and stop it when the client is yours. ${READ}`,
    ).toBeGreaterThanOrEqual(held - TICK_MS);
    expect(
      waitMs + durationMs,
      `waitMs (${waitMs.toFixed(0)}) + durationMs (${durationMs.toFixed(0)}) exceed the ${whole.toFixed(0)} ms the whole call took: ` +
        `the two must not overlap. ${READ}`,
    ).toBeLessThanOrEqual(whole + TICK_MS);
  });

  // 40, not more: a wrong answer opens one connection per call, and the server's
  // max_connections (100 by default) is shared with everything else running.
  test("40 concurrent calls share the pool's connections", async () => {
    const { query, applicationName } = setup(5);
    let peak = 0;
    let running = true;
    const admin = db.pool({ max: 1 });
    const watcher = (async () => {
      while (running) {
        peak = Math.max(peak, await connectionsOf(admin, applicationName).catch(() => 0));
        await sleep(10);
      }
    })();
    try {
      await Promise.all(Array.from({ length: 40 }, () => query('SELECT pg_sleep(0.05)')));
    } finally {
      running = false;
      await watcher;
    }
    expect(peak, `The pool allows 5 connections; ${peak} were open at once. A new Client (or Pool) per call defeats the pool. ${READ}`).toBeLessThanOrEqual(5);
  });

  test('one connection serves call after call, and the helper leaves no listeners behind', async () => {
    const { pool, query } = setup(1);
    const before = await listenersOfCheckedOut(pool);
    const pids = new Set<number>();
    for (let i = 0; i < 30; i += 1) {
      const { rows } = await query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      pids.add(rows[0]!.pid);
    }
    expect(pids.size, `30 calls in a row on a pool of one should reuse its connection; they used ${pids.size} server connections. ${READ}`).toBe(1);
    expect(
      await listenersOfCheckedOut(pool),
      `After 30 calls the pooled client has more event listeners than before: a listener added per call (client.on(…)) ` +
        `must be removed before release(). ${READ}`,
    ).toEqual(before);
  });

  test('overlapping calls each report their own wait and duration', async () => {
    const { pool, query } = setup(1);
    const admin = db.pool({ max: 2 });
    const key = randomInt(1, 2 ** 31 - 1);
    // The first call's statement blocks on an advisory lock the test holds; the second call
    // comes while it runs, and waits for the pool's only connection until the test lets go.
    const holder = await admin.connect();
    let held = true;
    const letGo = async () => {
      if (!held) return;
      held = false;
      await holder.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
      holder.release();
    };
    const firstText = 'SELECT pg_advisory_xact_lock_shared($1) AS first';
    const secondText = 'SELECT pg_sleep(0.15) AS second';
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [key]);
      const firstAt = performance.now();
      const first = query(firstText, [key]).then(() => performance.now() - firstAt);
      await waitUntil(
        async () => (await waitingForLock(admin, key)) > 0,
        10_000,
        () => `The first call's statement was not running on the server 10 s after the call. ${READ}`,
      );
      const secondAt = performance.now();
      const second = query(secondText).then(() => performance.now() - secondAt);
      await waitUntil(
        () => pool.waitingCount > 0,
        5_000,
        () => `With the pool's only connection busy, the second call should wait for it in pool.connect(); pool.waitingCount stayed 0. ${READ}`,
      );
      await sleep(2 * SLOW_MS);
      const heldFor = performance.now() - secondAt;
      await letGo();
      const [firstTook, secondTook] = await Promise.all([first, second]);
      expect(entries.map((entry) => entry.text).sort(), `Both statements ran longer than slowMs: two log entries. ${READ}`).toEqual([firstText, secondText].sort());
      const firstEntry = entries.find((entry) => entry.text === firstText)!;
      const secondEntry = entries.find((entry) => entry.text === secondText)!;
      const shared = `Clocks kept outside the call (in createQuery's closure) are overwritten by the next call: keep them in the call. ${READ}`;
      expect(
        { waitMs: firstEntry.waitMs >= 0, durationMs: firstEntry.durationMs >= heldFor - TICK_MS, sum: firstEntry.waitMs + firstEntry.durationMs <= firstTook + TICK_MS },
        `The first call got its connection at once and ran at least ${heldFor.toFixed(0)} ms (the whole call took ${firstTook.toFixed(0)} ms); ` +
          `a second call came while it ran. It was logged with waitMs ${firstEntry.waitMs.toFixed(0)} and durationMs ` +
          `${firstEntry.durationMs.toFixed(0)}. ${shared}`,
      ).toEqual({ waitMs: true, durationMs: true, sum: true });
      expect(
        { waitMs: secondEntry.waitMs >= heldFor - TICK_MS, durationMs: secondEntry.durationMs >= 150 - TICK_MS, sum: secondEntry.waitMs + secondEntry.durationMs <= secondTook + TICK_MS },
        `The second call waited at least ${heldFor.toFixed(0)} ms for the connection, then slept 150 ms (the whole call took ` +
          `${secondTook.toFixed(0)} ms). It was logged with waitMs ${secondEntry.waitMs.toFixed(0)} and durationMs ` +
          `${secondEntry.durationMs.toFixed(0)}. ${shared}`,
      ).toEqual({ waitMs: true, durationMs: true, sum: true });
    } finally {
      await letGo();
    }
  });

  test('a slow statement that then fails (statement_timeout) is still logged, without its values', async () => {
    const lines = silenceConsole();
    const applicationName = `wb-query-${randomBytes(3).toString('hex')}`;
    // The server cancels any statement after 200 ms: the slowest statements are the ones that fail.
    const pool = db.pool({ max: 1, application_name: applicationName, statement_timeout: 200 });
    const query = createQuery(pool, { slowMs: SLOW_MS, log: (entry) => entries.push(entry) });
    const text = 'SELECT pg_sleep(30), $1::text AS token';
    const error = await query(text, ['s3cret-cancelled-789']).then(
      () => undefined,
      (caught: Error & { code?: string }) => caught,
    );
    expect(error?.code, `The server cancels pg_sleep(30) after 200 ms (57014): the helper must reject with that error. ${READ}`).toBe('57014');
    expect(
      entries.map((entry) => entry.text),
      `The statement ran 200 ms (slowMs is 100) and then failed: it belongs in the slow-query log all the same (log in ` +
        `finally, not only after success). Cancelled and lock-timed-out statements are the slowest of all. ${READ}`,
    ).toEqual([text]);
    expect(entries[0]!.durationMs, `The statement ran 200 ms before the server cancelled it. ${READ}`).toBeGreaterThanOrEqual(200 - TICK_MS);
    expect(entries[0]!.waitMs, `waitMs is a time, >= 0. ${READ}`).toBeGreaterThanOrEqual(0);
    expect(
      `${JSON.stringify(entries)}\n${lines().join('\n')}`,
      `A failed statement's values must stay out of the log and the console too. ${READ}`,
    ).not.toContain('s3cret');
  });

  test('a failing statement writes neither its values nor its error (which can quote them) to any log', async () => {
    const lines = silenceConsole();
    const { query } = setup(2);
    const quiet = createQuery(db.pool({ max: 1 }), { slowMs: SLOW_MS });
    // Postgres quotes the rejected value in the message: invalid input syntax for type integer: "…".
    for (const call of [query, quiet]) {
      await expect(call('SELECT $1::int AS n', ['alice.s3cret@example.com'])).rejects.toMatchObject({ code: '22P02' });
    }
    expect(
      loggedBelow(SLOW_MS),
      `A statement that failed at once is not slow: log failures by the same rule as successes (durationMs >= slowMs). ${READ}`,
    ).toEqual([]);
    // Slow, then failing with a message that quotes the value (random() keeps the cast from being done at plan time).
    const slowText = 'SELECT CASE WHEN pg_sleep(0.3) IS NULL THEN 0 ELSE (left(random()::text, 0) || $1::text)::int END AS n';
    for (const call of [query, quiet]) {
      await expect(call(slowText, ['bob.s3cret@example.com'])).rejects.toMatchObject({ code: '22P02' });
    }
    expect(entries.map((entry) => entry.text), `The slow failure is logged (its text only). ${READ}`).toContain(slowText);
    const leaked = [...entries.map((entry) => JSON.stringify(entry)), ...lines()].filter((line) => line.includes('s3cret'));
    expect(
      leaked,
      `A failing statement was logged with its parameter value (in the values, or in the error's message or detail, which ` +
        `quote them). Reject with the error and let the caller decide; log only text, durationMs and waitMs. ${READ}`,
    ).toEqual([]);
  });

  test('a connection cut while the helper holds it: the call rejects, the process does not crash, the pool recovers', async () => {
    const relay = await startRelay(db.url);
    const admin = db.pool({ max: 1 });
    const applicationName = `wb-query-${randomBytes(3).toString('hex')}`;
    const pool = db.pool({ connectionString: relay.url, max: 1, application_name: applicationName, connectionTimeoutMillis: 5_000 });
    const query = createQuery(pool, { slowMs: SLOW_MS, log: (entry) => entries.push(entry) });
    try {
      let outcome: unknown;
      const crashes = await unexpectedCrashes(async () => {
        const pending = query('SELECT pg_sleep(30)').then(
          () => 'resolved',
          (error: unknown) => error,
        );
        let running = 0;
        await waitUntil(
          async () => (running = await connectionsOf(admin, applicationName)) > 0 && (await sleeping(admin, applicationName)),
          10_000,
          () => `SELECT pg_sleep(30) was not running on the server 10 s after the call (${running} connections). ${READ}`,
        );
        relay.cut();
        outcome = await within(pending, 10_000, `The connection was cut under a running statement, and 10 s later the call had not settled. ${DYING}`);
        await sleep(50);
      });
      expect(
        crashes,
        `The connection was cut while the helper held its client: the client emitted 'error' and nothing listened, so in ` +
          `production the process exits. While you hold a client, listen for its 'error' (and remove the listener before release). ${DYING}`,
      ).toEqual([]);
      expect(outcome, `The cut connection must make the call reject. ${DYING}`).toBeInstanceOf(Error);
      const { rows } = await within(query<{ ok: number }>('SELECT 1 AS ok'), 10_000, `After the cut, the next call got no answer in 10 s. ${DYING}`);
      expect(rows[0]?.ok, `After the cut, the next call should get a fresh connection and work. ${DYING}`).toBe(1);
    } finally {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      await relay.close();
    }
  });

  test('a failing statement rejects with its error and gives the connection back', async () => {
    const { pool, query } = setup(2);
    await expect(query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    await Promise.all([query('SELECT 1'), query('SELECT 1')]);
    expect(
      { waiting: pool.waitingCount, idle: pool.idleCount === pool.totalCount },
      `After a failed statement, its connection must go back to the pool (release it in finally). ${READ}`,
    ).toEqual({ waiting: 0, idle: true });
  });

  test('a statement the client gave up on: its connection is not handed to the next call', async () => {
    // query_timeout is the client's own limit: the promise rejects, but the server goes on running
    // the statement on that connection. Given back without the error, the connection is still busy,
    // and the next call's statement queues behind pg_sleep(20) until its own query_timeout.
    const applicationName = `wb-query-${randomBytes(3).toString('hex')}`;
    const admin = db.pool({ max: 1 });
    const pool: pg.Pool = db.pool({ max: 1, application_name: applicationName, query_timeout: 2_000, connectionTimeoutMillis: 10_000 });
    const query = createQuery(pool, { slowMs: SLOW_MS, log: (entry) => entries.push(entry) });
    try {
      const first = await query('SELECT pg_sleep(20)').then(
        () => 'resolved',
        (error: Error) => error.message,
      );
      expect(first, 'pg_sleep(20) with query_timeout 2000 should reject on the client').toMatch(/timeout/i);
      const next = await within(
        query<{ ok: number }>('SELECT 1 AS ok').then(
          (result) => `answered ${result.rows[0]?.ok}`,
          (error: Error) => `failed: ${error.message}`,
        ),
        15_000,
        `The next call got no answer in 15 s. ${READ}`,
      );
      expect(
        next,
        `After a call failed, the next one (SELECT 1) got its connection, still running the statement the client gave up on, ` +
          `and ${next}. After a failure nobody can vouch for the connection: release(error) makes the pool destroy it. ${READ}`,
      ).toBe('answered 1');
    } finally {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    }
  });

  test('when no connection can be had, the call rejects with the pool\'s own error', async () => {
    // The pool's only connection is held and the wait is short: pool.connect() itself fails.
    const applicationName = `wb-query-${randomBytes(3).toString('hex')}`;
    const pool: pg.Pool = db.pool({ max: 1, application_name: applicationName, connectionTimeoutMillis: 200 });
    const query = createQuery(pool, { slowMs: 0, log: (entry) => entries.push(entry) });
    const holder = await connectPatiently(pool); // opening it may outlast 200 ms on a busy machine
    // A timer of the test's, 150 ms past the pool's timeout and started after the call, fires after
    // the pool's own timer however busy the machine is: the call must have rejected by then.
    let witnessFired = false;
    let rejectedAfterWitness: boolean | undefined;
    const asked = query('SELECT 1').then(
      () => 'resolved',
      (error: unknown) => ((rejectedAfterWitness = witnessFired), error),
    );
    const witness = setTimeout(() => (witnessFired = true), 200 + 150);
    let caught: unknown;
    try {
      caught = await within(
        asked,
        10_000,
        `With the pool's only connection held and connectionTimeoutMillis 200, the call was still pending 10 s later. ${READ}`,
      );
    } finally {
      clearTimeout(witness);
      holder.release();
    }
    const message = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    expect(
      caught instanceof Error && !(caught instanceof TypeError) && /timeout/i.test(caught.message),
      `pool.connect() failed (the pool was exhausted: "timeout exceeded when trying to connect"), and the call should reject ` +
        `with that error, so callers can retry it or answer 503; it rejected with ${message}. Check the connection out before ` +
        `the try whose finally releases it: with pool.connect() inside it, the finally runs on a client that does not exist. ${READ}`,
    ).toBe(true);
    expect(
      rejectedAfterWitness,
      `The pool gave up after connectionTimeoutMillis (200 ms), but the call was still pending when a 350 ms timer started ` +
        `after it fired: reject with the pool's error at once (no second pool.connect()); the caller decides whether to retry. ${READ}`,
    ).toBe(false);
    const { rows } = await query<{ ok: number }>('SELECT 1 AS ok');
    expect(rows[0]?.ok, `Once the connection is free again, the next call should work. ${READ}`).toBe(1);
  });

  test('a log function that throws does not cost a connection', async () => {
    // The log is the caller's code (a logger whose transport is closed): whatever it does, the
    // connection must go back to the pool. Each call is judged done when it settles or when its
    // log() has thrown (what the call does after that is not this test's business).
    const applicationName = `wb-query-${randomBytes(3).toString('hex')}`;
    const pool: pg.Pool = db.pool({ max: 2, application_name: applicationName, connectionTimeoutMillis: 2_000 });
    let logged = 0;
    const query = createQuery(pool, {
      slowMs: 0,
      log: () => {
        logged += 1;
        throw new Error('log transport closed');
      },
    });
    const outcomes: string[] = [];
    const stray: unknown[] = [];
    const absorb = (reason: unknown) => stray.push(reason);
    process.on('unhandledRejection', absorb);
    try {
      for (let i = 0; i < 4; i += 1) {
        const before = logged;
        let outcome: string | undefined;
        query('SELECT 1').then(
          () => (outcome = 'resolved'),
          (error: Error) => (outcome = `rejected: ${error.message}`),
        );
        await waitUntil(
          () => outcome !== undefined || logged > before,
          10_000,
          () => `A call on a pool with free connections neither settled nor called log() within 10 s. ${READ}`,
        );
        await sleep(20);
        outcomes.push(outcome ?? 'log() threw');
        if (/timeout/i.test(outcome ?? '')) break;
      }
    } finally {
      await sleep(20);
      process.off('unhandledRejection', absorb);
    }
    expect(
      outcomes.filter((outcome) => /timeout/i.test(outcome)),
      `Every log() call threw, and after ${outcomes.length} calls on a pool of 2 the pool ran out of connections: ` +
        `${JSON.stringify(outcomes)}. Give the connection back before calling log() (or guard the log): a log that throws ` +
        `must not leak the connection. ${READ}`,
    ).toEqual([]);
    expect(
      { checkedOut: pool.totalCount - pool.idleCount, waiting: pool.waitingCount },
      `After calls whose log() threw, every connection should be back in the pool. Release first, then log. ${READ}`,
    ).toEqual({ checkedOut: 0, waiting: 0 });
  });
});
