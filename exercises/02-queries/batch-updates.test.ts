// Exercise 02 · batch-updates: many updates, atomic, in a bounded number of round trips.
// Run it with: npm test -- 02-queries/batch-updates
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { lessonHint, useTestDatabase } from '../../shared/testing/index.ts';
import { applyPostUpdates, type PostUpdate } from './batch-updates.ts';

const READ = lessonHint('02-queries', '4. Batching writes');
const db = useTestDatabase();
let pool: pg.Pool;

beforeAll(async () => {
  pool = db.pool();
  await db.prisma().post.count();
});

async function rows(ids: number[]) {
  const { rows } = await pool.query<{ id: number; title: string; status: string }>(
    `SELECT "id", "title", "status"::text FROM "Post" WHERE "id" = ANY($1) ORDER BY "id"`,
    [ids],
  );
  return rows;
}

function batch(firstId: number, size: number, label: string): PostUpdate[] {
  const statuses = ['draft', 'published', 'archived'] as const;
  return Array.from({ length: size }, (_, i) => ({ id: firstId + i, title: `${label} ${i}`, status: statuses[i % 3]! }));
}

describe('batch updates', () => {
  test('applies every update, each row its own values', async () => {
    const updates = batch(1_000, 300, 'renamed');
    const updated = await applyPostUpdates(db.prisma(), updates);
    expect(updated, 'returns how many posts were updated').toBe(300);
    expect(await rows(updates.map((u) => u.id))).toEqual(updates.map(({ id, title, status }) => ({ id, title, status })));
  });

  test('takes a fixed number of round trips, not one per row', async () => {
    const small = await db.queries.count(() => applyPostUpdates(db.prisma(), batch(2_000, 10, 'small')));
    const large = await db.queries.count(() => applyPostUpdates(db.prisma(), batch(3_000, 500, 'large')));
    expect(
      large.count,
      `10 updates took ${small.count} statements, 500 took ${large.count}. A transaction of 500 UPDATEs is still 500 ` +
        `round trips. ${READ}`,
    ).toBeLessThanOrEqual(5);
  });

  test('is atomic: one bad row, and nothing is applied', async () => {
    const updates = batch(4_000, 200, 'doomed');
    const before = await rows(updates.map((u) => u.id));
    // The last update breaks a constraint of the database: "bogus" is not a PostStatus.
    updates[199] = { ...updates[199]!, status: 'bogus' as PostUpdate['status'] };
    await expect(applyPostUpdates(db.prisma(), updates), 'the batch must fail').rejects.toThrow();
    expect(
      await rows(updates.map((u) => u.id)),
      `After a failed batch every row must be as it was: one statement, or one transaction. ${READ}`,
    ).toEqual(before);
  });
});
