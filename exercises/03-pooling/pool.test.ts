// Exercise 03 · pool: a node-postgres pool that holds under load and faults.
// Run it with: npm test -- 03-pooling/pool
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { connectionsOf, lessonHint, unexpectedCrashes, useTestDatabase } from '../../shared/testing/index.ts';
import { createAppPool, type PoolSettings } from './pool.ts';

const db = useTestDatabase();
let admin: pg.Pool;
const pools: { pool: pg.Pool; applicationName: string }[] = [];

beforeAll(() => {
  admin = db.pool({ max: 2 });
});
afterEach(async () => {
  // End the server side first: a statement the pool under test failed to stop (pg_sleep(30))
  // would otherwise keep pool.end() waiting for it.
  for (const { pool: used, applicationName } of pools.splice(0)) {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    await used.end().catch(() => {});
  }
});

function pool(overrides: Partial<PoolSettings> = {}): { pool: pg.Pool; settings: PoolSettings } {
  const settings: PoolSettings = {
    connectionString: db.url,
    applicationName: `wb-pool-${randomBytes(3).toString('hex')}`,
    max: 5,
    idleTimeoutMs: 10_000,
    connectionTimeoutMs: 500,
    statementTimeoutMs: 5_000,
    onError: () => {},
    ...overrides,
  };
  const created = createAppPool(settings);
  pools.push({ pool: created, applicationName: settings.applicationName });
  return { pool: created, settings };
}

describe('the application pool', () => {
  test('200 concurrent queries never open more server connections than max', async () => {
    const { pool: app, settings } = pool({ max: 5 });
    let peak = 0;
    let running = true;
    const watcher = (async () => {
      while (running) {
        peak = Math.max(peak, await connectionsOf(admin, settings.applicationName));
        await sleep(10);
      }
    })();
    await Promise.all(Array.from({ length: 200 }, () => app.query('SELECT pg_sleep(0.01)')));
    running = false;
    await watcher;
    expect(peak, `No connection showed up in pg_stat_activity as application_name '${settings.applicationName}'. ${lessonHint('03-pooling', '1. What a pool is for')}`).toBeGreaterThan(0);
    expect(peak, `max is 5, but ${peak} server connections were open at once. ${lessonHint('03-pooling', '1. What a pool is for')}`).toBeLessThanOrEqual(5);
  });

  test('when every connection is busy, a caller fails after connectionTimeoutMs with a clear error', async () => {
    const { pool: app } = pool({ max: 2, connectionTimeoutMs: 300 });
    const held = await Promise.all([app.connect(), app.connect()]);
    const started = performance.now();
    const error = await app.query('SELECT 1').then(() => undefined, (caught: Error) => caught);
    const waited = performance.now() - started;
    held.forEach((client) => client.release());
    expect(error, `With both connections checked out, the third caller must fail, not wait for ever. ${lessonHint('03-pooling', '2. Settings that matter')}`).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/timeout/i);
    expect(waited, `It should fail after about connectionTimeoutMs (300 ms), not after ${waited.toFixed(0)} ms.`).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3_000);
  });

  test('statement_timeout makes the server stop a statement far longer than itself', async () => {
    const { pool: app, settings } = pool({ statementTimeoutMs: 200 });
    const started = performance.now();
    const error = await app.query('SELECT pg_sleep(30)').then(() => undefined, (caught: Error & { code?: string }) => caught);
    const took = performance.now() - started;
    expect(error, `pg_sleep(30) should be cancelled after ~200 ms. ${lessonHint('03-pooling', '2. Settings that matter')}`).toBeDefined();
    expect(took).toBeLessThan(5_000);
    await sleep(200);
    const { rows } = await admin.query<{ count: string }>(
      `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep(30)%'`,
      [settings.applicationName],
    );
    expect(
      Number(rows[0]!.count),
      `The client gave up, but the server is still running pg_sleep(30): query_timeout only stops waiting. ` +
        `statement_timeout is the server-side limit. ${lessonHint('03-pooling', '2. Settings that matter')}`,
    ).toBe(0);
    expect((error as { code?: string }).code, 'Postgres reports a cancelled statement as 57014 (query_canceled)').toBe('57014');
  });

  test('idle connections are closed after idleTimeoutMs', async () => {
    const { pool: app, settings } = pool({ idleTimeoutMs: 200 });
    await Promise.all(Array.from({ length: 4 }, () => app.query('SELECT pg_sleep(0.02)')));
    expect(await connectionsOf(admin, settings.applicationName)).toBeGreaterThan(0);
    await sleep(700);
    expect(await connectionsOf(admin, settings.applicationName), `idleTimeoutMs is 200: after 700 ms idle, no connection should remain. ${lessonHint('03-pooling', '2. Settings that matter')}`).toBe(0);
  });

  test('a connection killed on the server does not crash the process, and the next query works', async () => {
    const { pool: app, settings } = pool({ max: 2 });
    await Promise.all([app.query('SELECT 1'), app.query('SELECT 1')]); // two idle connections in the pool
    const crashes = await unexpectedCrashes(async () => {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [settings.applicationName]);
      await sleep(200);
    });
    expect(
      crashes,
      `Killing idle connections raised an uncaught error; in production the process would exit. Listen for 'error' ` +
        `on the pool. ${lessonHint('03-pooling', '4. When connections die')}`,
    ).toEqual([]);
    const { rows } = await app.query<{ ok: number }>('SELECT 1 AS ok');
    expect(rows[0]?.ok, 'after the kill, the pool opens a fresh connection').toBe(1);
  });
});
