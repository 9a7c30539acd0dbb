// Exercise 06 · health: /healthz answers while the process lives; /readyz says whether traffic
// should come here, from real checks with a time limit, and turns 503 when shutdown begins.
// Run it with: npm test -- 06-clustering/health
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { get, startServer, suiteSection, useTestDatabase, useTestRedis, type StartedServer } from '../../shared/testing/index.ts';
import { createHealth, type Health, type HealthOptions } from './health.ts';

const READ = suiteSection('06-clustering', '5. Health and readiness');
const db = useTestDatabase();
const redis = useTestRedis();
const servers: StartedServer[] = [];

let realChecks: HealthOptions['checks'];
beforeAll(() => {
  const pool = db.pool({ max: 2 });
  const client = redis.client();
  realChecks = { postgres: () => pool.query('SELECT 1'), redis: () => client.ping() };
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(options: HealthOptions): Promise<{ health: Health; url: string }> {
  const health = createHealth(options);
  const app = express();
  app.use(health.router);
  const server = await startServer(app);
  servers.push(server);
  return { health, url: server.url };
}

/** A check that counts its calls and answers as told. */
function counted(answer: () => Promise<unknown> = async () => 'ok') {
  const check = Object.assign(() => ((check.calls += 1), answer()), { calls: 0 });
  return check;
}

const bodyOf = (text: string) => JSON.parse(text) as { status?: string; checks?: Record<string, string> };

describe('health and readiness', () => {
  test('with PostgreSQL and Redis answering: /healthz 200, /readyz 200 with each check ok, neither cached', async () => {
    const { url } = await serve({ checks: realChecks });
    const alive = await get(`${url}/healthz`);
    expect(alive.status, `/healthz should answer 200 while the process lives. ${READ}`).toBe(200);
    const ready = await get(`${url}/readyz`);
    expect(ready.status, `Both dependencies answer: /readyz should be 200; it was ${ready.status} ${ready.body}. ${READ}`).toBe(200);
    expect(bodyOf(ready.body).checks, `/readyz should say how each check went, by name: { checks: { postgres: 'ok', redis: 'ok' } }. ${READ}`).toEqual({
      postgres: 'ok',
      redis: 'ok',
    });
    for (const [path, answer] of [['/healthz', alive], ['/readyz', ready]] as const) {
      expect(answer.headers['cache-control'] ?? '(none)', `${path}: a health answer must never come from a cache: Cache-Control: no-store. ${READ}`).toMatch(/no-store/);
    }
  });

  test('/healthz asks no dependency: it stays 200 while PostgreSQL is down', async () => {
    const down = counted(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    const { url } = await serve({ checks: { postgres: down, redis: realChecks.redis! } });
    for (let i = 0; i < 3; i += 1) {
      const alive = await get(`${url}/healthz`);
      expect(alive.status, `/healthz is for "restart me": a database outage must not make every instance look dead. It answered ${alive.status}. ${READ}`).toBe(200);
    }
    expect(down.calls, `/healthz should not run the readiness checks (they ran ${down.calls} times). ${READ}`).toBe(0);
  });

  test('a dependency down: /readyz 503, naming the failed check and the one that is fine; back up: 200 at once', async () => {
    let postgresUp = false;
    const postgres = () => (postgresUp ? realChecks.postgres!() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')));
    const { url } = await serve({ checks: { postgres, redis: realChecks.redis! } });
    const ready = await get(`${url}/readyz`);
    expect(ready.status, `PostgreSQL is down: /readyz should be 503 so the load balancer sends traffic elsewhere. ${READ}`).toBe(503);
    expect(ready.headers['cache-control'] ?? '(none)', `The 503 must not be cached either: Cache-Control: no-store. ${READ}`).toMatch(/no-store/);
    const checks = bodyOf(ready.body).checks ?? {};
    expect(checks.redis, `The body should report each check: redis is fine. Body: ${ready.body}. ${READ}`).toBe('ok');
    expect(checks.postgres ?? 'ok', `The body should say the postgres check failed. Body: ${ready.body}. ${READ}`).not.toBe('ok');
    postgresUp = true;
    const again = await get(`${url}/readyz`);
    expect(again.status, `PostgreSQL is back: the next /readyz should say so (200). Every probe runs the checks afresh; a remembered answer keeps traffic away (or sends it to a broken instance). ${READ}`).toBe(200);
  });

  test('a check that throws instead of rejecting, or rejects with a non-Error, is a failed check, not a 500', async () => {
    const { url } = await serve({
      checks: {
        thrower: () => {
          throw new Error('synchronous failure');
        },
        stringy: () => Promise.reject('not an Error'),
        nothing: () => Promise.reject(undefined),
        nullish: () => Promise.reject(null),
        fine: async () => 'ok',
      },
    });
    const ready = await get(`${url}/readyz`);
    expect(ready.status, `Every way a check can fail means "not ready" (503), never a crash or a 500. Body: ${ready.body}. ${READ}`).toBe(503);
    const checks = bodyOf(ready.body).checks ?? {};
    expect(Object.keys(checks).sort(), `Every check should be in the body by name, failed or not. Body: ${ready.body}. ${READ}`).toEqual(['fine', 'nothing', 'nullish', 'stringy', 'thrower']);
    for (const name of ['thrower', 'stringy', 'nothing', 'nullish']) {
      expect(typeof checks[name] === 'string' && checks[name] !== 'ok' && checks[name] !== '', `checks.${name} should say how it failed. Body: ${ready.body}. ${READ}`).toBe(true);
    }
    expect(checks.fine).toBe('ok');
  });

  test('a check that never answers fails after checkTimeoutMs: /readyz answers 503, it does not hang', async () => {
    const { url } = await serve({ checks: { hung: () => new Promise(() => {}), fine: async () => 'ok' }, checkTimeoutMs: 300 });
    const started = Date.now();
    const ready = await get(`${url}/readyz`);
    expect(ready.status, `A dependency that does not answer is not ready: 503 after checkTimeoutMs, not a request left hanging. ${READ}`).toBe(503);
    expect(Date.now() - started, 'it should wait checkTimeoutMs (300 ms) for the check first').toBeGreaterThanOrEqual(280);
    const hung = bodyOf(ready.body).checks?.hung;
    expect(typeof hung === 'string' && hung !== 'ok' && hung !== '', `checks.hung should say that it did not answer in time. Body: ${ready.body}. ${READ}`).toBe(true);
    expect(bodyOf(ready.body).checks?.fine, `Only the check that did not answer failed: each check has its own time limit, and "fine" answered. Body: ${ready.body}. ${READ}`).toBe('ok');
  });

  test('a check that answered leaves no timer behind, whether it succeeded or failed', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const cases = [
      { what: 'succeeded', checks: realChecks, status: 200 },
      { what: 'failed at once', checks: { down: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) }, status: 503 },
    ];
    for (const { what, checks, status } of cases) {
      const { url } = await serve({ checks, checkTimeoutMs: 60_000 });
      await get(`${url}/readyz`);
      const before = timers();
      for (let i = 0; i < 5; i += 1) expect((await get(`${url}/readyz`)).status).toBe(status);
      await sleep(50);
      const after = timers();
      expect(
        after - before,
        `Five probes whose checks all ${what} left ${after - before} timers running (checkTimeoutMs is 60 s): clear the time limit's timer when the check settles, however it settles. ${READ}`,
      ).toBeLessThanOrEqual(0);
    }
  });

  test('left out, checkTimeoutMs is 1 s', async () => {
    const { url } = await serve({ checks: { hung: () => new Promise(() => {}) } });
    const started = Date.now();
    // A 1 s timer of the test's own, started at the same moment: on a busy machine it runs late by
    // as much as the app's does, so the bound below is judged against it, not against the clock alone.
    const reference = new Promise<number>((resolve) => setTimeout(() => resolve(Date.now() - started), 1_000));
    const ready = await get(`${url}/readyz`);
    expect(ready.status, `With the default checkTimeoutMs (1000 ms), a check that never answers should fail: 503. ${READ}`).toBe(503);
    const took = Date.now() - started;
    const referenceTook = await reference;
    expect(took, `The default time limit is 1000 ms. ${READ}`).toBeGreaterThanOrEqual(950);
    expect(
      took,
      `The default time limit is 1000 ms, not ${took} ms (a 1 s timer of the test's took ${referenceTook} ms): a probe usually times out after a few seconds itself. ${READ}`,
    ).toBeLessThan(referenceTook + 3_000);
  });

  test('the checks run side by side, not one after another', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = counted(() => gate);
    const second = counted(() => gate);
    const { url } = await serve({ checks: { first, second }, checkTimeoutMs: 10_000 });
    const ready = get(`${url}/readyz`);
    for (const start = Date.now(); first.calls + second.calls < 2 && Date.now() - start < 5_000; ) await sleep(20);
    const bothStarted = first.calls === 1 && second.calls === 1;
    release();
    expect((await ready).status).toBe(200);
    expect(
      bothStarted,
      `While the first check was still waiting, the second had ${second.calls === 0 ? 'not started' : 'started'}: run the checks together (Promise.all), or /readyz takes the sum of their times. ${READ}`,
    ).toBe(true);
  });

  test('beginShutdown(): /readyz turns 503 at once without asking anyone, /healthz stays 200', async () => {
    const check = counted();
    const { url, health } = await serve({ checks: { postgres: check } });
    expect((await get(`${url}/readyz`)).status).toBe(200);
    const before = check.calls;
    health.beginShutdown();
    const ready = await get(`${url}/readyz`);
    expect(ready.status, `Once shutdown has begun /readyz must say 503, so the load balancer stops sending before the socket closes. ${READ}`).toBe(503);
    expect(check.calls, `While shutting down the answer is no whatever the dependencies say: do not run the checks. ${READ}`).toBe(before);
    expect((await get(`${url}/healthz`)).status, `A process that is shutting down is still alive: /healthz 200 (or it gets killed mid-drain). ${READ}`).toBe(200);
  });
});
