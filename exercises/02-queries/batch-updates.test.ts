// Exercise 02 · batch-updates: many updates, atomic, in a bounded number of round trips.
// Run it with: npm test -- 02-queries/batch-updates
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { suiteSection, useTestDatabase } from '../../shared/testing/index.ts';
import { applyPostUpdates, type PostUpdate } from './batch-updates.ts';

const READ = suiteSection('02-queries', '4. Batching writes');
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

/** Titles that break SQL built by pasting strings together (and some that break encodings). */
const HOSTILE_TITLES = [
  "O'Reilly's guide",
  `Robert'); DROP TABLE "Post";--`,
  'back\\slash \\',
  '$1 and $2, ${title}, %s, ?',
  '"double" and `back` quotes',
  "e'\\x41' E'\\n'",
  'naïve – 日本語 😀',
  'line\nbreak\ttab',
  '',
  'NULL',
  ')), (1, 2, 3',
  // Long titles (the column is TEXT): a cast to varchar(n) on the way cuts them silently.
  `A long title, ${'and longer, '.repeat(12)}150 characters at least`,
  `${'x'.repeat(4_990)} the end`,
];

/**
 * Above 65,535 bound parameters per statement at 3 a row (id, title, status): a statement that
 * sends every value as its own parameter must be split into chunks (inside one transaction).
 */
const LARGE = 22_000;
/** Statements (besides BEGIN/COMMIT) the large batch may take: chunks of at least 1,000 rows. */
const MAX_LARGE_STATEMENTS = Math.ceil(LARGE / 1_000);

/**
 * One statement per row would take minutes for the large batches: check the round trips on a
 * small batch first, and stop there with a message instead of waiting for a timeout.
 */
async function expectFewRoundTrips(): Promise<void> {
  const probe = await db.queries.count(() => applyPostUpdates(db.prisma(), batch(9_000, 50, 'probe')));
  expect(
    probe.count,
    `50 updates took ${probe.count} statements, so ${LARGE.toLocaleString('en-US')} would take too long to try: ` +
      `batch them first (see "takes a fixed number of round trips"). ${READ}`,
  ).toBeLessThanOrEqual(5);
}

describe('batch updates', () => {
  test('applies every update, each row its own values', async () => {
    const updates = batch(1_000, 300, 'renamed');
    // Titles with quotes, backslashes, placeholders and unicode must land exactly as given.
    HOSTILE_TITLES.forEach((title, i) => (updates[i * 7]!.title = title));
    const { result: updated, statements } = await db.queries.count(() => applyPostUpdates(db.prisma(), updates));
    expect(updated, 'returns how many posts were updated').toBe(300);
    // Values travel as parameters: no title may appear in the SQL text, escaped by hand or not
    // (doubling quotes is one escaping rule of many; a parameter needs none).
    const pasted = updates
      .map((u) => u.title)
      .filter((title) => title.length >= 8 && statements.some((sql) => sql.includes(title) || sql.includes(title.replace(/'/g, "''"))));
    expect(
      pasted.slice(0, 3).map((title) => title.slice(0, 60)),
      `${pasted.length} of the titles were written into the SQL text itself. Send values as parameters ($executeRaw\`… ` +
        `\${titles}\`, arrays with unnest, or one JSON parameter), never pasted into the SQL, even with quotes doubled. ${READ}`,
    ).toEqual([]);
    const stored = await rows(updates.map((u) => u.id));
    const cut = stored.filter((row, i) => row.title.length < updates[i]!.title.length);
    expect(
      cut.map((row) => `post ${row.id}: ${row.title.length} characters`),
      `Long titles were shortened on the way (${cut.length} of them): a cast like ::varchar(100)[] truncates without an ` +
        `error. Title is TEXT: cast to text[], and every title lands whole. ${READ}`,
    ).toEqual([]);
    expect(
      await rows(updates.map((u) => u.id)),
      `Every post must hold exactly its own new title and status, quotes and all (send values as parameters, never ` +
        `pasted into the SQL text). ${READ}`,
    ).toEqual(updates.map(({ id, title, status }) => ({ id, title, status })));
  });

  test('returns how many posts it changed: an id that does not exist is skipped, and not counted', async () => {
    const missing = 2_000_000_000;
    const updates: PostUpdate[] = [
      { id: 5_000, title: 'exists, first', status: 'archived' },
      { id: missing, title: 'no such post', status: 'published' },
      { id: 5_001, title: 'exists, second', status: 'draft' },
    ];
    const updated = await applyPostUpdates(db.prisma(), updates);
    expect(
      updated,
      `3 updates, but post ${missing} does not exist: 2 posts changed, so the answer is 2, not ${updated}. Return the ` +
        `rows the UPDATE changed ($executeRaw's result), not the length of the input. ${READ}`,
    ).toBe(2);
    expect(await rows([5_000, 5_001]), `The two posts that exist hold their new values. ${READ}`).toEqual([
      { id: 5_000, title: 'exists, first', status: 'archived' },
      { id: 5_001, title: 'exists, second', status: 'draft' },
    ]);
    expect(await rows([missing]), `An update for an id that does not exist creates nothing. ${READ}`).toEqual([]);
  });

  test('an empty batch updates nothing and does not fail', async () => {
    const { result, count } = await db.queries.count(() => applyPostUpdates(db.prisma(), []));
    expect(result, 'applyPostUpdates(prisma, []) returns 0').toBe(0);
    expect(count, `an empty batch should send (almost) nothing, not ${count} statements`).toBeLessThanOrEqual(3);
  });

  test('takes a fixed number of round trips, not one per row', async () => {
    const small = await db.queries.count(() => applyPostUpdates(db.prisma(), batch(2_000, 10, 'small')));
    const large = await db.queries.count(() => applyPostUpdates(db.prisma(), batch(3_000, 500, 'large')));
    expect(
      large.count,
      `10 updates took ${small.count} statements, 500 took ${large.count}. A transaction of 500 UPDATEs is still 500 ` +
        `round trips. ${READ}`,
    ).toBeLessThanOrEqual(5);
    expect(large.result, 'returns how many posts were updated').toBe(500);
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

  test(`a batch of ${LARGE.toLocaleString('en-US')} updates (more than 65,535 parameters at 3 a row) all land`, async () => {
    await expectFewRoundTrips();
    const updates = batch(10_000, LARGE, 'large');
    updates[LARGE - 1]!.title = "O'Reilly, the last one";
    const { result: updated, statements } = await db.queries.count(() => applyPostUpdates(db.prisma(), updates));
    expect(updated, 'returns how many posts were updated').toBe(LARGE);
    // The parameter limit allows 21,845 rows of 3 values per statement (one statement holds any
    // number as arrays or JSON): 22,000 rows are 1 or 2 statements. Chunks of a few hundred rows
    // make a round trip per few hundred rows again. The bound leaves room for chunks of 1,000.
    const work = statements.filter((sql) => !/^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SET\b|SAVEPOINT|RELEASE)/i.test(sql));
    expect(
      work.length,
      `${LARGE.toLocaleString('en-US')} updates took ${work.length} statements (besides BEGIN/COMMIT). At 3 parameters a row, one ` +
        `statement can carry 21,845 rows (and any number as arrays with unnest, or one JSON parameter): 1 or 2 statements ` +
        `are enough, ${MAX_LARGE_STATEMENTS} at most (chunks of at least 1,000 rows). Chunk only as much as the 65,535-parameter ` +
        `limit requires. ${READ}`,
    ).toBeLessThanOrEqual(MAX_LARGE_STATEMENTS);
    const after = await rows(updates.map((u) => u.id));
    const wrong = after.filter((row, i) => row.title !== updates[i]!.title || row.status !== updates[i]!.status);
    expect(
      wrong.slice(0, 3),
      `${wrong.length} of ${LARGE.toLocaleString('en-US')} posts do not hold their new values. Postgres takes at most 65,535 ` +
        `parameters per statement: send arrays (unnest), or chunk inside one transaction. ${READ}`,
    ).toEqual([]);
  });

  test(`is atomic for a large batch too: a bad row in the last chunk, and nothing is applied`, async () => {
    await expectFewRoundTrips();
    const updates = batch(10_000, LARGE, 'doomed large');
    const before = await rows(updates.map((u) => u.id));
    updates[LARGE - 1] = { ...updates[LARGE - 1]!, status: 'bogus' as PostUpdate['status'] };
    await expect(applyPostUpdates(db.prisma(), updates), 'the batch must fail').rejects.toThrow();
    const after = await rows(updates.map((u) => u.id));
    const changed = after.filter((row, i) => row.title !== before[i]!.title || row.status !== before[i]!.status);
    expect(
      changed.length,
      `${changed.length} posts were changed by a batch that failed on its last row: chunks sent outside one transaction ` +
        `apply the ones before the failure. ${READ}`,
    ).toBe(0);
  });
});
