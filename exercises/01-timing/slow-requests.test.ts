// Exercise 01 · slow-requests: log requests over a threshold, once each, by route pattern.
// Run it with: npm test -- 01-timing/slow-requests
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type StartedServer, startServer, suiteSection } from '../../shared/testing/index.ts';
import { slowRequestLog, type SlowRequest } from './slow-requests.ts';

const READ = suiteSection('01-timing', '3. A slow-request log worth reading');
const THRESHOLD_MS = 50;
const entries: SlowRequest[] = [];
let server: StartedServer;
/** The same log with thresholdMs: 0 (every request is at least 0 ms). */
const everyEntry: SlowRequest[] = [];
let everything: StartedServer;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
/** A request held inside its handler until the test releases it. */
const held = { entered: deferred(), released: deferred(), innerMs: Number.NaN };
/** How long the streamed route took from its first line to res.end(), as the handler saw it. */
let streamedMs = Number.NaN;

/**
 * The learner's middleware, or a pass-through when making it failed: the error is then
 * reported by every test (a failing beforeAll hook would report no test at all).
 */
let setupError: unknown;
function middlewareOf(make: () => unknown): express.RequestHandler {
  try {
    const middleware = make();
    if (typeof middleware !== 'function') throw new TypeError(`slowRequestLog() should return a middleware function, got ${String(middleware)}`);
    return middleware as express.RequestHandler;
  } catch (error) {
    setupError ??= error;
    return (_req, _res, next) => next();
  }
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
  const app = express();
  app.use(express.json());
  app.use(middlewareOf(() => slowRequestLog({ thresholdMs: THRESHOLD_MS, log: (entry) => entries.push(entry) })));
  const api = express.Router();
  api.get('/users/:id', async (_req, res) => {
    await sleep(80);
    res.json({ ok: true });
  });
  // Parameters that are not numbers, and are not called :id.
  api.get('/authors/:name/posts/:postId', async (_req, res) => {
    await sleep(80);
    res.json({ ok: true });
  });
  api.post('/orders', async (_req, res) => {
    await sleep(80);
    res.status(201).json({ created: true });
  });
  // A matched route that answers 404 (no such account): still this route's request.
  api.get('/accounts/:id', async (_req, res) => {
    await sleep(80);
    res.status(404).json({ error: 'no such account' });
  });
  api.get('/fast', (_req, res) => {
    res.json({ ok: true });
  });
  api.get('/held', async (_req, res) => {
    const from = performance.now();
    held.entered.resolve();
    await held.released.promise;
    held.innerMs = performance.now() - from;
    res.json({ ok: true });
  });
  // Headers at once, then a body that trickles out: the time to the last byte is what counts.
  api.get('/stream', async (_req, res) => {
    const from = performance.now();
    res.type('text/plain');
    res.write('first line\n');
    await sleep(40);
    res.write('second line\n');
    await sleep(40);
    res.end('last line\n');
    streamedMs = performance.now() - from;
  });
  api.get('/fails-slowly', async () => {
    await sleep(80);
    throw new Error('boom');
  });
  // Errors are answered inside the router, as most APIs do (the lesson explains why the route
  // pattern is gone once an error leaves the router).
  api.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'internal' });
  });
  app.use('/api', api);
  app.use(async (req, res) => {
    await sleep(80);
    // Matching no route is not always a 404: this catch-all answers 405 to a DELETE.
    if (req.method === 'DELETE') res.status(405).json({ error: 'method not allowed' });
    else res.status(404).json({ error: 'not found' });
  });
  server = await startServer(app);

  const all = express();
  all.use(middlewareOf(() => slowRequestLog({ thresholdMs: 0, log: (entry) => everyEntry.push(entry) })));
  all.get('/quick/:id', (_req, res) => {
    res.json({ ok: true });
  });
  everything = await startServer(all);
});

afterAll(async () => {
  held.released.resolve(); // never leave a handler waiting
  await Promise.all([server?.close(), everything?.close()]);
});
beforeEach(() => {
  if (setupError) throw setupError;
  entries.length = 0;
  everyEntry.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Makes the request, then waits long enough for any late or duplicate log call. */
async function call(path: string, init?: RequestInit): Promise<SlowRequest[]> {
  const response = await fetch(`${server.url}${path}`, init);
  await response.arrayBuffer();
  await sleep(50);
  return [...entries];
}

describe('slow-request log', () => {
  test('logs a slow request once, with method, route pattern, status and duration', async () => {
    const logged = await call('/api/users/42?token=s3cret');
    expect(logged, `One slow request should give exactly one call to the injected log(). ${READ}`).toHaveLength(1);
    const [entry] = logged;
    expect(entry?.route, `Log the route pattern (req.baseUrl + req.route.path), not the URL. ${READ}`).toBe('/api/users/:id');
    expect(entry, `Expected one entry with the request's method and real status, got ${JSON.stringify(entry)}. ${READ}`).toMatchObject({ method: 'GET', status: 200 });
    expect(entry?.durationMs, `durationMs is the request time in milliseconds (the handler took 80 ms), got ${entry?.durationMs}. ${READ}`).toBeGreaterThanOrEqual(75);
    expect(entry?.durationMs, `durationMs is in milliseconds; ${entry?.durationMs} looks like nanoseconds or microseconds. ${READ}`).toBeLessThan(10_000);
    expect(JSON.stringify(entry), `The query string (and its secrets) must not reach the log. ${READ}`).not.toContain('s3cret');
  });

  test('logs the pattern the route was declared with, whatever its parameters look like', async () => {
    const logged = await call('/api/authors/alice%40example.com/posts/17');
    expect(logged, `One slow request should give exactly one call to the injected log(). ${READ}`).toHaveLength(1);
    expect(
      logged[0]?.route,
      `GET /api/authors/alice%40example.com/posts/17 matched the route "/authors/:name/posts/:postId" mounted at /api: log ` +
        `req.baseUrl + req.route.path ("/api/authors/:name/posts/:postId"). Guessing the pattern from the URL (numbers → :id) ` +
        `leaves names and e-mail addresses in the log and renames :postId. ${READ}`,
    ).toBe('/api/authors/:name/posts/:postId');
  });

  test('does not log fast requests', async () => {
    // A request the client saw complete under the threshold cannot have taken longer on the
    // server. On a busy machine one request may not be fast: only those that were are judged.
    let judged = 0;
    for (let attempt = 0; attempt < 20 && judged < 3; attempt += 1) {
      entries.length = 0;
      const started = performance.now();
      await (await fetch(`${server.url}/api/fast`)).arrayBuffer();
      const clientMs = performance.now() - started;
      await sleep(50);
      if (clientMs >= THRESHOLD_MS) continue;
      judged += 1;
      expect(entries, `/api/fast answered in ${clientMs.toFixed(1)} ms, under the ${THRESHOLD_MS} ms threshold: nothing to log. ${READ}`).toEqual([]);
    }
    expect(judged, `20 requests to /api/fast each took ${THRESHOLD_MS} ms or more: the machine is too busy to judge this test`).toBeGreaterThan(0);
  });

  test('logs the real status of other methods and of failures', async () => {
    const created = await call('/api/orders', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(created, `Expected one entry with the request's method and real status, got ${JSON.stringify(created)}. ${READ}`).toMatchObject([{ method: 'POST', route: '/api/orders', status: 201 }]);
    entries.length = 0;
    const failed = await call('/api/fails-slowly');
    expect(failed, `A slow request that ends in an error is still a slow request, logged with its 500; got ${JSON.stringify(failed)}. ${READ}`).toMatchObject([
      { method: 'GET', route: '/api/fails-slowly', status: 500 },
    ]);
  });

  test('groups requests that matched no route under one name, without their URL', async () => {
    const logged = await call('/scanner/probe-12345');
    expect(logged, `A slow unmatched request is logged once too; got ${JSON.stringify(logged)}. ${READ}`).toHaveLength(1);
    expect(logged[0]?.status, `The log holds the real status (404), got ${logged[0]?.status}. ${READ}`).toBe(404);
    expect(
      logged[0]?.route,
      `Unmatched URLs are unbounded (scanners try thousands): use one fixed name for them. ${READ}`,
    ).not.toContain('12345');
  });

  test('groups every unmatched URL under the same name', async () => {
    const first = await call('/wp-admin/setup-config.php');
    entries.length = 0;
    const second = await call('/.env?debug=1');
    expect([first.length, second.length], `each slow unmatched request is logged once. ${READ}`).toEqual([1, 1]);
    const names = [first[0]!.route, second[0]!.route];
    expect(
      names[1],
      `Two different unmatched URLs were logged as ${JSON.stringify(names)}: use one fixed name for all of them, ` +
        `or every scanned URL becomes its own line of statistics. ${READ}`,
    ).toBe(names[0]);
    expect(names.join(' '), `The unmatched URL must not reach the log. ${READ}`).not.toMatch(/wp-admin|setup-config|\.env|debug/);
    expect(
      typeof names[0] === 'string' && names[0].trim().length > 0,
      `Unmatched requests were logged with route ${JSON.stringify(names[0])}: give them a name one can search and group by, ` +
        `such as "(unmatched)". ${READ}`,
    ).toBe(true);
  });

  test('tells matched from unmatched by the route, not by the status', async () => {
    const missing = await call('/api/accounts/999');
    expect(missing, `A slow request is logged once; got ${JSON.stringify(missing)}. ${READ}`).toHaveLength(1);
    expect(
      missing[0],
      `GET /api/accounts/999 matched the route "/accounts/:id" mounted at /api, which answered 404 (no such account): it is ` +
        `that route's request, logged as "/api/accounts/:id" with status 404. A request is unmatched when req.route is ` +
        `missing, not when the status is 404. Got ${JSON.stringify(missing[0])}. ${READ}`,
    ).toMatchObject({ method: 'GET', route: '/api/accounts/:id', status: 404 });
    entries.length = 0;
    const notFound = await call('/nothing/here');
    entries.length = 0;
    const notAllowed = await call('/nothing/here', { method: 'DELETE' });
    expect([notFound.length, notAllowed.length], `each slow unmatched request is logged once. ${READ}`).toEqual([1, 1]);
    expect(notAllowed[0]?.status, `The catch-all answered DELETE /nothing/here with 405; log the real status. ${READ}`).toBe(405);
    expect(
      notAllowed[0]?.route,
      `DELETE /nothing/here matched no route and was answered 405 by a catch-all: it is unmatched all the same, logged ` +
        `under the same name as the unmatched GET (${JSON.stringify(notFound[0]?.route)}), got ${JSON.stringify(notAllowed[0]?.route)}. ` +
        `Decide by req.route, not by the status. ${READ}`,
    ).toBe(notFound[0]?.route);
  });

  test('measures to the last byte: a slow body counts, even when the headers went out at once', async () => {
    const logged = await call('/api/stream');
    expect(
      logged,
      `GET /api/stream sends its headers at once, then its body over ~80 ms: it is slow (threshold ${THRESHOLD_MS} ms) and ` +
        `should be logged once. Is the clock stopped when the headers are written rather than on 'finish'? ${READ}`,
    ).toHaveLength(1);
    expect(logged[0], `Expected one entry with the request's method and real status, got ${JSON.stringify(logged[0])}. ${READ}`).toMatchObject({ method: 'GET', route: '/api/stream', status: 200 });
    expect(
      logged[0]!.durationMs,
      `The handler took ${streamedMs.toFixed(1)} ms from its first line to res.end(); durationMs was ${logged[0]!.durationMs}. ` +
        `The log's duration runs to the last byte ('finish'). ${READ}`,
    ).toBeGreaterThanOrEqual(streamedMs - 0.1);
  });

  test('times each request from its own start when requests overlap', async () => {
    const first = fetch(`${server.url}/api/held`).then((response) => response.arrayBuffer());
    await within(held.entered.promise, 10_000, `GET /api/held never reached its handler: does the middleware call next()? ${READ}`);
    await sleep(60); // /api/held is in flight; now another slow request starts and finishes inside it
    await call('/api/orders', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    held.released.resolve();
    await within(first, 10_000, 'GET /api/held never answered after it was released');
    await sleep(50);
    const heldEntries = entries.filter((entry) => entry.route === '/api/held');
    const orderEntries = entries.filter((entry) => entry.route === '/api/orders');
    const perRequest = `Keep the start time per request (a const inside the middleware function), not in slowRequestLog()'s ` +
      `closure or the module, which every request shares. ${READ}`;
    expect(
      [heldEntries.length, orderEntries.length],
      `Both requests were slow: expected one entry each, got ${JSON.stringify(entries)}. ${perRequest}`,
    ).toEqual([1, 1]);
    expect(heldEntries[0], `${perRequest} Got ${JSON.stringify(entries)}`).toMatchObject({ method: 'GET', status: 200 });
    expect(orderEntries[0], `${perRequest} Got ${JSON.stringify(entries)}`).toMatchObject({ method: 'POST', status: 201 });
    expect(
      heldEntries[0]!.durationMs,
      `GET /api/held was inside its handler for ${held.innerMs.toFixed(1)} ms, but was logged with ${heldEntries[0]!.durationMs.toFixed(1)} ms: ` +
        `it was timed from the other request's start. ${perRequest}`,
    ).toBeGreaterThanOrEqual(held.innerMs - 0.1);
  });

  test('thresholdMs: 0 logs every request, a fast one included', async () => {
    const response = await fetch(`${everything.url}/quick/7?x=1`);
    await response.arrayBuffer();
    await sleep(50);
    expect(
      everyEntry,
      `With thresholdMs: 0 every request is at least as slow as the threshold, so each is logged once. ` +
        `Is 0 treated as "not set" (thresholdMs || default)? ${READ}`,
    ).toHaveLength(1);
    expect(everyEntry[0], `Expected one entry with the request's method and real status, got ${JSON.stringify(everyEntry[0])}. ${READ}`).toMatchObject({ method: 'GET', route: '/quick/:id', status: 200 });
    expect(everyEntry[0]!.durationMs, `durationMs is a number of milliseconds, got ${everyEntry[0]!.durationMs}. ${READ}`).toBeGreaterThanOrEqual(0);
  });

  test('durationMs keeps its fraction of a millisecond, so thresholdMs: 0 logs even the fastest request', async () => {
    for (let i = 0; i < 3; i += 1) await (await fetch(`${everything.url}/quick/${i}`)).arrayBuffer();
    await sleep(50);
    const durations = everyEntry.map((entry) => entry.durationMs);
    expect(
      durations.length,
      `Three requests with thresholdMs: 0 should give three entries, got ${JSON.stringify(everyEntry)}. A request faster than ` +
        `1 ms is still at least 0 ms: is the duration rounded down to whole milliseconds, or compared with > ? ${READ}`,
    ).toBe(3);
    expect(
      durations.some((ms) => !Number.isInteger(ms)),
      `durationMs was a whole number of milliseconds every time (${durations.join(', ')}): keep the fraction ` +
        `(Number(hrtime difference) / 1e6, or performance.now()), or a 500.9 ms request is not over a 500 ms threshold. ${READ}`,
    ).toBe(true);
  });

  test('without a log option, logs each slow request once to the console, as a structured entry', async () => {
    const calls: unknown[][] = [];
    const methods: string[] = [];
    // Spied before the middleware is made, so a default taken as `log = console.warn` is seen too.
    for (const method of ['warn', 'error', 'info', 'log'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void (calls.push(args), methods.push(method)));
    }
    const plain = express();
    plain.use(slowRequestLog({ thresholdMs: THRESHOLD_MS })); // no log: the middleware's own default
    plain.get('/reports/:year', async (_req, res) => {
      await sleep(80);
      res.json({ ok: true });
    });
    plain.get('/quick', (_req, res) => {
      res.json({ ok: true });
    });
    const defaults = await startServer(plain);
    let quickMs = 0;
    try {
      const started = performance.now();
      await (await fetch(`${defaults.url}/quick`)).arrayBuffer();
      quickMs = performance.now() - started;
      await (await fetch(`${defaults.url}/reports/2024?token=s3cret`)).arrayBuffer();
      await sleep(50);
    } finally {
      vi.restoreAllMocks();
      await defaults.close();
    }
    // On a busy machine /quick itself may take longer than the threshold: then its entry is right.
    const kept = calls.map((call, i) => i).filter((i) => quickMs < THRESHOLD_MS || !JSON.stringify(calls[i]).includes('/quick'));
    const judged = kept.map((i) => calls[i]!);
    expect(
      judged.length,
      `slowRequestLog({ thresholdMs }) without log should default to the console (console.warn): one call for the one ` +
        `slow request, got ${judged.length}: ${JSON.stringify(judged)}. ${READ}`,
    ).toBe(1);
    const args = judged[0]!;
    expect(methods[kept[0]!], `The default is console.warn (a slow request is a warning), not console.${methods[kept[0]!]}. ${READ}`).toBe('warn');
    // The entry itself, or the same as one line of JSON: either can be filtered and counted by field.
    const asEntry = (arg: unknown): Partial<SlowRequest> | undefined => {
      if (typeof arg === 'object' && arg !== null) return arg as Partial<SlowRequest>;
      try {
        const parsed: unknown = typeof arg === 'string' ? JSON.parse(arg) : undefined;
        return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<SlowRequest>) : undefined;
      } catch {
        return undefined; // free text
      }
    };
    const structured = args.some((arg) => asEntry(arg)?.route === '/reports/:year' && asEntry(arg)?.status === 200);
    expect(
      structured,
      `The default logger should get the entry itself (route /reports/:year, status 200), as console.warn(entry), or as ` +
        `one line of JSON: free text cannot be filtered or counted by field. Got ${JSON.stringify(args)}. ${READ}`,
    ).toBe(true);
    expect(JSON.stringify(args), `The query string (and its secrets) must not reach the log. ${READ}`).not.toContain('s3cret');
  });
});
