// Exercise 02 · post-pages: cursor pagination that returns every row exactly once.
// Run it with: npm test -- 02-queries/post-pages
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { explain, rowsRead, type StartedServer, startServer, suiteSection, useTestDatabase } from '../../shared/testing/index.ts';
import { postsRouter } from './post-pages.ts';

const READ = suiteSection('02-queries', '3. Cursor pagination');
const db = useTestDatabase();
let pool: pg.Pool;
let server: StartedServer;
/** What postsRouter(prisma) threw, if it did: every request then fails saying so. */
let routerError: unknown;
/** The cursor the walk received after 40,000 posts, for the deep-page test. */
let deepCursor: string | null = null;
const DEEP = 40_000;
/** A request that gets no answer at all within this long is a route that never responds. */
const ANSWER_WITHIN_MS = 15_000;
/** The whole-table walk (501 pages): see its test. */
const WALK_TIMEOUT_MS = 180_000;
/**
 * The session time zone of this file's database (+13:45): createdAt is a timestamp without zone
 * holding UTC, and a route that converts it through timestamptz in SQL (to_timestamp(…)::timestamp,
 * AT TIME ZONE) lands hours away from the cursor, as on a server installed with local time.
 */
const DATABASE_ZONE = 'Pacific/Chatham';

interface Page {
  data: { id: number; title: string; authorId: number; createdAt: string }[];
  nextCursor: string | null;
}

beforeAll(async () => {
  pool = db.pool();
  // Before the route's Prisma client connects: its sessions start in this zone.
  await pool.query(`ALTER DATABASE "${db.name}" SET timezone TO '${DATABASE_ZONE}'`);
  // Only so that walking 50,000 rows takes seconds, not minutes; exercise 5 is about indexes.
  await pool.query(`CREATE INDEX post_pages_walk ON "Post" ("createdAt" DESC, "id" DESC)`);
  const app = express();
  try {
    app.use('/api', postsRouter(db.prisma()));
  } catch (error) {
    routerError = error;
  }
  server = await startServer(app);
});

afterAll(() => server?.close());

async function request(query: string): Promise<{ status: number; body: unknown }> {
  if (routerError !== undefined) {
    throw new Error(`postsRouter(prisma) must return an express Router; mounting it failed: ${String(routerError)}. ${READ}`);
  }
  let response: Response;
  try {
    response = await fetch(`${server.url}/api/posts${query}`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  } catch (error) {
    throw new Error(
      `GET /api/posts${query.slice(0, 200)} got no answer within ${ANSWER_WITHIN_MS / 1000} s (${(error as Error).message}): ` +
        `every path of the route must send a response, an error included. ${READ}`,
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the message
  }
  return { status: response.status, body };
}

function queryOf(limit: number | string, cursor: string | null): string {
  return `?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
}

async function page(limit: number, cursor: string | null): Promise<Page> {
  const query = queryOf(limit, cursor);
  const { status, body } = await request(query);
  expect(status, `GET /api/posts${query} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
  expect(body, `GET /api/posts${query}: the body is { data: [...], nextCursor: string | null }`).toMatchObject({
    data: expect.any(Array),
  });
  const { nextCursor } = body as Page;
  expect(
    nextCursor === null || typeof nextCursor === 'string',
    `GET /api/posts${query}: nextCursor must be a string, or null on the last page; got ${JSON.stringify(nextCursor)}`,
  ).toBe(true);
  return body as Page;
}

/** Ids in the order the lesson asks for: newest first, ties broken by the higher id. */
async function expectedOrder(): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(`SELECT "id" FROM "Post" ORDER BY "createdAt" DESC, "id" DESC`);
  return rows.map((row) => row.id);
}

/**
 * Checks one page of a walk against the expected order, and stops the walk at the first page
 * that is wrong, saying whether it repeated posts, skipped some, or misordered them.
 */
function expectNextPage(expected: number[], walked: number[], data: Page['data'], limit: number, label: string): void {
  const got = data.map((post) => post.id);
  const want = expected.slice(walked.length, walked.length + limit);
  if (got.length === want.length && got.every((id, i) => id === want[i])) return;
  const seen = new Set(walked);
  const repeated = got.filter((id) => seen.has(id));
  const gotSet = new Set(got);
  const skipped = want.filter((id) => !gotSet.has(id));
  const why =
    repeated.length > 0
      ? `it repeats ${repeated.length} post(s) an earlier page already returned (${repeated.slice(0, 5).join(', ')}…). ` +
        `Many posts share a createdAt: order by createdAt AND id, and carry both in the cursor. (This database's ` +
        `session time zone is ${DATABASE_ZONE}: a cursor's createdAt must reach SQL as the same UTC timestamp, not ` +
        `converted through timestamptz.)`
      : skipped.length > 0 && got.length === want.length
        ? `it skips posts (${skipped.slice(0, 5).join(', ')}…): the cursor does not say exactly where the last page ended ` +
          `(both createdAt, to the millisecond and in UTC whatever the session time zone, and id).`
        : got.length !== want.length
          ? `it has ${got.length} posts; ${want.length} were left to return with limit=${limit}.`
          : `the posts are in the wrong order: newest first, ties by id (highest first).`;
  expect(got, `${label}, after ${walked.length} posts, is wrong: ${why} ${READ}`).toEqual(want);
}

/**
 * Follows nextCursor from the first page to the end (or `stopAfter` posts), checking each page
 * as it comes: a wrong page stops the walk at once. The last page's cursor, if any, must lead to
 * an empty page with nextCursor null.
 */
async function walk(expected: number[], limit: number, stopAfter = expected.length, onPage?: (walked: number, cursor: string | null) => void) {
  const walked: number[] = [];
  let cursor: string | null = null;
  for (let pages = 1; ; pages += 1) {
    const { data, nextCursor } = await page(limit, cursor);
    if (walked.length === expected.length) {
      expect(
        { data, nextCursor },
        `The last page of posts handed out a nextCursor; following it must give { data: [], nextCursor: null }. ${READ}`,
      ).toEqual({ data: [], nextCursor: null });
      break;
    }
    expectNextPage(expected, walked, data, limit, `Page ${pages} (limit=${limit})`);
    walked.push(...data.map((post) => post.id));
    if (data.length < limit) {
      expect(nextCursor, `Page ${pages} has ${data.length} posts for limit=${limit}: it is the last, so nextCursor is null. ${READ}`).toBeNull();
    }
    if (nextCursor === null) break;
    cursor = nextCursor;
    onPage?.(walked.length, cursor);
    // Stop early only inside the table: at its end, the cursor above is followed once more.
    if (walked.length >= stopAfter && walked.length < expected.length) break;
  }
  return walked;
}

describe('cursor pagination over posts', () => {
  // Input checks first: they are quick, and a route that fails them stops here, before the walk.
  test('clamps the limit to 1..100 and rejects a limit that is not a whole number', async () => {
    const expected = await expectedOrder();
    const first = await page(1_000, null);
    expect(first.data.map((post) => post.id), `limit=1000 is clamped to 100: the 100 newest posts. ${READ}`).toEqual(expected.slice(0, 100));
    const defaultPage = await request('');
    expect(defaultPage.status, 'without a limit: a default page').toBe(200);
    const defaultIds = (defaultPage.body as Page).data.map((post) => post.id);
    expect(defaultIds.length, 'without a limit, a default page size between 1 and 100').toBeGreaterThan(0);
    expect(defaultIds.length).toBeLessThanOrEqual(100);
    expect(defaultIds, 'without a limit: the newest posts').toEqual(expected.slice(0, defaultIds.length));

    // Digits only: everything else, however Number() would read it, is a 400.
    const notDigits = [
      '10abc', 'abc', '2.5', 'NaN', 'Infinity', '5%3BDROP%20TABLE%20%22Post%22', '', '1e3', '1e1', '0x10', '%2B5', '-5',
      '-0', '-1000', '%207%20', '5.0', '0b11', '10&limit=20',
    ];
    for (const bad of notDigits) {
      const { status, body } = await request(`?limit=${bad}`);
      const shown = bad === '' ? 'limit= (empty)' : `limit=${decodeURIComponent(bad)}`;
      expect(
        status,
        `${shown} is not written as digits: answer 400, not ${status} (Number() reads '' as 0, '0x10' as 16, '1e3' as 1000; ` +
          `a repeated limit is an array). ${READ}`,
      ).toBe(400);
      expect(body, `${shown}: a JSON body saying what is wrong, e.g. { error: "…" }`).toMatchObject({
        error: expect.stringMatching(/\S/),
      });
    }
    // Digits, but out of range: a 400, or a page clamped into 1..100 posts, the newest ones.
    // Never an error, never an empty page. Clamped means the nearest size in range: 0 is 1 post,
    // 007 is 7, a huge limit 100 (not the default page).
    for (const [odd, clamped] of [['0', 1], ['000', 1], ['007', 7], ['99999999999999999999', 100]] as const) {
      const { status, body } = await request(`?limit=${odd}`);
      const shown = `limit=${decodeURIComponent(odd)}`;
      expect([200, 400], `${shown} answered ${status}: expected 400, or a page clamped to 1..100 posts. ${READ}`).toContain(status);
      if (status === 400) continue;
      const ids = (body as Page).data.map((post) => post.id);
      expect(ids.length, `${shown} gave ${ids.length} posts: clamp to 1..100. ${READ}`).toBeGreaterThanOrEqual(1);
      expect(ids.length, `${shown} gave ${ids.length} posts: clamp to 1..100. ${READ}`).toBeLessThanOrEqual(100);
      expect(
        ids.length,
        `${shown} gave ${ids.length} posts: clamped into 1..100 it is ${clamped} (the nearest size in range, not the default ` +
          `page: "Number(limit) || DEFAULT" reads 0 as "no limit given"), or answer 400. ${READ}`,
      ).toBe(clamped);
      expect(ids, `${shown}: the page must hold the newest posts. ${READ}`).toEqual(
        expected.slice(0, ids.length),
      );
    }
  });

  test('a bad cursor is a clear 400, not a 500 and not a silent first page', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const iso = '2025-12-20T10:00:00.000Z';
    const garbage = [
      'abc', 'null', '-1', '!!!', 'eyJ4IjoxfQ', 'a&cursor=b', '%00', '..', 'A'.repeat(4_000),
      // Well-formed base64url JSON of the wrong types and shapes: what a client crafts.
      b64(['x', 'y']), b64([null, null]), b64(null), b64([]), b64({}), b64('text'), b64(42), b64([[1], [2]]),
      b64({ createdAt: 'x', id: 'y' }), b64([iso, 'abc']), b64(['not a date', 5]), b64([iso, { lt: 5 }]),
      b64([{ lt: iso }, 5]), b64([iso, 1e300]), b64([iso, 2 ** 31]), b64([iso, -7]), b64([iso, 1.5]),
      b64(['-271821-04-20T00:00:00.000Z', 5]), b64(['+275760-09-13T00:00:00.000Z', 5]), b64(['0000-01-01T00:00:00.000Z', 5]),
    ];
    for (const bad of garbage) {
      const { status, body } = await request(`?cursor=${bad}`);
      const shown = bad.length > 60 ? `${bad.slice(0, 20)}… (${bad.length} characters)` : bad;
      expect(
        status,
        `cursor=${shown} answered ${status}: ${JSON.stringify(body).slice(0, 200)}; expected 400 with a message (not a cursor ` +
          `this API issued: decode strictly, a date in years 1 to 9999 and an id from 1 to 2,147,483,647). ${READ}`,
      ).toBe(400);
      expect(body, `cursor=${shown}: a JSON body saying what is wrong, e.g. { error: "…" }`).toMatchObject({ error: expect.stringMatching(/\S/) });
    }
  });

  test('a tampered or forged cursor is a 400, or the page right after the position it reads as: never a 500', async () => {
    const expected = await expectedOrder();
    const first = await page(5, null);
    const cursor = first.nextCursor;
    expect(cursor, 'the first page of 5 posts has a next page').not.toBeNull();
    const seen = new Set<string>([cursor!]);
    for (const tampered of [...tamperedVersions(cursor!), ...forgedPositions(cursor!)]) {
      if (seen.has(tampered.cursor)) continue;
      seen.add(tampered.cursor);
      const { status, body } = await request(queryOf(5, tampered.cursor));
      const shown = `the cursor ${tampered.how} (${tampered.cursor.slice(0, 80)})`;
      expect(
        [200, 400],
        `${shown} answered ${status}: ${JSON.stringify(body).slice(0, 200)}; expected 400 (decode strictly: only positions ` +
          `Postgres can compare, years 1 to 9999 and ids that fit Post.id, reach the query). ${READ}`,
      ).toContain(status);
      if (status === 400) {
        expect(body, `${shown}: a JSON body saying what is wrong, e.g. { error: "…" }`).toMatchObject({ error: expect.stringMatching(/\S/) });
      } else {
        expectPageAfterSomePosition(expected, body, 5, shown);
      }
    }
  });

  test('walking every page returns every post exactly once, newest first, ties included', async () => {
    // One post older than all others, so that the last page is short (50,001 posts).
    await pool.query(`INSERT INTO "Post" ("title", "content", "authorId", "createdAt") VALUES ('the oldest', 'x', 4, '2000-01-01')`);
    const expected = await expectedOrder();
    let beforeOldest: string | null = null;
    const walked = await walk(expected, 100, expected.length, (count, cursor) => {
      if (count === DEEP) deepCursor = cursor;
      if (count === expected.length - 1) beforeOldest = cursor;
    });
    expect(
      walked.length,
      `Walked ${walked.length} posts of ${expected.length}: nextCursor was null before the last post. ${READ}`,
    ).toBe(expected.length);
    // Without the oldest post, the cursor that led to it points past the last row: an empty
    // page, not an error.
    await pool.query(`DELETE FROM "Post" WHERE "title" = 'the oldest' AND "createdAt" = '2000-01-01'`);
    expect(
      await page(100, beforeOldest),
      `A cursor after the last post (its page was full, then the rows after it went away) must give ` +
        `{ data: [], nextCursor: null }. ${READ}`,
    ).toEqual({ data: [], nextCursor: null });
    // 501 requests one after another: a route that never answers fails the first of them after
    // ANSWER_WITHIN_MS. The test's own limit only bounds the whole walk, and is wide, because a
    // busy machine stretches 501 round trips well past the default 30 s (seen at 2 cores shared).
  }, WALK_TIMEOUT_MS);

  test(`a page ${DEEP.toLocaleString('en-US')} posts deep reads about as many rows as the first page`, async () => {
    expect(deepCursor, 'the walk above hands this test its cursor: run the whole file').not.toBeNull();
    const { queries } = await db.queries.count(() => page(100, deepCursor));
    const reads = queries.filter((query) => /^\s*SELECT/i.test(query.text) && query.text.includes('"Post"'));
    let rows = 0;
    for (const query of reads) rows += rowsRead(await explain(pool, query, { analyze: true }), 'Post');
    expect(
      rows,
      `Serving the page after ${DEEP.toLocaleString('en-US')} posts read ${rows.toLocaleString('en-US')} rows of Post for 101 ` +
        `it needed. The scan starts at the top and steps over everything before the cursor: OFFSET does that, and so ` +
        `does "createdAt < x OR (createdAt = x AND id < y)", which Postgres cannot use to start an index scan. ${READ}`,
    ).toBeLessThan(2_000);
  });

  test('each post is { id, title, authorId, createdAt } with the values in the database', async () => {
    const { rows } = await pool.query<{ id: number; title: string; authorId: number; createdAt: Date }>(
      `SELECT "id", "title", "authorId", "createdAt" FROM "Post" ORDER BY "createdAt" DESC, "id" DESC LIMIT 5`,
    );
    const { data } = await page(5, null);
    expect(
      data,
      `The first 5 posts, each exactly { id, title, authorId, createdAt } (createdAt as an ISO string in JSON), no other ` +
        `field. ${READ}`,
    ).toEqual(rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })));
  });

  test('rows inserted between page requests do not shift the pages that follow', async () => {
    const before = await expectedOrder();
    const walked: number[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 6; pages += 1) {
      const { data, nextCursor } = await page(50, cursor);
      walked.push(...data.map((post) => post.id));
      cursor = nextCursor;
      if (pages === 1) {
        // Someone publishes 10 posts while the client reads page 3.
        await pool.query(`INSERT INTO "Post" ("title", "content", "authorId", "createdAt")
                          SELECT 'new ' || n, 'fresh', 1, now() + interval '1 hour' FROM generate_series(1, 10) n`);
      }
    }
    expect(
      walked,
      `Pages after an insert must carry on where the client was. With OFFSET, ten new posts at the top push ten ` +
        `already-seen posts onto the next page: duplicates. ${READ}`,
    ).toEqual(before.slice(0, 300));
  });

  test('posts a few milliseconds apart inside one second are neither skipped nor repeated', async () => {
    // createdAt keeps milliseconds: a cursor that keeps only seconds (or a date string without
    // them) lands before or after these posts.
    const base = Date.UTC(2100, 0, 1, 12, 0, 0);
    const offsets = [1_000, 999, 999, 998, 500, 2, 1, 1, 1, 0, 0, -1];
    await pool.query(
      `INSERT INTO "Post" ("title", "content", "authorId", "createdAt")
       SELECT 'ms ' || o, 'ms', 2, (to_timestamp($1::float8 / 1000) AT TIME ZONE 'UTC') + o * interval '1 millisecond'
       FROM unnest($2::int[]) AS o`,
      [base, offsets],
    );
    const expected = await expectedOrder();
    for (const limit of [2, 3]) await walk(expected, limit, offsets.length + 4);
  });

  test('a cursor still leads on after the post it ends on is deleted', async () => {
    // Posts newer than all others, so that the first pages are the suite's own: six at one
    // instant (ties, by id) and two a millisecond before.
    const { rows: made } = await pool.query<{ id: number }>(
      `INSERT INTO "Post" ("title", "content", "authorId", "createdAt")
       SELECT 'deleted-cursor ' || n, 'x', 5, CASE WHEN n <= 6 THEN timestamp '2400-01-01 00:00:00.500'
                                                   ELSE timestamp '2400-01-01 00:00:00.499' END
       FROM generate_series(1, 8) n RETURNING "id"`,
    );
    const ours = made.map((row) => row.id);
    try {
      const first = await page(3, null);
      const expected = await expectedOrder();
      expect(first.data.map((post) => post.id), `the 3 newest posts (the suite just inserted them). ${READ}`).toEqual(expected.slice(0, 3));
      expect(first.nextCursor, 'a page of 3 with more posts after it has a nextCursor').not.toBeNull();
      // The client holds the cursor of page 1; meanwhile its last post is deleted.
      const gone = first.data.at(-1)!.id;
      await pool.query(`DELETE FROM "Post" WHERE "id" = $1`, [gone]);
      const next = await page(3, first.nextCursor);
      expect(
        next.data.map((post) => post.id),
        `Post ${gone}, the last of page 1, was deleted before the client asked for page 2. Its cursor must still lead to ` +
          `the posts after that position (${expected.slice(3, 6).join(', ')}): the cursor carries the position itself ` +
          `(createdAt and id), so it does not depend on the row still being there. A cursor that holds only the id and ` +
          `looks up the createdAt finds nothing, and the client sees the end of the list. ${READ}`,
      ).toEqual(expected.slice(3, 6));
    } finally {
      await pool.query(`DELETE FROM "Post" WHERE "id" = ANY($1)`, [ours]);
    }
  });

  test('cursors work at both ends of the id range (1 and 2,147,483,647)', async () => {
    // Post 1 moved to the top, and a post with the largest id Post.id can hold above it: the
    // first two pages of one post end on each, and their cursors must lead on.
    await pool.query(`UPDATE "Post" SET "createdAt" = '2300-01-01 00:00:00' WHERE "id" = 1`);
    await pool.query(`INSERT INTO "Post" ("id", "title", "content", "authorId", "createdAt")
                      VALUES (2147483647, 'the largest id', 'x', 3, '2200-01-01 00:00:00')`);
    const expected = await expectedOrder();
    expect(expected.slice(0, 2)).toEqual([1, 2_147_483_647]);
    await walk(expected, 1, 4);
  });
});

/**
 * A 200 for a cursor the suite cannot decode must still be a keyset page: the posts right after
 * some position, in order, none skipped (or none at all, for a position past the last post).
 */
function expectPageAfterSomePosition(expected: number[], body: unknown, limit: number, shown: string): void {
  expect(body, `${shown}: the body is { data: [...], nextCursor }`).toMatchObject({ data: expect.any(Array) });
  const ids = (body as Page).data.map((post) => post.id);
  if (ids.length === 0) return;
  const from = expected.indexOf(ids[0]!);
  expect(
    ids,
    `${shown} was accepted, but its page is not the ${limit} posts right after any one position (newest first, ties by ` +
      `id, none skipped): decode strictly and answer 400, or page from the position it names. ${READ}`,
  ).toEqual(from < 0 ? [] : expected.slice(from, from + limit));
}

/** Numbers a forged cursor can carry: dates Postgres cannot store (year 0, ±275,760), ids beyond int4. */
const HOSTILE_NUMBERS = ['0', '0000', '-1', '-62167219200000', '-8640000000000000', '8640000000000000', '2147483648', '99999999999999999999'];

/**
 * Whatever the cursor's format, its readable text (base64url decoded, if it decodes to plain
 * text; else the cursor itself) with each run of digits replaced by a hostile number: in an
 * ISO date that makes year 0 or a six-digit year, in epoch milliseconds a date outside what
 * Postgres stores, in an id a value beyond Post.id's range.
 */
function forgedPositions(cursor: string): { how: string; cursor: string }[] {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const readable = /^[\x20-\x7e]+$/.test(decoded) && Buffer.from(decoded).toString('base64url') === cursor;
  const text = readable ? decoded : cursor;
  const encode = (forged: string) => (readable ? Buffer.from(forged).toString('base64url') : forged);
  const out: { how: string; cursor: string }[] = [];
  for (const match of text.matchAll(/\d+/g)) {
    for (const value of HOSTILE_NUMBERS) {
      const forged = `${text.slice(0, match.index)}${value}${text.slice(match.index + match[0].length)}`;
      out.push({ how: `read as ${JSON.stringify(forged.slice(0, 60))}`, cursor: encode(forged) });
    }
  }
  return out;
}

/**
 * Versions of a real cursor a client could craft. If it is base64url of JSON (the lesson's
 * suggestion), each leaf is swapped for a wrong type; otherwise its characters are garbled.
 */
function tamperedVersions(cursor: string): { how: string; cursor: string }[] {
  const out: { how: string; cursor: string }[] = [
    { how: 'with "!" appended', cursor: `${cursor}!` },
    { how: 'with its digits replaced by letters', cursor: cursor.replace(/[0-9]/g, 'x') },
  ];
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return out;
  }
  if (decoded === null || typeof decoded !== 'object') return out;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const entries = Object.entries(decoded as Record<string, unknown>);
  for (const [key, leaf] of entries) {
    const replace = (value: unknown) => {
      const copy: Record<string, unknown> | unknown[] = Array.isArray(decoded) ? [...decoded] : { ...(decoded as Record<string, unknown>) };
      (copy as Record<string, unknown>)[key] = value;
      return encode(copy);
    };
    const swaps: [string, unknown][] =
      typeof leaf === 'number'
        ? [['as a string', String(leaf)], ['as null', null], ['plus 0.5', leaf + 0.5], ['as an object', { lt: leaf }]]
        : typeof leaf === 'string'
          ? [['as null', null], ['as a number', 12_345], ['with "x" appended', `${leaf}x`], ['as an array', [leaf]]]
          : [['as a string', 'x']];
    for (const [how, value] of swaps) out.push({ how: `with its ${key} ${how}`, cursor: replace(value) });
    const without = Array.isArray(decoded) ? decoded.filter((_, i) => String(i) !== key) : { ...(decoded as Record<string, unknown>), [key]: undefined };
    out.push({ how: `without its ${key}`, cursor: encode(without) });
  }
  return out;
}
