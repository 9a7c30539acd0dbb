// Exercise 04 · exports: every post as one JSON array, streamed. Run it with: npm test -- 04-responses/exports
//
// The suite fills its own database to 200,000 posts (some with titles that break hand-made JSON,
// some with sub-second times) and serves your router under /api, on a pool of its own. It reads
// the export whole, slowly, and half-way; it also breaks the database in the middle of one.
import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { download, watchServerSide, type ServerSide } from '../../shared/testing/downloads.ts';
import { fillPosts, scatterPosts } from '../../shared/testing/generated-posts.ts';
import { expectHealthyClientsReturned, expectPostContentNotRead } from '../../shared/testing/export-checks.ts';
import { replaceTableWithView } from '../../shared/testing/table-swap.ts';
import { unansweredSince } from '../../shared/testing/server.ts';
import { busyConnectionsOf, judged, lessonHint, settledMemoryMb, startServer, suiteSection, terminateConnectionsOf, useTestDatabase, type StartedServer } from '../../shared/testing/index.ts';
import { exportsRouter } from './exports.ts';

const STREAM = suiteSection('04-responses', '6. Streaming an export: memory, backpressure, pipeline');
const ENDINGS = lessonHint('04-responses', '7. When the client leaves, or the database fails half-way');

const POSTS = 200_000;
/** The application_name of your router's pool: how the suite finds its connections in pg_stat_activity. */
const APP = 'export-under-test';
/** Titles that break JSON built by hand, and one that looks like the array's own end. */
const HOSTILE_TITLES = ['say "hi"', 'back\\slash', 'line\nbreak\ttab', 'naïve – 日本語 😀', 'line\u2028separator', '"}],[{"id":0', '</script>', ''];

const db = useTestDatabase();
let admin: pg.Pool;
let appPool: pg.Pool;
let server: StartedServer;
let exportUrl: string;
let referenceUrl: string;
let serverSide: ServerSide;
/** Waits while your server still sends to the paused reader, or still reads rows from Postgres. */
const whileExportWorks = () => serverSide.whileWorking();

/** What mounting exportsRouter(pool) threw, if it did: every test then fails saying so. */
let mountFailure: Error | undefined;

beforeAll(async () => {
  admin = db.pool();
  await fillPosts(admin, POSTS, { leave: HOSTILE_TITLES.length });
  await admin.query(
    `INSERT INTO "Post" ("title", "content", "status", "authorId", "createdAt")
     SELECT t, 'body', 'published', 1, timestamp '2026-03-01 12:34:56.789' FROM unnest($1::text[]) AS t`,
    [HOSTILE_TITLES],
  );
  await scatterPosts(admin);
  appPool = db.pool({ max: 4, application_name: APP, idleTimeoutMillis: 0 }); // idle clients stay, to be counted
  const app = express();
  // The server side of each request: what your route has queued in Node, and what it reads from Postgres.
  serverSide = watchServerSide(app, appPool);
  try {
    app.use('/api', exportsRouter(appPool));
  } catch (error) {
    mountFailure = new Error(`exportsRouter(pool) must return an express Router; mounting it failed: ${String(error)}. ${STREAM}`);
  }
  // What the lesson's starter does, kept here so every run measures the buffered way beside yours.
  app.get('/reference/buffered.json', async (_req, res) => {
    const { rows } = await admin.query(`SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`);
    res.type('application/json').send(JSON.stringify(rows));
  });
  // A whole export takes seconds on a quiet machine and many more on a busy one: a route counts as
  // stuck when it stops sending, not when the download is long.
  server = await startServer(app, { deadlineFromLastWrite: true });
  exportUrl = `${server.url}/api/export/posts.json`;
  referenceUrl = `${server.url}/reference/buffered.json`;
}, 120_000);

beforeEach(() => {
  if (mountFailure) throw mountFailure;
});

afterAll(async () => {
  await server?.close();
});

interface ExpectedPost {
  id: number;
  title: string;
  status: string;
  authorId: number;
  createdAt: string;
}

/** Every post as the export should list it, with createdAt written by Postgres itself. */
async function expectedPosts(): Promise<ExpectedPost[]> {
  const { rows } = await admin.query<ExpectedPost>(
    `SELECT "id", "title", "status"::text AS "status", "authorId", to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
       FROM "Post" ORDER BY "id"`,
  );
  return rows;
}

/** A JSON array may end with whitespace after its ]. */
const endsLikeAnArray = (answer: { complete: boolean; lastByte: number }) => answer.complete && [0x5d, 0x0a, 0x0d, 0x20, 0x09].includes(answer.lastByte);

/** Clients of the app's pool that are checked out (not idle in the pool). */
const checkedOut = () => appPool.totalCount - appPool.idleCount;

/** A download that must be the whole export: valid JSON, every post once in id order, exactly the exported fields. */
async function expectWholeExport(answer: Awaited<ReturnType<typeof download>>, label: string): Promise<void> {
  const shared = 'State kept outside the request handler (a client, a "first row" flag, a buffer) is shared by every export running at once. ';
  const overlapping = label.includes('at the same time') ? shared : '';
  expect(answer.status, `${label} answered ${answer.status}. ${overlapping}${STREAM}`).toBe(200);
  expect(answer.complete, `${label} was cut off after ${answer.received.toLocaleString('en-US')} bytes. ${overlapping}${STREAM}`).toBe(true);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body.toString('utf8'));
  } catch (error) {
    const text = answer.body.toString('utf8');
    throw new Error(
      `${label} is not valid JSON (${(error as Error).message}). It starts ${JSON.stringify(text.slice(0, 80))} and ends ` +
        `${JSON.stringify(text.slice(-80))}. Build each row's text with JSON.stringify: titles hold quotes, backslashes and line breaks. ${overlapping}${STREAM}`,
    );
  }
  expect(Array.isArray(parsed), `${label} should be one JSON array. ${STREAM}`).toBe(true);
  const exported = parsed as Record<string, unknown>[];
  const expected = await expectedPosts();
  expect(exported.length, `${label} listed ${exported.length.toLocaleString('en-US')} posts; the table has ${expected.length.toLocaleString('en-US')}. ${overlapping}${STREAM}`).toBe(expected.length);
  for (let i = 0; i < expected.length; i += 1) {
    const row = exported[i]!;
    const want = expected[i]!;
    // Plain comparisons first: expect() on 200,000 rows would take seconds.
    if (row.id !== want.id || row.title !== want.title || row.status !== want.status || row.authorId !== want.authorId || row.createdAt !== want.createdAt) {
      expect(row, `${label}: entry ${i} of the array is not post ${want.id} as the table holds it (posts in id order; createdAt in ISO 8601, UTC, with milliseconds). ${overlapping}${STREAM}`).toEqual(want);
    }
    if (Object.keys(row).length !== 5) {
      expect(Object.keys(row).sort(), `${label}: each entry has exactly id, title, status, authorId and createdAt (entry ${i} differs). ${STREAM}`).toEqual(['authorId', 'createdAt', 'id', 'status', 'title']);
    }
  }
}

/** Your export's connections that are running a query (not idle). */
const exportBackends = () => busyConnectionsOf(admin, APP);

// Whole downloads of 200,000 posts, read and checked: minutes on a loaded machine are work, not a hang
// (a stuck route is cut off after 15 s without a byte, and the failure says so).
describe('streaming JSON export', { timeout: 120_000 }, () => {
  test('lists every post exactly once, in id order, as one JSON array', async () => {
    const { result: answer, queries } = await db.queries.count(() => download(exportUrl, { keep: true }));
    await expectWholeExport(answer, 'GET /api/export/posts.json');
    expect(String(answer.headers['content-type']), `Content-Type should say the body is JSON. ${STREAM}`).toMatch(/^application\/json/);
    // The export's pool client, back in the pool: it must carry no listener the export added.
    await expectPoolSettles('after a whole export');
    await expectHealthyClientsReturned(appPool, admin, { what: 'export', hint: ENDINGS });
    await expectPostContentNotRead(admin, queries, { what: 'export', hint: STREAM });
  });

  test('two exports at once: each is whole, with nothing shared between the requests', async () => {
    const [first, second] = await Promise.all([download(exportUrl, { keep: true }), download(exportUrl, { keep: true })]);
    await expectWholeExport(first, 'The first of two exports that ran at the same time');
    await expectWholeExport(second, 'The second of two exports that ran at the same time');
    await expectPoolSettles('after two exports at once');
  });

  test('a slow reader: the server waits for it instead of holding the rows in memory', async () => {
    await judged(
      async () => {
        // The reader stops after the first chunk until the server has stopped sending and reading
        // rows (backpressure lets a stream stop early; a buffered export or a write loop keeps
        // going). Then, after a full collection, what is still in memory is what the server holds
        // for the reader: garbage does not count, however late the collector would have come.
        const heldWhilePaused = async (url: string) => {
          const before = await settledMemoryMb();
          let heldMb = 0;
          let queuedMb = 0;
          const answer = await download(url, {
            afterFirstChunk: async () => {
              queuedMb = (await whileExportWorks()).maxQueuedBytes / 1024 / 1024;
              heldMb = (await settledMemoryMb()) - before;
            },
          });
          return { answer, heldMb, queuedMb };
        };
        const reference = await heldWhilePaused(referenceUrl);
        const yours = await heldWhilePaused(exportUrl);
        expect(endsLikeAnArray(yours.answer), `The slow download did not end whole (${yours.answer.received.toLocaleString('en-US')} bytes). ${STREAM}`).toBe(true);
        expect(
          yours.queuedMb,
          `While the reader was paused, your route queued ${yours.queuedMb.toFixed(1)} MB in the response (res.writableLength) for a reader that ` +
            `was not reading: res.write() returned false and the writing went on. Wait for 'drain', or let pipeline() do it. ${STREAM}`,
        ).toBeLessThan(4);
        // The buffered export holds the whole body for its reader; if this run did not see that,
        // it cannot judge yours: try again.
        if (!reference.answer.complete || reference.heldMb < 15) return false;
        expect(
          yours.heldMb,
          `While the reader was paused, your server held ${yours.heldMb.toFixed(0)} MB (heap and Buffers, after a full collection), against ` +
            `${reference.heldMb.toFixed(0)} MB for the buffered export in the same run: it holds the rows (or their text) instead of ` +
            `waiting for the reader. Read them from a cursor and let pipeline() apply backpressure. ${STREAM}`,
        ).toBeLessThan(reference.heldMb / 3);
        return true;
      },
      { busy: 'the buffered export never showed its full size' },
    );
  });

  test('a client that leaves half-way: the query ends, and its connection goes back to the pool', async () => {
    // How long the buffered export takes here sets the pace: your export must have stopped long
    // before a loop that carries on regardless would have finished.
    const started = performance.now();
    await download(referenceUrl);
    const referenceMs = performance.now() - started;
    const left = await download(exportUrl, { leaveAfterBytes: 256 * 1024 });
    expect(left.complete, 'the suite left after 256 kB').toBe(false);
    const deadline = performance.now() + Math.max(1_000, referenceMs / 2);
    let stopped = false;
    let last: { backends: unknown[]; checkedOut: number } = { backends: [], checkedOut: 0 };
    while (!stopped && performance.now() < deadline) {
      last = { backends: await exportBackends(), checkedOut: checkedOut() };
      stopped = last.backends.length === 0 && last.checkedOut === 0;
      if (!stopped) await sleep(20);
    }
    expect(
      last,
      `The client left after 256 kB; ${Math.round(Math.max(1_000, referenceMs / 2))} ms later your export was still at work ` +
        `(busy backends, and pool clients not given back). When res closes early, pipeline() destroys the row stream, which closes ` +
        `the cursor; then release the client. ${ENDINGS}`,
    ).toEqual({ backends: [], checkedOut: 0 });
    // ...and it stays stopped: a loop that queries page after page has gaps between its queries.
    for (let i = 0; i < 15; i += 1) {
      await sleep(20);
      const now = { backends: await exportBackends(), checkedOut: checkedOut() };
      expect(now, `Your export went on querying after the client had left. ${ENDINGS}`).toEqual({ backends: [], checkedOut: 0 });
    }
  });

  test('a query that fails half-way: the download is cut off, never a shorter array that looks whole', async () => {
    const started = Date.now();
    // Post 120,000 cannot be read: the database fails the query when the export reaches it.
    await admin.query(
      `CREATE OR REPLACE FUNCTION public.unreadable_post(id int) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
       BEGIN IF id = 120000 THEN RAISE EXCEPTION 'post % cannot be read (the suite broke it on purpose)', id; END IF; RETURN ''; END $$`,
    );
    const restore = await replaceTableWithView(
      admin,
      'Post',
      // Ordered inside the view, so rows are read (and post 120,000 fails) as the export fetches them.
      `SELECT "id", "title" || public.unreadable_post("id") AS "title", "content", "status", "authorId", "createdAt" FROM "Post_rows" ORDER BY "id"`,
    );
    try {
      const answer = await download(exportUrl, { keep: true });
      expect(
        answer.received,
        `The database failed at post 120,000, and by then your export had sent ${answer.received.toLocaleString('en-US')} bytes: it ` +
          `reads the rows before it sends them. A streamed export has sent megabytes by then. ${STREAM}`,
      ).toBeGreaterThan(1_000_000);
      const text = answer.body.toString('utf8');
      let wholeArray = false;
      try {
        JSON.parse(text);
        wholeArray = true;
      } catch {
        // expected: a cut-off array does not parse
      }
      expect(
        { complete: answer.complete, parses: wholeArray },
        `The database failed at post 120,000. Your response ended ${answer.complete ? 'normally' : 'cut off'}, and its body ` +
          `${wholeArray ? 'is a whole JSON array' : 'does not parse'}. ${answer.complete ? 'A response that ends normally tells the client it has everything' : 'A whole JSON array tells the client it has the whole table'}. Once the ` +
          `headers are out, the only way to say "this failed" is to cut the response off (pipeline() destroys res). ${ENDINGS}`,
      ).toEqual({ complete: false, parses: false });
      expect(
        unansweredSince(started),
        `The query failed at post 120,000, and your route never noticed: the suite cut the response off itself, after 15 s without ` +
          `a byte. .pipe() does not pass errors along; pipeline() does. ${ENDINGS}`,
      ).toEqual([]);
      await expectPoolSettles('after the query failed');
    } finally {
      await restore();
    }
    const again = await download(exportUrl);
    expect(endsLikeAnArray(again), `After a failed export, the next one should work. ${ENDINGS}`).toBe(true);
  });

  test('a connection killed half-way: the download is cut off or whole, never short; the next export works', async () => {
    const started = Date.now();
    let killed = 0;
    const answer = await download(exportUrl, {
      keep: true,
      // Killed while the reader is paused and the export waits for it: no read is in flight then,
      // so nothing but the connection's own 'error' event tells the export its connection is gone.
      afterFirstChunk: async () => {
        await whileExportWorks();
        killed = await terminateConnectionsOf(admin, APP);
      },
    });
    expect(killed, `Your export had no database connection open while it was sending. ${STREAM}`).toBeGreaterThan(0);
    if (answer.complete) {
      // An export that reads in pages may get a fresh connection for the next page and finish: fine, if it is all there.
      let listed = -1;
      try {
        listed = (JSON.parse(answer.body.toString('utf8')) as unknown[]).length;
      } catch {
        // listed stays -1
      }
      expect(
        listed,
        `The export's connection was killed after the first chunk, yet the response ended normally with ${listed < 0 ? 'a body that does not parse' : `${listed.toLocaleString('en-US')} posts`}: ` +
          `a client would take it for the whole table. Cut the response off instead (pipeline() does, when a stream fails). ${ENDINGS}`,
      ).toBe(POSTS);
    }
    expect(
      unansweredSince(started),
      `Your export's connection was killed while it waited for the reader, and your route never noticed: the suite cut the response ` +
        `off itself, after 15 s without a byte. A cursor between two reads is not told its connection died; the pool client's 'error' ` +
        `event is. Listen for it while the export runs, and destroy the response when it fires. ${ENDINGS}`,
    ).toEqual([]);
    await expectPoolSettles('after its connection was killed');
    const again = await download(exportUrl);
    expect(endsLikeAnArray(again), `After a killed connection, the next export should work (a dead connection must not go back to the pool). ${ENDINGS}`).toBe(true);
  });

  test('an empty table exports as []', async () => {
    const restore = await replaceTableWithView(admin, 'Post', `SELECT * FROM "Post_rows" WHERE false`);
    try {
      const answer = await download(exportUrl, { keep: true });
      expect({ status: answer.status, complete: answer.complete, body: answer.body.toString('utf8').trim() }, `With no posts, the export is an empty array. ${STREAM}`).toEqual({
        status: 200,
        complete: true,
        body: '[]',
      });
    } finally {
      await restore();
    }
  });
});

/** Every client of the app's pool is given back within a few seconds. */
async function expectPoolSettles(when: string): Promise<void> {
  for (let i = 0; i < 100 && checkedOut() > 0; i += 1) await sleep(50);
  expect(checkedOut(), `${when}, the export kept its pool client: release it in a finally block. ${ENDINGS}`).toBe(0);
}
