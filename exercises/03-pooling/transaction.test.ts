// Exercise 03 · transaction: a helper that commits, rolls back, and never leaks a connection.
// Run it with: npm test -- 03-pooling/transaction
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { lessonHint, unexpectedCrashes, useTestDatabase } from '../../shared/testing/index.ts';
import { withTransaction } from './transaction.ts';

const READ = lessonHint('03-pooling', '3. A query helper and a transaction helper');
const DYING = lessonHint('03-pooling', '4. When connections die');
const db = useTestDatabase();
let admin: pg.Pool;

beforeAll(() => {
  admin = db.pool({ max: 2 });
});

function appPool(max = 3) {
  const applicationName = `wb-tx-${randomBytes(3).toString('hex')}`;
  return { applicationName, pool: db.pool({ max, application_name: applicationName, connectionTimeoutMillis: 2_000 }) };
}

async function categoryExists(name: string): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM "Category" WHERE "name" = $1', [name]);
  return rowCount === 1;
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

  test('when the connection dies mid-transaction: the original error, no crash, no broken connection reused', async () => {
    const { pool } = appPool(2);
    const original = new Error('the caller failed after the connection died');
    let caught: unknown;
    const crashes = await unexpectedCrashes(async () => {
      caught = await withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 100));
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
