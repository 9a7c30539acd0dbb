// Exercise 03 · query: a query helper with a slow-query log that tells the truth.
// Run it with: npm test -- 03-pooling/query
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { connectionsOf, lessonHint, useTestDatabase } from '../../shared/testing/index.ts';
import { createQuery, type SlowQuery } from './query.ts';

const READ = lessonHint('03-pooling', '3. A query helper and a transaction helper');
const SLOW_MS = 100;
const db = useTestDatabase();
const entries: SlowQuery[] = [];

function setup(max = 5) {
  const applicationName = `wb-query-${randomBytes(3).toString('hex')}`;
  const pool: pg.Pool = db.pool({ max, application_name: applicationName, connectionTimeoutMillis: 5_000 });
  return { pool, applicationName, query: createQuery(pool, { slowMs: SLOW_MS, log: (entry) => entries.push(entry) }) };
}

beforeEach(() => {
  entries.length = 0;
});

describe('query helper', () => {
  test('returns results, and logs a slow statement once with its text and duration', async () => {
    const { query } = setup();
    const result = await query<{ n: number }>('SELECT 41 + 1 AS n, pg_sleep(0.15)');
    expect(result.rows[0]?.n).toBe(42);
    expect(entries, `One slow statement, one call to the injected log(). ${READ}`).toHaveLength(1);
    expect(entries[0]?.text).toBe('SELECT 41 + 1 AS n, pg_sleep(0.15)');
    expect(entries[0]?.durationMs, 'durationMs in milliseconds: the statement slept 150 ms').toBeGreaterThanOrEqual(140);
    expect(entries[0]?.durationMs).toBeLessThan(10_000);
  });

  test('does not log fast statements', async () => {
    const { query } = setup();
    await query('SELECT 1');
    expect(entries).toEqual([]);
  });

  test('never logs parameter values', async () => {
    const { query } = setup();
    const result = await query<{ token: string }>('SELECT $1::text AS token, pg_sleep(0.15)', ['s3cret-token-123']);
    expect(result.rows[0]?.token).toBe('s3cret-token-123');
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries), `Values hold personal data and secrets: log the statement text only. ${READ}`).not.toContain('s3cret');
  });

  test('time spent waiting for a free connection is not counted as query time', async () => {
    const { pool, query } = setup(1);
    const holder = await pool.connect();
    const released = sleep(300).then(() => holder.release());
    await query('SELECT 1'); // waits ~300 ms for the only connection, then runs in ~1 ms
    await released;
    const slow = entries.filter((entry) => entry.durationMs >= SLOW_MS);
    expect(
      slow,
      `SELECT 1 waited 300 ms for a connection and ran in about 1 ms, but it was logged as a slow query. A timer ` +
        `around pool.query() includes the wait: report it apart (waitMs). ${READ}`,
    ).toEqual([]);
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
        peak = Math.max(peak, await connectionsOf(admin, applicationName));
        await sleep(10);
      }
    })();
    await Promise.all(Array.from({ length: 40 }, () => query('SELECT pg_sleep(0.05)')));
    running = false;
    await watcher;
    expect(peak, `The pool allows 5 connections; ${peak} were open at once. A new Client (or Pool) per call defeats the pool. ${READ}`).toBeLessThanOrEqual(5);
  });

  test('a failing statement rejects with its error and gives the connection back', async () => {
    const { pool, query } = setup(2);
    await expect(query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    await Promise.all([query('SELECT 1'), query('SELECT 1')]);
    expect({ waiting: pool.waitingCount, idle: pool.idleCount === pool.totalCount }).toEqual({ waiting: 0, idle: true });
  });
});
