// Exercise 01 · slow-requests: log requests over a threshold, once each, by route pattern.
// Run it with: npm test -- 01-timing/slow-requests
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { lessonHint, startServer, type StartedServer } from '../../shared/testing/index.ts';
import { slowRequestLog, type SlowRequest } from './slow-requests.ts';

const READ = lessonHint('01-timing', '3. A slow-request log worth reading');
const THRESHOLD_MS = 50;
const entries: SlowRequest[] = [];
let server: StartedServer;

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use(slowRequestLog({ thresholdMs: THRESHOLD_MS, log: (entry) => entries.push(entry) }));
  const api = express.Router();
  api.get('/users/:id', async (_req, res) => {
    await sleep(80);
    res.json({ ok: true });
  });
  api.post('/orders', async (_req, res) => {
    await sleep(80);
    res.status(201).json({ created: true });
  });
  api.get('/fast', (_req, res) => {
    res.json({ ok: true });
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
  app.use(async (_req, res) => {
    await sleep(80);
    res.status(404).json({ error: 'not found' });
  });
  server = await startServer(app);
});

afterAll(() => server?.close());
beforeEach(() => {
  entries.length = 0;
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
    expect(entry).toMatchObject({ method: 'GET', status: 200 });
    expect(entry?.durationMs, 'durationMs is the request time in milliseconds (the handler took 80 ms)').toBeGreaterThanOrEqual(75);
    expect(entry?.durationMs).toBeLessThan(10_000);
    expect(JSON.stringify(entry), 'The query string (and its secrets) must not reach the log').not.toContain('s3cret');
  });

  test('does not log fast requests', async () => {
    expect(await call('/api/fast'), `/api/fast answers at once, far under ${THRESHOLD_MS} ms: nothing to log.`).toEqual([]);
  });

  test('logs the real status of other methods and of failures', async () => {
    const created = await call('/api/orders', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(created).toMatchObject([{ method: 'POST', route: '/api/orders', status: 201 }]);
    entries.length = 0;
    const failed = await call('/api/fails-slowly');
    expect(failed, 'A slow request that ends in an error is still a slow request').toMatchObject([
      { method: 'GET', route: '/api/fails-slowly', status: 500 },
    ]);
  });

  test('groups requests that matched no route under one name, without their URL', async () => {
    const logged = await call('/scanner/probe-12345');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.status).toBe(404);
    expect(
      logged[0]?.route,
      `Unmatched URLs are unbounded (scanners try thousands): use one fixed name for them. ${READ}`,
    ).not.toContain('12345');
  });
});
