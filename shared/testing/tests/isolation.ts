// Shared body of the two isolation suites: each writes a marker row and key, waits while the
// other file does the same, and must never see the other's.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { useTestDatabase, useTestRedis } from '../index.ts';

export function isolationSuite(me: string, other: string): void {
  const db = useTestDatabase();
  const redis = useTestRedis();

  test(`${me}: sees its own rows and keys, never ${other}'s`, async () => {
    const pool = db.pool();
    await pool.query(`INSERT INTO "Category" ("name") VALUES ($1)`, [`isolation-${me}`]);
    await redis.client().set('marker', me, 'EX', 60);
    // Both files are running now (the harness config runs files in parallel): overlap them.
    await sleep(750);
    const { rows } = await pool.query<{ name: string }>(`SELECT "name" FROM "Category" WHERE "name" LIKE 'isolation-%'`);
    expect(rows.map((row) => row.name)).toEqual([`isolation-${me}`]);
    expect(await redis.client().get('marker')).toBe(me);
    expect(await redis.keys()).toEqual([`${redis.prefix}marker`]);
    expect(db.name).toMatch(/^wb_file_/);
  });
}
