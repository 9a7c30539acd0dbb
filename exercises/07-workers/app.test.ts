// Exercise 07 · app: the route in front of the pool. Run it with: npm test -- 07-workers/app
//
// Your createApp gets a pool the test controls (the HashPool contract of pool.ts, without threads):
// it records each run with its input and signal, and answers, fails, or holds the task as each
// test decides. So a race (a client leaving while its task runs, a deadline passing) happens when
// the test says, not when a busy machine happens to make it happen.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { lessonHint, startServer, suiteSection, type StartedServer } from '../../shared/testing/index.ts';
import { createApp } from './app.ts';
import { PoolBusyError, type HashPool, type StretchInput } from './pool.ts';

const ROUTE = suiteSection('07-workers', '6. The route: bounded input, 503 and deadlines');
const CANCEL = lessonHint('07-workers', '4. Cancelling a task');
const ERRORS = lessonHint('07-workers', '5. Errors and shutdown');

interface Run {
  input: StretchInput;
  signal: AbortSignal | undefined;
  /** Whether the signal had aborted by the time the test settled the task. */
  abortedBeforeSettled?: boolean;
  resolve(hash: string): void;
  reject(error: Error): void;
}

/** A pool whose tasks the test settles: `answer` decides at each run, or the task is held. */
class TestPool implements HashPool {
  runs: Run[] = [];
  answer: ((run: Run) => void) | undefined = (run) => run.resolve(TestPool.hashOf(run.input));
  private waiters: (() => void)[] = [];
  static hashOf = (input: StretchInput) => `hash(${input.password}|${input.salt}|${input.rounds})`;

  run(input: StretchInput, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const run: Run = {
        input,
        signal,
        resolve: (hash) => {
          run.abortedBeforeSettled = signal?.aborted ?? false;
          resolve(hash);
        },
        reject: (error) => {
          run.abortedBeforeSettled = signal?.aborted ?? false;
          reject(error);
        },
      };
      this.runs.push(run);
      this.waiters.splice(0).forEach((wake) => wake());
      this.answer?.(run);
    });
  }

  async destroy() {}

  /** The n-th run (1-based), once it has started. */
  async nth(n: number, what: string): Promise<Run> {
    for (const start = Date.now(); this.runs.length < n; ) {
      if (Date.now() - start > 10_000) throw new Error(`${what}: the route never called pool.run (${this.runs.length} runs so far). ${ROUTE}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 200);
      });
    }
    return this.runs[n - 1]!;
  }
}

const servers: StartedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(options: { maxRounds?: number; timeoutMs?: number } = {}) {
  const pool = new TestPool();
  const server = await startServer(createApp({ pool, ...options }));
  servers.push(server);
  return { pool, server };
}

interface Answer {
  status: number;
  /** The client's port: the same on two answers when they came over one keep-alive connection. */
  localPort: number | undefined;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** A POST with its raw body; `started` gets the request so a test can cut the connection. */
function post(
  server: StartedServer,
  body: string,
  contentType = 'application/json',
  started?: (request: http.ClientRequest) => void,
  agent: http.Agent | false = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/api/hash`, { method: 'POST', agent, headers: { 'content-type': contentType } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, localPort: response.socket?.localPort, headers: response.headers, text, json });
      });
    });
    request.on('error', reject);
    request.end(body);
    started?.(request);
  });
}

const hash = (server: StartedServer, body: unknown) => post(server, JSON.stringify(body));
/** The JSON body's "error": a non-empty string, or undefined. */
const errorOf = (answer: Answer): string | undefined => (typeof answer.json?.error === 'string' && answer.json.error.trim() !== '' ? answer.json.error : undefined);
const valid = (password = 'correct horse', salt = 'pepper', rounds = 1_000) => ({ password, salt, rounds });
const aborted = () => Object.assign(new Error('The task has been aborted'), { name: 'AbortError' });

/** Resolves when `signal` aborts; rejects with `what` after withinMs. */
function abortOf(signal: AbortSignal | undefined, withinMs: number, what: string): Promise<void> {
  if (!signal) return Promise.reject(new Error(`${what}, but the route called pool.run without a signal. ${CANCEL}`));
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}, but its signal had not aborted ${withinMs / 1000} s later. ${CANCEL}`)), withinMs);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

describe('POST /api/hash', () => {
  test('a valid body: the pool runs exactly its password, salt and rounds, and the answer is the result', async () => {
    const { pool, server } = await serve();
    const body = { password: `quotes ' " and ünïcödé ✓`, salt: 'a;b', rounds: 3, admin: true, __proto__x: 1 };
    const answer = await hash(server, body);
    expect(answer.status, `A valid request should get 200; got ${answer.status} ${answer.text}. ${ROUTE}`).toBe(200);
    expect(pool.runs.length, `The task should run in the pool (pool.run), once per request, not on the event loop. ${ROUTE}`).toBe(1);
    expect(pool.runs[0]!.input, `The thread should get password, salt and rounds, and nothing else the client sent. ${ROUTE}`).toEqual({
      password: body.password,
      salt: body.salt,
      rounds: 3,
    });
    expect(answer.json, `The answer should be { hash } with the pool's result. ${ROUTE}`).toEqual({ hash: TestPool.hashOf(pool.runs[0]!.input) });
  });

  test('concurrent requests each get their own result, whatever order the tasks finish in', async () => {
    const { pool, server } = await serve();
    pool.answer = undefined;
    const answers = Array.from({ length: 12 }, (_, index) => hash(server, valid(`user-${index}`, `salt-${index}`, index + 1)));
    await pool.nth(12, '12 requests at once');
    for (const run of [...pool.runs].reverse()) run.resolve(TestPool.hashOf(run.input));
    const got = await Promise.all(answers);
    expect(got.map((answer) => answer.json?.hash)).toEqual(Array.from({ length: 12 }, (_, index) => TestPool.hashOf(valid(`user-${index}`, `salt-${index}`, index + 1))));
  });

  test('bad bodies get 400 naming the field, and the pool is never asked', async () => {
    const { pool, server } = await serve();
    const long = (count: number) => 'x'.repeat(count);
    const cases: [string, unknown, string][] = [
      ['no fields', {}, 'password'],
      ['an empty password', valid(''), 'password'],
      ['a number as password', { ...valid(), password: 42 }, 'password'],
      ['an array as password', { ...valid(), password: ['a', 'b'] }, 'password'],
      ['a password of 1025 characters', valid(long(1_025)), 'password'],
      ['no salt', { password: 'p', rounds: 10 }, 'salt'],
      ['an empty salt', valid('p', ''), 'salt'],
      ['a salt of 65 characters', valid('p', long(65)), 'salt'],
      ['a number as salt', { ...valid(), salt: 7 }, 'salt'],
      ['no rounds', { password: 'p', salt: 's' }, 'rounds'],
      ['0 rounds', valid('p', 's', 0), 'rounds'],
      ['-1 rounds', valid('p', 's', -1), 'rounds'],
      ['1.5 rounds', valid('p', 's', 1.5), 'rounds'],
      ['rounds as a string', { ...valid(), rounds: '1000' }, 'rounds'],
      ['rounds as true', { ...valid(), rounds: true }, 'rounds'],
      ['rounds one over the default maximum (100000)', valid('p', 's', 100_001), 'rounds'],
      ['a billion rounds', valid('p', 's', 1e9), 'rounds'],
      ['rounds beyond the safe integers', valid('p', 's', 1e300), 'rounds'],
    ];
    for (const [what, body, field] of cases) {
      const answer = await hash(server, body);
      expect(answer.status, `${what}: expected 400, got ${answer.status} ${answer.text.slice(0, 200)}. ${ROUTE}`).toBe(400);
      expect(typeof answer.json?.error === 'string' && answer.json.error.includes(field), `${what}: the JSON body's "error" should name "${field}"; it was ${answer.text.slice(0, 200)}. ${ROUTE}`).toBe(true);
    }
    for (const [what, raw, type] of [
      ['an array', '[]', 'application/json'],
      ['null', 'null', 'application/json'],
      ['a string', '"password"', 'application/json'],
      ['malformed JSON', '{"password": "p", "salt":', 'application/json'],
      ['a form instead of JSON', 'password=p&salt=s&rounds=10', 'application/x-www-form-urlencoded'],
    ] as const) {
      const answer = await post(server, raw, type);
      expect(answer.status, `${what} as the body: expected 400, got ${answer.status} ${answer.text.slice(0, 200)}. ${ROUTE}`).toBe(400);
      expect(answer.text, `${what}: no stack trace in the answer. ${ERRORS}`).not.toMatch(/\n\s+at /);
      expect(errorOf(answer), `${what}: the 400 should say what is wrong in a JSON body's "error"; it was ${answer.text.slice(0, 200)}. ${ROUTE}`).toBeDefined();
    }
    const charset = await post(server, JSON.stringify(valid()), 'application/json; charset=klingon');
    expect(
      charset.status,
      `A charset express.json() cannot read is the client's mistake: 415 (its status), not ${charset.status}; a 500 would say the server failed. ${ROUTE}`,
    ).toBe(415);
    expect(errorOf(charset), `The 415 should have a JSON body with an "error". ${ROUTE}`).toBeDefined();
    expect(pool.runs.map((run) => run.input), `No invalid request should reach the pool: each costs CPU. ${ROUTE}`).toEqual([]);
  });

  test('the edges of the bounds are accepted: 1 and 100000 rounds, a 1024-character password, a 64-character salt', async () => {
    const { pool, server } = await serve();
    const accepted = [valid('p', 's', 1), valid('p', 's', 100_000), valid('✓'.repeat(1_024), 's', 5), valid('p', 'y'.repeat(64), 5)];
    for (const body of accepted) {
      const answer = await hash(server, body);
      expect(answer.status, `${JSON.stringify(body).slice(0, 80)}…: inside the bounds, expected 200, got ${answer.status} ${answer.text.slice(0, 200)}. ${ROUTE}`).toBe(200);
    }
    expect(pool.runs.length).toBe(accepted.length);
  });

  test('maxRounds, when given, is the bound', async () => {
    const { server } = await serve({ maxRounds: 10 });
    expect((await hash(server, valid('p', 's', 10))).status, `maxRounds 10: 10 rounds should be accepted. ${ROUTE}`).toBe(200);
    expect((await hash(server, valid('p', 's', 11))).status, `maxRounds 10: 11 rounds should get 400. ${ROUTE}`).toBe(400);
    const { server: generous } = await serve({ maxRounds: 200_000 });
    expect((await hash(generous, valid('p', 's', 150_000))).status, `maxRounds 200000: 150000 rounds should be accepted (maxRounds replaces the default, above it too). ${ROUTE}`).toBe(200);
    expect((await hash(generous, valid('p', 's', 200_001))).status).toBe(400);
  });

  test('a body far over what a valid request needs is refused with 413 (express.json({ limit }))', async () => {
    const { pool, server } = await serve();
    const answer = await hash(server, { password: 'p', salt: 's', rounds: 1, padding: 'z'.repeat(64 * 1024) });
    expect(
      answer.status,
      `A valid request is under 4 kB; a 64 kB body should be refused before it is parsed (413), with a limit far below express.json()'s default 100 kb. Got ${answer.status}. ${ROUTE}`,
    ).toBe(413);
    expect(answer.text).not.toMatch(/\n\s+at /);
    expect(errorOf(answer), `The 413 should have a JSON body with an "error". ${ROUTE}`).toBeDefined();
    expect(pool.runs.length).toBe(0);
  });
});

describe('back-pressure, errors and deadlines', () => {
  test('a full pool (PoolBusyError): 503 with Retry-After at once; the next request is served', async () => {
    const { pool, server } = await serve();
    pool.answer = (run) => run.reject(new PoolBusyError());
    const answer = await hash(server, valid());
    expect(answer.status, `When the pool turns a task away, answer 503 (the client may retry), not ${answer.status}. ${ROUTE}`).toBe(503);
    const retryAfter = answer.headers['retry-after'];
    expect(
      /^\d+$/.test(retryAfter ?? '') && Number(retryAfter) >= 1 && Number(retryAfter) <= 120,
      `A 503 should say when to retry: Retry-After in whole seconds (1 to 120); it was ${JSON.stringify(retryAfter)}. ${ROUTE}`,
    ).toBe(true);
    expect(errorOf(answer), `The 503 should have a JSON body with an "error" saying why. ${ROUTE}`).toBeDefined();
    pool.answer = (run) => run.resolve('fine');
    expect((await hash(server, valid())).json).toEqual({ hash: 'fine' });
  });

  test('a task that throws: 500 with a message safe to show, no stack, no internals; the server goes on', async () => {
    const { pool, server } = await serve();
    const internal = new Error('SECRET-detail at /srv/app/pool.ts:42 (db password hunter2)');
    pool.answer = (run) => run.reject(internal);
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    let answer: Answer;
    try {
      answer = await hash(server, valid());
    } finally {
      console.error = original;
    }
    expect(answer.status, `An error in the task is the server's fault: 500, not ${answer.status}. ${ERRORS}`).toBe(500);
    expect(answer.text, `The client should not see the error's message or stack (they name files and internals). ${ERRORS}`).not.toMatch(/SECRET|hunter2|srv\/app|\n\s+at /);
    expect(errorOf(answer), `The 500 should have a JSON body with an "error" (a fixed message). ${ERRORS}`).toBeDefined();
    expect(errors.length, `The real error should be logged on the server (console.error), since the client is not told. ${ERRORS}`).toBeGreaterThan(0);
    pool.answer = (run) => run.resolve('fine');
    expect((await hash(server, valid())).json).toEqual({ hash: 'fine' });
  });

  test('a client that goes away while its task runs: that task is aborted (not logged as a failure), the others go on', async () => {
    // A deadline far beyond the test: only the client leaving can abort the task.
    const { pool, server } = await serve({ timeoutMs: 120_000 });
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      pool.answer = undefined;
      let leaving: http.ClientRequest | undefined;
      const gone = post(server, JSON.stringify(valid('leaving')), 'application/json', (request) => (leaving = request)).catch(() => 'gone');
      const staying = hash(server, valid('staying'));
      const [first, second] = [await pool.nth(1, 'two requests'), await pool.nth(2, 'two requests')];
      const [leaver, stayer] = first.input.password === 'leaving' ? [first, second] : [second, first];
      await sleep(100);
      expect(leaver.signal?.aborted ?? false, `The task was aborted while its client was still waiting. (A request's 'close' event comes once its body is read: listen on the response.) ${CANCEL}`).toBe(false);
      leaving!.destroy();
      await abortOf(leaver.signal, 10_000, 'The client closed its connection while its task ran');
      await gone;
      leaver.reject(aborted());
      expect(stayer.signal?.aborted ?? false, `Only the task of the client that left should be aborted. ${CANCEL}`).toBe(false);
      stayer.resolve('for the one who stayed');
      expect((await staying).json).toEqual({ hash: 'for the one who stayed' });
      await sleep(50);
      expect(
        logged.length,
        `An aborted task is not a failure: the client left, and nobody is waiting for an answer. Nothing should be logged as an error (it was: ${String(logged[0]).slice(0, 120)}). ${CANCEL}`,
      ).toBe(0);
    } finally {
      console.error = original;
    }
  });

  test('a request that completes: its signal is not aborted, before the result came or after (not even once its deadline has passed)', async () => {
    const { pool, server } = await serve({ timeoutMs: 3_000 });
    pool.answer = (run) => setTimeout(() => run.resolve('done'), 300);
    const sent = Date.now();
    const answers = await Promise.all([hash(server, valid('a')), hash(server, valid('b'))]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(
      pool.runs.map((run) => run.abortedBeforeSettled),
      `A task whose client was still waiting had its signal aborted before it finished. The request's 'close' event comes as soon as its body has been read; the client leaving shows as the response's 'close' before it was sent. ${CANCEL}`,
    ).toEqual([false, false]);
    // Past the 3 s deadline the requests no longer have: a timer left running (or AbortSignal.timeout) fires now.
    await sleep(Math.max(0, sent + 3_300 - Date.now()));
    expect(
      pool.runs.map((run) => run.signal?.aborted),
      `Both tasks finished and were answered 200, yet their signals were aborted afterwards: the response's 'close' comes after every response, not only when the client left (abort only if response.writableFinished is false), or the deadline timer was never cleared (AbortSignal.timeout cannot be). Whatever listens on the signal then sees cancellations that did not happen. ${CANCEL}`,
    ).toEqual([false, false]);
  });

  test('a task over timeoutMs is aborted and answered 503, not left to run', async () => {
    const { pool, server } = await serve({ timeoutMs: 300 });
    pool.answer = (run) => run.signal?.addEventListener('abort', () => run.reject(aborted()), { once: true });
    const sent = Date.now();
    const answer = await hash(server, valid());
    const run = await pool.nth(1, 'a request');
    expect(run.signal?.aborted, `The deadline passed: the task should be aborted through its signal, or it keeps a thread busy for nothing. ${CANCEL}`).toBe(true);
    expect(answer.status, `A task over its deadline should be answered 503 (with Retry-After); got ${answer.status} ${answer.text}. ${ROUTE}`).toBe(503);
    expect(answer.headers['retry-after'], `The 503 should carry Retry-After. ${ROUTE}`).toMatch(/^\d+$/);
    expect(errorOf(answer), `The 503 should have a JSON body with an "error" saying why. ${ROUTE}`).toBeDefined();
    expect(Date.now() - sent, `The deadline is timeoutMs (300 ms): the answer should not come before it. ${ROUTE}`).toBeGreaterThanOrEqual(290);
    pool.answer = (next) => next.resolve('fine');
    expect((await hash(server, valid())).json).toEqual({ hash: 'fine' });
  });

  test('after a deadline\'s 503, the task\'s late rejection sends nothing more: the keep-alive connection serves the next request', async () => {
    const { pool, server } = await serve({ timeoutMs: 300 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      // The task ends (as a pool's aborted task does) 300 ms after its signal aborts: by then the
      // next request on the same connection is in flight, held until after that.
      pool.answer = (run) => run.signal?.addEventListener('abort', () => setTimeout(() => run.reject(aborted()), 300), { once: true });
      const first = await post(server, JSON.stringify(valid('slow')), 'application/json', undefined, agent);
      expect(first.status).toBe(503);
      pool.answer = (run) => setTimeout(() => run.resolve('next'), 600);
      const next = await post(server, JSON.stringify(valid('next')), 'application/json', undefined, agent).catch((error: NodeJS.ErrnoException) => ({
        status: 0,
        localPort: undefined,
        text: error.code ?? error.message,
      }));
      expect(
        [next.status, next.text],
        `The next request on the same keep-alive connection failed. Answering the task's late AbortError again after the deadline's 503 (headers already sent) is an error Express ends by dropping the connection, with the next request on it. After the deadline's answer, the late rejection should send nothing. ${ROUTE}`,
      ).toEqual([200, JSON.stringify({ hash: 'next' })]);
      expect(
        next.localPort,
        `The connection the 503 went over was closed by the server; a deadline's answer should leave the keep-alive connection open. ${ROUTE}`,
      ).toBe(first.localPort);
      expect(
        logged.map((args) => String((args as unknown[])[0])).filter((line) => /ERR_HTTP_HEADERS_SENT|headers after they are sent/.test(line)),
        `The route tried to answer twice. ${ROUTE}`,
      ).toEqual([]);
    } finally {
      console.error = original;
      agent.destroy();
    }
  });

  test('left out, the deadline is 5 s: a task that never ends is aborted then, not later, not never', async () => {
    const { pool, server } = await serve();
    pool.answer = (run) => run.signal?.addEventListener('abort', () => run.reject(aborted()), { once: true });
    const sent = Date.now();
    const answer = await hash(server, valid());
    const took = Date.now() - sent;
    expect(answer.status, `With timeoutMs left out, a task that never ends should be answered 503 after 5 s; got ${answer.status} after ${took} ms. ${ROUTE}`).toBe(503);
    expect(took, `The default deadline is 5 s; the answer came after ${took} ms. ${ROUTE}`).toBeGreaterThanOrEqual(4_990);
    expect(pool.runs[0]!.signal?.aborted).toBe(true);
  }, 30_000);

  test('50 requests, answered 200, 503, 500 or left by their client, leave no timer and no listener behind, even on one keep-alive connection', async () => {
    const { pool, server } = await serve({ timeoutMs: 60_000 });
    const sockets: Socket[] = [];
    server.server.on('connection', (socket) => sockets.push(socket));
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await post(server, JSON.stringify(valid()), 'application/json', undefined, agent);
      const before = timers();
      const answers = [
        (run: Run) => run.resolve('fine'),
        (run: Run) => run.reject(new PoolBusyError()),
        (run: Run) => run.reject(new Error('task failed')),
      ];
      const original = console.error;
      console.error = () => {};
      try {
        for (let index = 0; index < 48; index += 1) {
          pool.answer = answers[index % answers.length];
          await post(server, JSON.stringify(valid(`p${index}`)), 'application/json', undefined, agent);
        }
      } finally {
        console.error = original;
      }
      // Two more whose client leaves: their tasks are aborted, then settle.
      pool.answer = (run) => run.signal?.addEventListener('abort', () => run.reject(aborted()), { once: true });
      for (let index = 0; index < 2; index += 1) {
        let leaving: http.ClientRequest | undefined;
        const gone = post(server, JSON.stringify(valid(`gone${index}`)), 'application/json', (request) => (leaving = request)).catch(() => 'gone');
        const run = await pool.nth(pool.runs.length + 1, 'a request');
        leaving!.destroy();
        await abortOf(run.signal, 10_000, 'The client closed its connection while its task ran');
        await gone;
      }
      await sleep(50);
      const left = timers() - before;
      expect(
        left,
        `After 50 answered requests (200, 503, 500, and clients gone), ${left} more timers are pending: clear each request's deadline timer however it ends (in a finally). ${ROUTE}`,
      ).toBeLessThan(10);
      const reused = sockets[0]!;
      expect(
        reused.listenerCount('close'),
        `48 requests went over one keep-alive connection, and its socket now has ${reused.listenerCount('close')} 'close' listeners: a listener added per request and never removed. Listen on the response (it is new for every request), or remove the listener when the request is answered. ${ROUTE}`,
      ).toBeLessThan(10);
      for (const run of pool.runs) {
        expect(run.signal, `pool.run should get the request's AbortSignal. ${CANCEL}`).toBeInstanceOf(AbortSignal);
      }
    } finally {
      agent.destroy();
    }
  });

  test('GET /api/ping answers while tasks are held', async () => {
    const { pool, server } = await serve();
    pool.answer = undefined;
    const held = Array.from({ length: 4 }, (_, index) => hash(server, valid(`held-${index}`)));
    await pool.nth(4, 'four requests');
    const ping = await fetch(`${server.url}/api/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({ ok: true });
    for (const run of pool.runs) run.resolve('late');
    await Promise.all(held);
  });
});
