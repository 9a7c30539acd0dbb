// Exercise 01 · server-timing: a Server-Timing header with `total` and named phases on every
// response. Run it with: npm test -- 01-timing/server-timing
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Response } from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { get, type StartedServer, startServer, suiteSection, useTestDatabase } from '../../shared/testing/index.ts';
import { serverTiming, timing } from './server-timing.ts';

const READ = suiteSection('01-timing', '2. Server-Timing: set the header before it is sent');
const db = useTestDatabase();
let server: StartedServer;
/** setHeader calls that came after the headers had gone out (the 'finish' mistake). */
const lateHeaders: string[] = [];

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}
/** A request held open inside its handler until the test releases it. */
interface Gate {
  entered: Deferred;
  released: Deferred;
  /** How long the handler itself saw its 'db' phase last (a lower bound for the header's). */
  innerMs: number;
}
const gates = new Map<string, Gate>();
let setupError: unknown;
function openGate(id: string): Gate {
  const gate: Gate = { entered: deferred(), released: deferred(), innerMs: Number.NaN };
  gates.set(id, gate);
  return gate;
}

/** Waits for `promise`, or fails with `message` instead of vitest's generic timeout. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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
  // Mounted before serverTiming(): timing(res) here has no timer to give.
  app.get('/untimed', (_req, res) => {
    try {
      const found: unknown = timing(res);
      res.json({ threw: false, found: typeof found });
    } catch (error) {
      res.json({ threw: true, message: (error as Error).message });
    }
  });
  // A learner's serverTiming() that throws or returns no middleware fails the tests below with
  // that error, instead of failing this hook (which reports no test at all).
  try {
    const middleware: unknown = serverTiming();
    if (typeof middleware !== 'function') throw new TypeError(`serverTiming() should return a middleware function, got ${String(middleware)}`);
    app.use(middleware as express.RequestHandler);
  } catch (error) {
    setupError = error;
  }
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
  // Two requests in flight at once: each one's phases must stay its own. The request holds
  // its 'db' phase open until the test releases its gate.
  app.get('/held/:id', async (req, res) => {
    const gate = gates.get(req.params.id);
    if (!gate) throw new Error(`no gate ${req.params.id}`);
    await timing(res).measure(`only-${req.params.id}`, () => sleep(2));
    timing(res).start('db');
    const from = performance.now();
    gate.entered.resolve();
    await gate.released.promise;
    gate.innerMs = performance.now() - from;
    timing(res).end('db');
    res.json({ id: req.params.id });
  });
  app.get('/twice', async (_req, res) => {
    let innerMs = 0;
    for (let i = 0; i < 2; i += 1) {
      await timing(res).measure('db', async () => {
        const from = performance.now();
        await sleep(20);
        innerMs += performance.now() - from;
      });
    }
    res.json({ innerMs });
  });
  app.get('/parallel', async (_req, res) => {
    const inner: Record<string, number> = {};
    const timed = (name: string, ms: number) =>
      timing(res).measure(name, async () => {
        const from = performance.now();
        await sleep(ms);
        inner[name] = performance.now() - from;
        return name.toUpperCase();
      });
    const results = await Promise.all([timed('cache', 30), timed('db', 40)]);
    const rendered = await timing(res).measure('render', () => 'plain value');
    res.json({ results, rendered, inner });
  });
  // Two measures of one name at the same time, the first still running when the second ends.
  app.get('/same-name', async (_req, res) => {
    const inner: number[] = [];
    const secondDone = deferred();
    const results = await Promise.all([
      timing(res).measure('db', async () => {
        const from = performance.now();
        await secondDone.promise;
        await sleep(20);
        inner.push(performance.now() - from);
        return 'first';
      }),
      timing(res).measure('db', async () => {
        const from = performance.now();
        await sleep(30);
        inner.push(performance.now() - from);
        secondDone.resolve();
        return 'second';
      }),
    ]);
    res.json({ results, inner });
  });
  // The handler sends its headers itself, with an entry of its own among them.
  app.get('/write-head', async (_req, res) => {
    await timing(res).measure('db', () => sleep(10));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Server-Timing': 'app;dur=3' });
    res.end('ok');
  });
  // The same with the headers as Node also takes them: a flat array of names and values, and a
  // name in lower case (header names are case-insensitive).
  app.get('/write-head-array', async (_req, res) => {
    await timing(res).measure('db', () => sleep(10));
    res.writeHead(200, ['Content-Type', 'text/plain', 'Server-Timing', 'app;dur=3']);
    res.end('ok');
  });
  app.get('/write-head-lower', async (_req, res) => {
    await timing(res).measure('db', () => sleep(10));
    res.writeHead(200, { 'content-type': 'text/plain', 'server-timing': 'app;dur=3' });
    res.end('ok');
  });
  // The same, in the three-argument form writeHead(status, statusMessage, headers).
  app.get('/write-head-message', async (_req, res) => {
    await timing(res).measure('db', () => sleep(10));
    res.writeHead(200, 'Fine', { 'Content-Type': 'text/plain', 'Server-Timing': 'app;dur=3' });
    res.end('ok');
  });
  // Two layers each appended an entry: getHeader('Server-Timing') is then an array.
  app.get('/appended', (_req, res) => {
    res.append('Server-Timing', 'cache;desc=hit;dur=0.5');
    res.append('Server-Timing', 'auth;dur=3');
    res.json({ ok: true });
  });
  // A phase ended twice (an error path and a finally both end it): the second end() has no
  // started phase left to end.
  app.get('/double-end', async (_req, res) => {
    const from = performance.now();
    timing(res).start('db');
    await sleep(20);
    timing(res).end('db');
    const firstMs = performance.now() - from;
    await sleep(30);
    timing(res).end('db');
    const gapMs = performance.now() - from - firstMs;
    res.json({ firstMs, gapMs });
  });
  app.get('/fails-inside', async (_req, res) => {
    const errors: string[] = [];
    let innerMs = 0;
    await timing(res)
      .measure('db', async () => {
        const from = performance.now();
        await sleep(20);
        innerMs = performance.now() - from;
        throw new Error('db down');
      })
      .catch((error: Error) => errors.push(error.message));
    try {
      await timing(res).measure('parse', () => {
        throw new Error('bad json');
      });
    } catch (error) {
      errors.push((error as Error).message);
    }
    res.status(503).json({ errors, innerMs });
  });
  app.get('/unfinished', async (_req, res) => {
    timing(res).start('never');
    timing(res).end('ghost'); // ended without a start: nothing to report, and no reason to fail the request
    await timing(res).measure('done', () => sleep(5));
    res.json({ ok: true });
  });
  // The handler (or another middleware) adds an entry of its own: both must reach the client.
  app.get('/own-entry', (_req, res) => {
    res.setHeader('Server-Timing', 'cdn;desc="edge hit";dur=1.5');
    res.json({ ok: true });
  });
  app.get('/odd-names', async (_req, res) => {
    const refused: string[] = [];
    for (const name of ['cache hit', 'a,b', 'x;dur=0', 'say "hi"', 'query(users)', 'user@host', 'a/b', '{x}', 'naïve', '']) {
      try {
        await timing(res).measure(name, () => sleep(1));
      } catch {
        refused.push(name); // refusing a name that is not an HTTP token is fine too
      }
    }
    await timing(res).measure('db', () => sleep(1));
    res.json({ refused });
  });
  app.use((_error: unknown, _req: express.Request, res: Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'internal' });
  });
  server = await startServer(app);
});

afterAll(async () => {
  for (const gate of gates.values()) gate.released.resolve(); // never leave a handler waiting
  await server?.close();
});

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

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const DURATION = /^\d+(\.\d+)?$/;

/**
 * The header's grammar, strictly: entries `name;dur=12.34` joined by commas, where the name is
 * an HTTP token, dur a plain decimal number of ms, and other parameters (desc=…) allowed.
 * Returns what is wrong with it, or [] when it is well-formed.
 */
function malformedEntries(header: string): string[] {
  const problems: string[] = [];
  // Split on commas outside quoted strings (desc="a, b" is one parameter).
  const entries = header.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  for (const raw of entries) {
    const [name, ...params] = raw.trim().split(';').map((part) => part.trim());
    if (!name || !TOKEN.test(name)) problems.push(`${JSON.stringify(raw.trim())}: the name is not an HTTP token`);
    const durs = params.filter((param) => /^dur\s*=/.test(param)).map((param) => param.replace(/^dur\s*=\s*/, ''));
    if (durs.length !== 1 || !DURATION.test(durs[0]!)) {
      problems.push(`${JSON.stringify(raw.trim())}: expected exactly one dur=<milliseconds>`);
    }
    for (const param of params) {
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\s*=\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+|"(?:[^"\\]|\\.)*")$/.test(param)) {
        problems.push(`${JSON.stringify(raw.trim())}: ${JSON.stringify(param)} is not a name=value parameter`);
      }
    }
  }
  return problems;
}

/** Every metric in the header, duplicates included, as [name, dur] pairs. */
function entriesOf(header: string): Array<[string, number]> {
  return header.split(',').map((entry) => {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((param) => param.trim()).find((param) => param.startsWith('dur='));
    return [name ?? '', dur ? Number(dur.slice(4)) : Number.NaN];
  });
}

async function timingOf(path: string, headers: Record<string, string> = {}) {
  if (setupError) throw setupError;
  return timingOfResponse(path, await get(`${server.url}${path}`, headers));
}

async function timingOfResponse(path: string, response: Awaited<ReturnType<typeof get>>) {
  await sleep(20); // let a 'finish' listener run, if that is where the header is set
  const header = response.headers['server-timing'] ?? null;
  expect(
    header,
    `Expected a Server-Timing header on ${path} (status ${response.status}), got none.` +
      (lateHeaders.length > 0 ? ` It was set after the headers had been sent (in res.on('finish')?), so it never reached the client.` : '') +
      `\n${READ}`,
  ).toBeTruthy();
  const problems = malformedEntries(header!);
  expect(
    problems,
    `The Server-Timing header on ${path} is malformed: ${header}\n` +
      `Each entry is name;dur=<ms>, the name a non-empty HTTP token: letters, digits and !#$%&'*+-.^_\`|~ only (no spaces, ` +
      `commas, semicolons, quotes, parentheses, slashes, @; encodeURIComponent leaves ( and ) in). Refuse other names or clean them up. ${READ}`,
  ).toEqual([]);
  const metrics = parseServerTiming(header);
  expect(metrics.total, `Every response carries "total;dur=…"; the header on ${path} was: ${header}. ${READ}`).toBeDefined();
  return { response, metrics, entries: entriesOf(header!) };
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
    expect(metrics.total, `total should be in milliseconds; ${metrics.total} looks like nanoseconds or microseconds. ${READ}`).toBeLessThan(10_000);
  });

  test('times a real Postgres query as the "db" phase', async () => {
    const { metrics } = await timingOf('/db');
    expect(metrics.db, `Expected a "db;dur=…" metric from timing(res).measure('db', …). ${READ}`).toBeDefined();
    expect(metrics.db, `SELECT pg_sleep(0.05) takes at least 50 ms; db was ${metrics.db}. ${READ}`).toBeGreaterThanOrEqual(45);
    expect(metrics.db, `db should be in milliseconds, got ${metrics.db}. ${READ}`).toBeLessThan(10_000);
    expect(
      metrics.total,
      `total covers the whole request, so it cannot be less than a phase inside it (db ${metrics.db}, total ${metrics.total}). ${READ}`,
    ).toBeGreaterThanOrEqual(metrics.db!);
  });

  test('takes any phase name, with start/end or measure', async () => {
    const { response, metrics } = await timingOf('/phases');
    expect(JSON.parse(response.body), `measure() resolves to the value of the work it timed. ${READ}`).toEqual({ ok: true });
    expect(Object.keys(metrics).sort(), `Expected cache, render and total. ${READ}`).toEqual(['cache', 'render', 'total']);
    expect(metrics.cache, `start('cache') … end('cache') spanned a 20 ms wait; got cache;dur=${metrics.cache}. ${READ}`).toBeGreaterThanOrEqual(15);
    expect(metrics.render, `measure('render', …) timed a 10 ms wait; got render;dur=${metrics.render}. ${READ}`).toBeGreaterThanOrEqual(5);
  });

  test('is on error responses too', async () => {
    const { response, metrics } = await timingOf('/boom');
    expect(response.status, `the route throws: the error handler answers 500, got ${response.status}. ${READ}`).toBe(500);
    expect(metrics.db, `Expected a "db;dur=…" metric on the 500 response too. ${READ}`).toBeDefined();
    expect(metrics.db, `The db phase (pg_sleep(0.03)) finished before the error: it belongs in the header, got ${metrics.db}. ${READ}`).toBeGreaterThanOrEqual(25);
    expect(metrics.total, `total (${metrics.total}) cannot be less than a phase inside it (db ${metrics.db}). ${READ}`).toBeGreaterThanOrEqual(metrics.db!);
  });

  test('is on 304 Not Modified responses', async () => {
    const first = await get(`${server.url}/etag`);
    const etag = first.headers.etag;
    expect(etag, 'express sets an ETag on res.json bodies').toBeTruthy();
    const { response } = await timingOf('/etag', { 'If-None-Match': etag! });
    expect(response.status, `a matching If-None-Match should get 304, got ${response.status}`).toBe(304);
  });

  test('is on streamed bodies, sent with the first chunk', async () => {
    const { response, metrics } = await timingOf('/stream');
    expect(response.status, `the streamed route answers 200, got ${response.status}`).toBe(200);
    expect(metrics.total, `total is a number of ms, got ${metrics.total}. ${READ}`).toBeGreaterThanOrEqual(0);
  });

  test('keeps each request\'s phases its own when two requests overlap', async () => {
    const a = openGate('a');
    const b = openGate('b');
    const first = get(`${server.url}/held/a`);
    await within(a.entered.promise, 10_000, `GET /held/a never reached its handler: is serverTiming() calling next()? ${READ}`);
    await sleep(60); // a's db phase is running; now b starts, runs and answers inside it
    const second = get(`${server.url}/held/b`);
    await within(b.entered.promise, 10_000, `GET /held/b never reached its handler while /held/a was in flight. ${READ}`);
    await sleep(20);
    b.released.resolve();
    const bTiming = await timingOfResponse('/held/b', await within(second, 10_000, 'GET /held/b never answered'));
    a.released.resolve();
    const aTiming = await timingOfResponse('/held/a', await within(first, 10_000, 'GET /held/a never answered'));

    for (const [id, other, gate, { metrics }] of [
      ['a', 'b', a, aTiming],
      ['b', 'a', b, bTiming],
    ] as const) {
      const shared = `Each request has its own phases: keep them per request (a timer made in the middleware for this res), ` +
        `not in the module or in serverTiming()'s closure, which every request shares. ${READ}`;
      expect(Object.keys(metrics).sort(), `Request ${id}'s header should hold its own phases only. ${shared}`).toEqual(['db', `only-${id}`, 'total']);
      expect(metrics[`only-${other}`], `Request ${id}'s header holds request ${other}'s phase. ${shared}`).toBeUndefined();
      expect(metrics.db, `Request ${id}'s header has no db phase: ${JSON.stringify(metrics)}. ${shared}`).toBeDefined();
      expect(
        metrics.db,
        `Request ${id}'s handler had its db phase open for ${gate.innerMs.toFixed(1)} ms, but its header says db;dur=${metrics.db}. ` +
          `Did the other request's start()/end() overwrite this one's? ${shared}`,
      ).toBeGreaterThanOrEqual(gate.innerMs - 0.1);
      expect(
        metrics.db,
        `Request ${id}'s db phase (${metrics.db} ms) is longer than the whole request (total ${metrics.total} ms): ` +
          `it was summed with the other request's. ${shared}`,
      ).toBeLessThanOrEqual(metrics.total! + 0.01);
    }
  });

  test('sums a phase timed twice into one entry', async () => {
    const { response, metrics, entries } = await timingOf('/twice');
    const { innerMs } = JSON.parse(response.body) as { innerMs: number };
    const dbEntries = entries.filter(([name]) => name === 'db');
    expect(dbEntries.length, `measure('db', …) ran twice: the header should have one db entry (the sum), got ${dbEntries.length}. ${READ}`).toBe(1);
    expect(metrics.db, `The two db phases took ${innerMs.toFixed(1)} ms together; the header says ${metrics.db}. ${READ}`).toBeGreaterThanOrEqual(innerMs - 0.1);
    expect(metrics.db, `db (${metrics.db}) cannot be longer than the whole request (total ${metrics.total}). ${READ}`).toBeLessThanOrEqual(metrics.total! + 0.01);
  });

  test('sums two measures of the same name that overlap', async () => {
    const { response, metrics, entries } = await timingOf('/same-name');
    const body = JSON.parse(response.body) as { results: string[]; inner: number[] };
    expect(body.results, `measure() resolves to the value of the work it timed. ${READ}`).toEqual(['first', 'second']);
    const dbEntries = entries.filter(([name]) => name === 'db');
    expect(dbEntries.length, `Two measure('db', …) ran: the header should have one db entry (their sum), got ${dbEntries.length}. ${READ}`).toBe(1);
    const sum = body.inner.reduce((a, b) => a + b, 0);
    expect(
      metrics.db,
      `Two measure('db', …) ran at the same time (Promise.all), for ${body.inner.map((ms) => ms.toFixed(1)).join(' and ')} ms: each ` +
        `measure() call is timed on its own clock and a name timed more than once is summed, so db should be at least ` +
        `${sum.toFixed(1)}; the header says ${metrics.db}. Did the second start overwrite the first (one start slot per name)? ${READ}`,
    ).toBeGreaterThanOrEqual(sum - 0.1);
  });

  test('keeps the entries of headers passed to res.writeHead() itself', async () => {
    const { response, metrics } = await timingOf('/write-head');
    expect(response.body, `the route answers "ok", got ${JSON.stringify(response.body)}`).toBe('ok');
    expect(
      Object.keys(metrics).sort(),
      `The handler called res.writeHead(200, { 'Server-Timing': 'app;dur=3', … }): Node applies those headers over the ones ` +
        `already set, so a writeHead wrapper must fold them in before adding db and total (on-headers does). Got ${JSON.stringify(metrics)}. ${READ}`,
    ).toEqual(['app', 'db', 'total']);
    expect(metrics.app, `the handler's own entry keeps its value (3), got ${metrics.app}. ${READ}`).toBe(3);
    expect(response.headers['content-type'], `the other headers passed to writeHead() reach the client too. ${READ}`).toBe('text/plain');
  });

  test('keeps the entries of headers passed to res.writeHead(status, statusMessage, headers)', async () => {
    const { response, metrics } = await timingOf('/write-head-message');
    expect(response.body, `the route answers "ok", got ${JSON.stringify(response.body)}`).toBe('ok');
    expect(
      Object.keys(metrics).sort(),
      `The handler called res.writeHead(200, 'Fine', { 'Server-Timing': 'app;dur=3', … }): the headers are the THIRD ` +
        `argument when a status message comes second. A writeHead wrapper must find them there too (on-headers does). ` +
        `Got ${JSON.stringify(metrics)}. ${READ}`,
    ).toEqual(['app', 'db', 'total']);
    expect(metrics.app, `the handler's own entry keeps its value (3), got ${metrics.app}. ${READ}`).toBe(3);
    expect(response.headers['content-type'], `the other headers passed to writeHead() reach the client too. ${READ}`).toBe('text/plain');
  });

  test('keeps the entries of headers passed to res.writeHead() as an array, or under a lower-case name', async () => {
    for (const [path, form] of [
      ['/write-head-array', "res.writeHead(200, ['Content-Type', 'text/plain', 'Server-Timing', 'app;dur=3'])"],
      ['/write-head-lower', "res.writeHead(200, { 'content-type': 'text/plain', 'server-timing': 'app;dur=3' })"],
    ] as const) {
      const { response, metrics } = await timingOf(path);
      expect(response.body, `${path} answers "ok", got ${JSON.stringify(response.body)}`).toBe('ok');
      expect(
        Object.keys(metrics).sort(),
        `The handler called ${form}: Node takes headers as an object or a flat array, and names in any case. A writeHead ` +
          `wrapper must fold them all in before adding db and total (on-headers does). Got ${JSON.stringify(metrics)}. ${READ}`,
      ).toEqual(['app', 'db', 'total']);
      expect(metrics.app, `the handler's own entry keeps its value (3), got ${metrics.app}. ${READ}`).toBe(3);
    }
  });

  test('keeps every entry appended by earlier layers (getHeader() returns an array then)', async () => {
    const { metrics } = await timingOf('/appended');
    expect(
      Object.keys(metrics).sort(),
      `Two layers called res.append('Server-Timing', …) (cache;desc=hit;dur=0.5, then auth;dur=3), so ` +
        `res.getHeader('Server-Timing') is an array of two strings: keep both entries and add yours. Got ${JSON.stringify(metrics)}. ${READ}`,
    ).toEqual(['auth', 'cache', 'total']);
    expect([metrics.cache, metrics.auth], `the earlier entries keep their values (0.5 and 3). ${READ}`).toEqual([0.5, 3]);
  });

  test('end() of a phase already ended is ignored: it does not count the phase again', async () => {
    const { response, metrics } = await timingOf('/double-end');
    expect(response.status, `the route should answer 200; got ${response.status}: ${response.body}. ${READ}`).toBe(200);
    const { firstMs, gapMs } = JSON.parse(response.body) as { firstMs: number; gapMs: number };
    expect(metrics.db, `start('db') … end('db') is a phase; got ${JSON.stringify(metrics)}. ${READ}`).toBeGreaterThanOrEqual(0);
    expect(
      metrics.db,
      `start('db'), end('db') ${firstMs.toFixed(1)} ms later, then end('db') again ${gapMs.toFixed(1)} ms after that: the ` +
        `second end() has no started phase to end and must be ignored, so db is about ${firstMs.toFixed(1)}; the header ` +
        `says ${metrics.db}. Does end() forget the start it used (delete it from the open phases)? ${READ}`,
    ).toBeLessThanOrEqual(firstMs + gapMs / 2);
  });

  test('times phases that run at the same time, and measure() returns what the work returns', async () => {
    const { response, metrics } = await timingOf('/parallel');
    const body = JSON.parse(response.body) as { results: string[]; rendered: string; inner: Record<string, number> };
    expect(body.results, `measure() resolves to the value of the work it timed. ${READ}`).toEqual(['CACHE', 'DB']);
    expect(body.rendered, `measure() of a plain (non-async) function resolves to its return value. ${READ}`).toBe('plain value');
    for (const name of ['cache', 'db'] as const) {
      expect(
        metrics[name],
        `Promise.all ran cache and db side by side; the header should have both (each phase open on its own), got ${JSON.stringify(metrics)}. ${READ}`,
      ).toBeDefined();
      expect(metrics[name], `${name} took ${body.inner[name]!.toFixed(1)} ms; the header says ${metrics[name]}. ${READ}`).toBeGreaterThanOrEqual(
        body.inner[name]! - 0.1,
      );
      expect(metrics[name], `${name} (${metrics[name]}) cannot be longer than the whole request (total ${metrics.total}). ${READ}`).toBeLessThanOrEqual(
        metrics.total! + 0.01,
      );
    }
    expect(metrics.render, `measure() of a synchronous function is a phase too; got ${JSON.stringify(metrics)}. ${READ}`).toBeDefined();
  });

  test('records a phase whose work throws or rejects, and passes the error on', async () => {
    const { response, metrics } = await timingOf('/fails-inside');
    const body = JSON.parse(response.body) as { errors: string[]; innerMs: number };
    expect(response.status, `the route answers 503 after catching both errors; got ${response.status}: ${response.body}. ${READ}`).toBe(503);
    expect(body.errors, `measure() must reject with the error the work threw, so the handler can deal with it. ${READ}`).toEqual(['db down', 'bad json']);
    const failed = `a failed phase is still a finished phase (end it in a finally). Got ${JSON.stringify(metrics)}. ${READ}`;
    expect(metrics.db, `The db work ran for ${body.innerMs.toFixed(1)} ms and then rejected: ${failed}`).toBeDefined();
    expect(metrics.db, `The db work ran for ${body.innerMs.toFixed(1)} ms and then rejected: ${failed}`).toBeGreaterThanOrEqual(body.innerMs - 0.1);
    expect(metrics.parse, `The parse work threw synchronously: ${failed}`).toBeDefined();
    expect(metrics.parse, `parse is a number of ms, got ${metrics.parse}. ${READ}`).toBeGreaterThanOrEqual(0);
  });

  test('leaves out a phase that never ended, and ignores end() without start()', async () => {
    const { response, metrics } = await timingOf('/unfinished');
    expect(
      response.status,
      `The route calls end('ghost') without start('ghost'): that should be ignored, not fail the request; got ` +
        `${response.status}: ${response.body}. ${READ}`,
    ).toBe(200);
    expect(
      Object.keys(metrics).sort(),
      `A phase still running when the headers go out cannot be reported, and end() of a phase never started has nothing to report. ${READ}`,
    ).toEqual(['done', 'total']);
  });

  test('keeps the header well-formed whatever names the handler uses', async () => {
    const { response, metrics } = await timingOf('/odd-names');
    expect(response.status, `the route should answer 200; got ${response.status}: ${response.body}. ${READ}`).toBe(200);
    expect(metrics.db, `A valid name next to odd ones still gets its phase; got ${JSON.stringify(metrics)}. ${READ}`).toBeDefined();
    expect(metrics.total, `Expected a "total;dur=…" metric. ${READ}`).toBeDefined();
  });

  test('keeps Server-Timing entries set by the handler, adding its own', async () => {
    const { metrics } = await timingOf('/own-entry');
    expect(
      Object.keys(metrics).sort(),
      `The handler set "Server-Timing: cdn;desc=…;dur=1.5" itself; add your entries to it rather than replace it. ${READ}`,
    ).toEqual(['cdn', 'total']);
    expect(metrics.cdn, `the handler's own entry keeps its value (1.5), got ${metrics.cdn}. ${READ}`).toBe(1.5);
  });

  test('timing(res) without serverTiming() mounted is an error, not undefined', async () => {
    const response = await get(`${server.url}/untimed`);
    const body = JSON.parse(response.body) as { threw: boolean; found?: string };
    expect(
      body.threw,
      `A route that runs without serverTiming() called timing(res) and got ${body.found} back: throw an error that says ` +
        `to mount serverTiming() before the routes (the starter's timing() does). ${READ}`,
    ).toBe(true);
  });

  test('never sets a header after the response has started', () => {
    expect(
      lateHeaders,
      `setHeader(${lateHeaders.join(', ')}) was called after the headers were sent. Node throws ` +
        `ERR_HTTP_HEADERS_SENT there and the client never sees the header. ${READ}`,
    ).toEqual([]);
  });
});
