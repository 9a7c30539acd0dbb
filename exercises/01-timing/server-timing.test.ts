// Exercise 01 · server-timing: a Server-Timing header with `total` and named phases on every
// response. Run it with: npm test -- 01-timing/server-timing
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Response } from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { get, lessonHint, startServer, useTestDatabase, type StartedServer } from '../../shared/testing/index.ts';
import { serverTiming, timing } from './server-timing.ts';

const READ = lessonHint('01-timing', '2. Server-Timing: set the header before it is sent');
const db = useTestDatabase();
let server: StartedServer;
/** setHeader calls that came after the headers had gone out (the 'finish' mistake). */
const lateHeaders: string[] = [];

beforeAll(async () => {
  const pool = db.pool();
  const app = express();
  // Records, instead of throwing, a header set after the response started, so the suite can
  // name the mistake rather than crash on ERR_HTTP_HEADERS_SENT.
  app.use((_req, res, next) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: string | number | readonly string[]) => {
      if (res.headersSent) {
        lateHeaders.push(name);
        return res;
      }
      return setHeader(name, value);
    }) as Response['setHeader'];
    next();
  });
  app.use(serverTiming());
  app.get('/slow', async (_req, res) => {
    await sleep(60);
    res.json({ ok: true });
  });
  app.get('/db', async (_req, res) => {
    await timing(res).measure('db', () => pool.query('SELECT pg_sleep(0.05)'));
    res.json({ ok: true });
  });
  app.get('/phases', async (_req, res) => {
    timing(res).start('cache');
    await sleep(20);
    timing(res).end('cache');
    const body = await timing(res).measure('render', async () => {
      await sleep(10);
      return { ok: true };
    });
    res.json(body);
  });
  app.get('/boom', async (_req, res) => {
    await timing(res).measure('db', () => pool.query('SELECT pg_sleep(0.03)'));
    throw new Error('boom');
  });
  app.get('/etag', (_req, res) => {
    res.json({ unchanging: 'body' });
  });
  app.get('/stream', async (_req, res) => {
    res.type('text/plain');
    for (const chunk of ['one\n', 'two\n', 'three\n']) {
      res.write(chunk);
      await sleep(10);
    }
    res.end();
  });
  app.use((_error: unknown, _req: express.Request, res: Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'internal' });
  });
  server = await startServer(app);
});

afterAll(() => server?.close());

/** "db;dur=12.3, total;dur=20" → { db: 12.3, total: 20 } */
function parseServerTiming(header: string | null): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((param) => param.trim()).find((param) => param.startsWith('dur='));
    if (name) metrics[name] = dur ? Number(dur.slice(4)) : Number.NaN;
  }
  return metrics;
}

async function timingOf(path: string, headers: Record<string, string> = {}) {
  const response = await get(`${server.url}${path}`, headers);
  await sleep(20); // let a 'finish' listener run, if that is where the header is set
  const header = response.headers['server-timing'] ?? null;
  expect(
    header,
    `Expected a Server-Timing header on ${path} (status ${response.status}), got none.` +
      (lateHeaders.length > 0 ? ` It was set after the headers had been sent (in res.on('finish')?), so it never reached the client.` : '') +
      `\n${READ}`,
  ).toBeTruthy();
  return { response, metrics: parseServerTiming(header) };
}

describe('Server-Timing middleware', () => {
  test('sends total, in milliseconds, measured to the moment the headers go out', async () => {
    const { metrics } = await timingOf('/slow');
    expect(metrics.total, `Expected a "total;dur=…" metric. ${READ}`).toBeDefined();
    expect(
      metrics.total,
      `The handler waited 60 ms before answering, so total should be at least ~60 (ms), got ${metrics.total}. ` +
        `Is the header set before the handler has run, or in seconds? ${READ}`,
    ).toBeGreaterThanOrEqual(55);
    expect(metrics.total, `total should be in milliseconds; ${metrics.total} looks like nanoseconds or microseconds.`).toBeLessThan(10_000);
  });

  test('times a real Postgres query as the "db" phase', async () => {
    const { metrics } = await timingOf('/db');
    expect(metrics.db, `Expected a "db;dur=…" metric from timing(res).measure('db', …). ${READ}`).toBeDefined();
    expect(metrics.db, `SELECT pg_sleep(0.05) takes at least 50 ms; db was ${metrics.db}.`).toBeGreaterThanOrEqual(45);
    expect(metrics.db, 'db should be in milliseconds').toBeLessThan(10_000);
    expect(metrics.total, 'total covers the whole request, so it cannot be less than a phase inside it').toBeGreaterThanOrEqual(metrics.db!);
  });

  test('takes any phase name, with start/end or measure', async () => {
    const { metrics } = await timingOf('/phases');
    expect(Object.keys(metrics).sort(), `Expected cache, render and total. ${READ}`).toEqual(['cache', 'render', 'total']);
    expect(metrics.cache).toBeGreaterThanOrEqual(15);
    expect(metrics.render).toBeGreaterThanOrEqual(5);
  });

  test('is on error responses too', async () => {
    const { response, metrics } = await timingOf('/boom');
    expect(response.status).toBe(500);
    expect(metrics.db, `Expected a "db;dur=…" metric on the 500 response too. ${READ}`).toBeDefined();
    expect(metrics.db, 'the db phase finished before the error: it belongs in the header').toBeGreaterThanOrEqual(25);
    expect(metrics.total).toBeGreaterThanOrEqual(metrics.db!);
  });

  test('is on 304 Not Modified responses', async () => {
    const first = await get(`${server.url}/etag`);
    const etag = first.headers.etag;
    expect(etag, 'express sets an ETag on res.json bodies').toBeTruthy();
    const { response } = await timingOf('/etag', { 'If-None-Match': etag! });
    expect(response.status).toBe(304);
  });

  test('is on streamed bodies, sent with the first chunk', async () => {
    const { response, metrics } = await timingOf('/stream');
    expect(response.status).toBe(200);
    expect(metrics.total).toBeGreaterThanOrEqual(0);
  });

  test('never sets a header after the response has started', () => {
    expect(
      lateHeaders,
      `setHeader(${lateHeaders.join(', ')}) was called after the headers were sent. Node throws ` +
        `ERR_HTTP_HEADERS_SENT there and the client never sees the header. ${READ}`,
    ).toEqual([]);
  });
});
