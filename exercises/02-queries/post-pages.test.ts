// Exercise 02 · post-pages: cursor pagination that returns every row exactly once.
// Run it with: npm test -- 02-queries/post-pages
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { explain, lessonHint, rowsRead, startServer, useTestDatabase, type StartedServer } from '../../shared/testing/index.ts';
import { postsRouter } from './post-pages.ts';

const READ = lessonHint('02-queries', '3. Cursor pagination');
const db = useTestDatabase();
let pool: pg.Pool;
let server: StartedServer;
/** The cursor the walk received after 40,000 posts, for the deep-page test. */
let deepCursor: string | null = null;
const DEEP = 40_000;

interface Page {
  data: { id: number; title: string; authorId: number; createdAt: string }[];
  nextCursor: string | null;
}

beforeAll(async () => {
  pool = db.pool();
  // Only so that walking 50,000 rows takes seconds, not minutes; exercise 5 is about indexes.
  await pool.query(`CREATE INDEX post_pages_walk ON "Post" ("createdAt" DESC, "id" DESC)`);
  const app = express();
  app.use('/api', postsRouter(db.prisma()));
  server = await startServer(app);
});

afterAll(() => server?.close());

async function request(query: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/api/posts${query}`);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the message
  }
  return { status: response.status, body };
}

async function page(limit: number, cursor: string | null): Promise<Page> {
  const query = `?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
  const { status, body } = await request(query);
  expect(status, `GET /api/posts${query} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
  return body as Page;
}

/** Ids in the order the lesson asks for: newest first, ties broken by the higher id. */
async function expectedOrder(): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(`SELECT "id" FROM "Post" ORDER BY "createdAt" DESC, "id" DESC`);
  return rows.map((row) => row.id);
}

function duplicates(ids: number[]): number[] {
  const seen = new Set<number>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

describe('cursor pagination over posts', () => {
  test('walking every page returns every post exactly once, newest first, ties included', async () => {
    const expected = await expectedOrder();
    const walked: number[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1_000; pages += 1) {
      const { data, nextCursor } = await page(100, cursor);
      walked.push(...data.map((post) => post.id));
      if (nextCursor === null) break;
      cursor = nextCursor;
      if (walked.length === DEEP) deepCursor = nextCursor;
    }
    const repeated = duplicates(walked);
    expect(repeated.slice(0, 10), `Posts returned twice (first 10 of ${repeated.length}). Many posts share a createdAt: order by createdAt AND id. ${READ}`).toEqual([]);
    expect(walked.length, `Walked ${walked.length} posts of ${expected.length}: some were skipped. ${READ}`).toBe(expected.length);
    expect(walked, `Posts must come newest first, ties by id (highest first). ${READ}`).toEqual(expected);
  });

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

  test('clamps the limit to 1..100 and rejects a limit that is not a whole number', async () => {
    expect((await page(1_000, null)).data, 'limit=1000 is clamped to 100').toHaveLength(100);
    const defaultPage = (await request('')).body as Page;
    expect(defaultPage.data.length, 'without a limit, a default page size between 1 and 100').toBeGreaterThan(0);
    expect(defaultPage.data.length).toBeLessThanOrEqual(100);
    for (const bad of ['10abc', 'abc', '2.5']) {
      const { status } = await request(`?limit=${bad}`);
      expect(status, `limit=${bad} is not a number of posts: answer 400, not ${status}. ${READ}`).toBe(400);
    }
    const negative = await request('?limit=-5');
    expect(negative.status, 'limit=-5: a 400, or a page clamped to at least 1 post; never an error').toBeLessThan(500);
    if (negative.status === 200) expect((negative.body as Page).data.length).toBeGreaterThanOrEqual(1);
  });

  test('a bad cursor is a clear 400, not a 500 and not a silent first page', async () => {
    for (const bad of ['abc', 'null', '-1', '!!!', 'eyJ4IjoxfQ', 'a&cursor=b']) {
      const { status, body } = await request(`?cursor=${bad}`);
      expect(status, `cursor=${bad} answered ${status}; expected 400 with a message. ${READ}`).toBe(400);
      expect(body, 'a JSON body saying what is wrong').toMatchObject({ error: expect.any(String) });
    }
  });
});
