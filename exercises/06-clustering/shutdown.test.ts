// Exercise 06 · shutdown: a worker that stops without dropping a request, closes what it holds,
// and cannot hang forever. Run it with: npm test -- 06-clustering/shutdown
//
// Each test starts a server in a process of its own (shutdown.fixture-server.ts: an Express app
// with a PostgreSQL pool and a Redis client) whose shutdown is your handleShutdown, and signals
// it. No verdict depends on the machine's speed: order is read from the process's own log,
// deadlines are checked from below (a timer fires late on a busy machine, never early), and every
// wait is a generous bound that fails with what was seen.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { get, lessonHint, suiteSection, useChildProcesses, useTestDatabase, useTestRedis, type PlainResponse, type StartedChild } from '../../shared/testing/index.ts';
import shutdownFile from './shutdown.ts?workbook-file';
import type { ShutdownOptions } from './shutdown.ts';

const SHUTDOWN = suiteSection('06-clustering', '4. Shutting down without dropping requests');
const READINESS = lessonHint('06-clustering', '5. Health and readiness');

const SERVER = fileURLToPath(new URL('./shutdown.fixture-server.ts', import.meta.url));
const db = useTestDatabase();
const redis = useTestRedis();
const children = useChildProcesses();

interface Started {
  child: StartedChild;
  port: number;
  /** When the process logged a "@@fixture <event>" line (its own clock), or undefined. */
  when(event: string): number | undefined;
  until(event: string, withinMs?: number): Promise<void>;
}

async function startServer(options: Omit<ShutdownOptions, 'server' | 'resources' | 'onShutdown' | 'log'>, mode = 'normal', env: Record<string, string> = {}): Promise<Started> {
  const child = children.start(SERVER, {
    env: {
      WORKBOOK_SHUTDOWN: shutdownFile,
      WORKBOOK_SHUTDOWN_OPTIONS: JSON.stringify(options),
      WORKBOOK_FIXTURE_MODE: mode,
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      ...env,
    },
  });
  const [, port] = await child.waitFor(/^@@fixture listening (\d+) /, 20_000, 'the server under test listening');
  const when = (event: string) => {
    const line = child.lines.find((text) => text.startsWith(`@@fixture ${event} `));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  return {
    child,
    port: Number(port),
    when,
    until: (event, withinMs = 10_000) => child.waitFor(new RegExp(`^@@fixture ${event} `), withinMs, `"${event}" in the server's log`).then(() => {}),
  };
}

/** A request; `agent` keeps its connection open afterwards (keep-alive), as browsers and proxies do. */
const request = (port: number, path: string, agent: http.Agent | false = false, withinMs = 15_000) => get(`http://127.0.0.1:${port}${path}`, {}, { agent, withinMs });
const outcome = (answer: Promise<PlainResponse>) =>
  answer.then(
    (got) => `answered ${got.status}`,
    (error: NodeJS.ErrnoException) => error.code ?? error.message,
  );
/** A new connection during shutdown: refused, reset at once, or told 503 — never served as if nothing happened, never left hanging. */
const TURNED_AWAY = ['ECONNREFUSED', 'ECONNRESET', 'answered 503'];
const keepAlive = () => new http.Agent({ keepAlive: true, maxSockets: 1 });

async function exitOf(started: Started, withinMs: number, what: string) {
  const exit = await started.child.exitWithin(withinMs);
  if (!exit) {
    throw new Error(`${what}, but the process was still running ${withinMs / 1000} s later. Its last output:\n${started.child.tail()}\n${SHUTDOWN}`);
  }
  return exit;
}

describe('graceful shutdown', () => {
  test('SIGTERM: new connections are refused, the request in flight completes, the pool and client close after it, exit 0', async () => {
    const server = await startServer({ timeoutMs: 30_000 });
    const idle = keepAlive();
    expect((await request(server.port, '/pid', idle)).status).toBe(200);
    const busy = keepAlive();
    const slow = request(server.port, '/slow?ms=2000', busy).catch((error: Error) => ({ status: 0, body: error.message }));
    await server.until('slow-request');
    const signalled = Date.now();
    server.child.signal('SIGTERM');

    // Within the 2 s the slow request still runs, new connections must be turned away.
    let late = '';
    for (const start = Date.now(); Date.now() - start < 1_500; await sleep(100)) {
      late = await outcome(request(server.port, '/pid', false, 3_000));
      if (TURNED_AWAY.includes(late)) break;
    }
    expect(
      TURNED_AWAY,
      `After SIGTERM the server should stop accepting connections (server.close()) while it finishes the request in flight; a new connection got: ${late}. ${SHUTDOWN}`,
    ).toContain(late);
    const answer = await slow;
    expect(
      answer.status,
      `The request in flight when SIGTERM came (it uses the pool and the Redis client at its end) should complete with 200; it got ${answer.status} ${answer.body}. ${SHUTDOWN}`,
    ).toBe(200);
    const exit = await exitOf(
      server,
      10_000,
      'The request is done and both keep-alive connections are idle (the server keeps idle connections for 60 s): the process should exit now',
    );
    expect(exit.code, `A clean shutdown exits with code 0. Output:\n${server.child.tail()}\n${SHUTDOWN}`).toBe(0);
    expect(exit.at - signalled, 'well before the 30 s deadline').toBeLessThan(25_000);
    for (const name of ['postgres', 'redis']) {
      expect(server.when(`closed ${name}`), `The ${name} resource should be closed before the process exits. ${SHUTDOWN}`).toBeDefined();
      expect(
        server.when(`closing ${name}`)!,
        `The ${name} resource was closed before the request in flight had finished with it. Close resources after the server has closed. ${SHUTDOWN}`,
      ).toBeGreaterThanOrEqual(server.when('slow-answered') ?? Infinity);
    }
    expect(
      server.when('closing redis')!,
      `Resources close in the order given, each after the one before has finished (redis may depend on postgres being closed first, or the reverse). ${SHUTDOWN}`,
    ).toBeGreaterThanOrEqual(server.when('closed postgres')!);
    idle.destroy();
    busy.destroy();
  }, 60_000);

  test('SIGINT shuts down the same way, and idle keep-alive connections do not hold it up (no onShutdown, console.log by default)', async () => {
    const server = await startServer({ timeoutMs: 30_000 }, 'normal', { WORKBOOK_FIXTURE_MINIMAL: '1' });
    const idle = keepAlive();
    expect((await request(server.port, '/pid', idle)).status).toBe(200);
    server.child.signal('SIGINT');
    const exit = await exitOf(server, 8_000, 'Nothing is in flight: after SIGINT the process should close its idle connection and exit at once');
    expect(exit.code, `SIGINT asks for the same clean shutdown as SIGTERM: exit 0. Output:\n${server.child.tail()}\n${SHUTDOWN}`).toBe(0);
    expect(server.when('closed postgres') && server.when('closed redis'), `The pool and the client should be closed. ${SHUTDOWN}`).toBeDefined();
    expect(
      server.child.lines.filter((line) => !line.startsWith('@@')).length,
      `With log left out, each step should be logged with console.log; nothing was. ${SHUTDOWN}`,
    ).toBeGreaterThan(0);
    idle.destroy();
  }, 60_000);

  test('readiness turns 503 as soon as shutdown begins; with drainDelayMs the server keeps serving that long, then refuses', async () => {
    const server = await startServer({ timeoutMs: 30_000, drainDelayMs: 2_000 });
    expect((await request(server.port, '/readyz')).status).toBe(200);
    const signalled = Date.now();
    server.child.signal('SIGTERM');
    await server.until('on-shutdown', 5_000).catch(() => {
      throw new Error(`onShutdown should be called as soon as the signal comes (it turns /readyz to 503). ${READINESS}`);
    });
    const failed = (what: string) => (error: Error) => {
      throw new Error(`${what} right after SIGTERM failed (${error.message}): during drainDelayMs (2 s) the server should still accept and serve. ${READINESS}`);
    };
    const ready = await request(server.port, '/readyz').catch(failed('GET /readyz'));
    const served = await request(server.port, '/pid').catch(failed('GET /pid'));
    expect(
      Date.now() - signalled < 2_000 ? [ready.status, served.status] : 'too late to tell',
      `During drainDelayMs (2 s) the server should still accept and serve (200), with /readyz already 503, so a load balancer stops sending before the socket closes. ${READINESS}`,
    ).toEqual([503, 200]);
    expect(server.when('server-closed') ?? Infinity, 'The server should not close before drainDelayMs has passed').toBeGreaterThanOrEqual(signalled + 1_900);
    const exit = await exitOf(server, 12_000, 'After the drain delay the server should close and the process exit');
    expect(exit.code).toBe(0);
    expect(server.when('server-closed'), `The server should be closed (server.close()) before the process exits. ${SHUTDOWN}`).toBeDefined();
  }, 60_000);

  test('a request that never ends: the process exits non-zero at timeoutMs', async () => {
    const server = await startServer({ timeoutMs: 1_500 });
    void request(server.port, '/hang').catch(() => {});
    await server.until('hanging-request');
    const signalled = Date.now();
    server.child.signal('SIGTERM');
    const exit = await exitOf(server, 10_000, 'A request that never ends should not keep the process alive past timeoutMs (1.5 s)');
    expect(exit.at - signalled, `The process should wait for the request until timeoutMs (1500 ms). ${SHUTDOWN}`).toBeGreaterThanOrEqual(1_400);
    expect(exit.code, `A shutdown the deadline had to end is not clean: exit non-zero. ${SHUTDOWN}`).not.toBe(0);
  }, 60_000);

  test('a second signal forces the exit at once', async () => {
    const server = await startServer({ timeoutMs: 60_000 });
    void request(server.port, '/hang').catch(() => {});
    await server.until('hanging-request');
    server.child.signal('SIGTERM');
    await sleep(500);
    expect(await server.child.exitWithin(0), 'The first SIGTERM should wait for the request in flight, not exit at once').toBeUndefined();
    server.child.signal('SIGINT');
    const exit = await exitOf(server, 8_000, 'A second signal should end the process at once, not wait for the 60 s deadline');
    expect(exit.code, `A forced exit is not clean: exit non-zero. ${SHUTDOWN}`).not.toBe(0);
  }, 60_000);

  test('a second signal during drainDelayMs forces the exit at once too', async () => {
    const server = await startServer({ timeoutMs: 60_000, drainDelayMs: 30_000 });
    server.child.signal('SIGTERM');
    await server.until('on-shutdown', 5_000);
    server.child.signal('SIGINT');
    const exit = await exitOf(server, 8_000, 'A second signal during the 30 s drain delay should end the process at once, not after the delay');
    expect(exit.code, `A forced exit is not clean: exit non-zero. ${SHUTDOWN}`).not.toBe(0);
  }, 60_000);

  test('a resource that fails to close: the others are still closed, and the exit code says it failed', async () => {
    const server = await startServer({ timeoutMs: 30_000 }, 'failing-resource');
    server.child.signal('SIGTERM');
    const exit = await exitOf(server, 10_000, 'A resource whose close() rejects should not stop the shutdown');
    expect(server.when('closed postgres') && server.when('closed redis'), `The pool and the client should be closed whatever a third resource does. ${SHUTDOWN}`).toBeDefined();
    expect(exit.code, `A resource failed to close: the shutdown was not clean, exit non-zero. ${SHUTDOWN}`).not.toBe(0);
  }, 60_000);

  test('a resource that never finishes closing: the deadline ends the process, non-zero', async () => {
    const server = await startServer({ timeoutMs: 1_500 }, 'stuck-resource');
    const signalled = Date.now();
    server.child.signal('SIGTERM');
    const exit = await exitOf(server, 10_000, 'A resource whose close() never finishes should not keep the process alive past timeoutMs (1.5 s)');
    expect(exit.at - signalled).toBeGreaterThanOrEqual(1_400);
    expect(exit.code, `The deadline ended the shutdown: exit non-zero. ${SHUTDOWN}`).not.toBe(0);
  }, 60_000);

  test('left out, resources are none: a clean shutdown closes the server and exits 0', async () => {
    const server = await startServer({ timeoutMs: 30_000 }, 'normal', { WORKBOOK_FIXTURE_NO_RESOURCES: '1' });
    expect((await request(server.port, '/pid')).status).toBe(200);
    server.child.signal('SIGTERM');
    const exit = await exitOf(server, 10_000, 'Nothing is in flight and nothing is to be closed: after SIGTERM the process should exit at once');
    expect(exit.code, `resources is optional: left out, there is nothing to close, and the shutdown is clean (exit 0). Output:\n${server.child.tail()}\n${SHUTDOWN}`).toBe(0);
    expect(server.when('server-closed'), `The server should be closed (server.close()) before the process exits. ${SHUTDOWN}`).toBeDefined();
  }, 60_000);

  test('left out, timeoutMs is 10 s', async () => {
    const server = await startServer({}, 'normal', { WORKBOOK_FIXTURE_EXIT_BY_MS: '13000' });
    void request(server.port, '/hang').catch(() => {});
    await server.until('hanging-request');
    const signalled = Date.now();
    server.child.signal('SIGTERM');
    const exit = await exitOf(server, 25_000, 'With the default deadline (10 s), a request that never ends should end the process after 10 s');
    expect(exit.at - signalled, `The default deadline is 10 s: the process should wait that long for its requests. ${SHUTDOWN}`).toBeGreaterThanOrEqual(9_500);
    expect(
      server.when('exit-overdue'),
      `The default deadline is 10 s, not longer: a stuck request should not hold a deploy for more (a 13 s timer set at the signal fired before the exit). ${SHUTDOWN}`,
    ).toBeUndefined();
    expect(exit.code, `The deadline ended the shutdown: exit non-zero. ${SHUTDOWN}`).not.toBe(0);
  }, 60_000);

  test('the deadline counts from the signal, drain delay included', async () => {
    const server = await startServer({ timeoutMs: 1_500, drainDelayMs: 5_000 }, 'normal', { WORKBOOK_FIXTURE_EXIT_BY_MS: '4500' });
    void request(server.port, '/hang').catch(() => {});
    await server.until('hanging-request');
    server.child.signal('SIGTERM');
    const exit = await exitOf(server, 15_000, 'timeoutMs (1.5 s) is shorter than drainDelayMs (5 s): the deadline should end the process during the drain');
    expect(
      server.when('exit-overdue'),
      `timeoutMs bounds the whole shutdown from the signal on, drain delay included: start the timer when the signal comes (a 4.5 s timer set at the signal fired before the exit). ${SHUTDOWN}`,
    ).toBeUndefined();
    expect(exit.code).not.toBe(0);
  }, 60_000);
});
