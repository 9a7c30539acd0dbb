// Exercise 09 · app: one rate limiter for the whole API, shared by every instance through Redis,
// with tiers, keys a client cannot change, draft-8 headers, and a chosen behaviour when Redis is
// down. Run it with: npm test -- 09-rate-limiting/app
//
// Each test starts its own instances of your app (two, where it says so: two processes behind a
// load balancer, in production) with their own Redis clients and a key prefix of their own, so
// no test sees another's counts. Every client connects over loopback; `trustedProxies` says
// whether the test stands for a direct client (0) or for the proxies in front of the app.
import http from 'node:http';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { get, judged, lessonHint, startServer, suiteSection, useTestRedis, watchCommands, type PlainResponse, type StartedServer } from '../../shared/testing/index.ts';
import { createApp, type AppOptions, type User } from './app.ts';

const SHARED = suiteSection('09-rate-limiting', '2. One limiter, shared: counts in Redis');
const HEADERS = lessonHint('09-rate-limiting', '3. What a limited client is told');
const TIERS = lessonHint('09-rate-limiting', '4. Tiers');
const KEYS = lessonHint('09-rate-limiting', '5. Keys: who is "one client"?');
const DOWN = lessonHint('09-rate-limiting', '6. When Redis is down');

const redis = useTestRedis();
const servers: StartedServer[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

afterAll(async () => {
  agent.destroy();
  for (const server of servers) await server.close();
});

const USERS = new Map<string, User>([
  ['tok-free', { id: 'u-free', tier: 'free' }],
  ['tok-basic', { id: 'u-basic', tier: 'basic' }],
  ['tok-basic-2', { id: 'u-basic', tier: 'basic' }], // the same user's second token
  ['tok-pro', { id: 'u-pro', tier: 'pro' }],
  ['tok-loopback', { id: '127.0.0.1', tier: 'free' }], // user ids that look like the test's address, or its key
  ['tok-lookalike', { id: 'ip:127.0.0.1', tier: 'free' }],
]);

let prefixes = 0;
/** Instances of the app sharing one prefix (a fresh one per call), each with a Redis client of its own. */
async function startApps(options: Partial<AppOptions> = {}, count = 1) {
  const prefix = `${redis.prefix}rl${(prefixes += 1)}:`;
  const clients: Redis[] = [];
  const urls: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const client = redis.rawClient();
    clients.push(client);
    const app = createApp({
      redis: client,
      prefix,
      windowMs: 60_000,
      limits: { free: 3, basic: 6, pro: 12 },
      trustedProxies: 0,
      users: USERS,
      onError: () => {},
      ...options,
    });
    const server = await startServer(app);
    servers.push(server);
    urls.push(server.url);
  }
  return { urls, clients, prefix };
}

interface Answer extends PlainResponse {
  json: Record<string, unknown> | undefined;
}

async function call(url: string, { token, forwardedFor }: { token?: string; forwardedFor?: string } = {}, path = '/api/items'): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  const answer = await get(`${url}${path}`, headers, { agent, withinMs: 10_000 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'HUNG') throw new Error(`GET ${path} got no answer within 10 s: a rate limiter must answer or pass every request, even when its store fails. ${SHARED}`);
    throw error;
  });
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    // not JSON: the checks below say what was expected
  }
  return { ...answer, json };
}

const statuses = (answers: Answer[]) => answers.map((answer) => answer.status);
const passed = (answers: Answer[]) => answers.filter((answer) => answer.status === 200).length;
const limited = (answers: Answer[]) => answers.filter((answer) => answer.status === 429).length;

/** `n` requests one after the other. */
async function inTurn(n: number, send: (i: number) => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i += 1) answers.push(await send(i));
  return answers;
}

/** A draft-8 header's parameters: `"name"; r=2; t=60` → { r: 2, t: 60 }. */
function parameters(header: string | undefined): Record<string, number> | undefined {
  if (!header) return undefined;
  const found: Record<string, number> = {};
  for (const [, name, value] of header.matchAll(/;\s*([a-z]+)=(-?\d+)/g)) found[name!] = Number(value);
  return found;
}

describe('one limiter, shared by every instance', () => {
  test('150 requests spread over two instances at a limit of 100: exactly 100 pass', async () => {
    const { urls } = await startApps({ limits: { free: 100, basic: 100, pro: 100 } }, 2);
    const answers: Answer[] = [];
    for (let batch = 0; batch < 15; batch += 1) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => call(urls[(batch * 10 + i) % 2]!)))));
    }
    const others = answers.filter((answer) => answer.status !== 200 && answer.status !== 429);
    expect(others.map((answer) => answer.status), `every answer must be 200 or 429. ${SHARED}`).toEqual([]);
    expect(
      passed(answers),
      `two instances of the app, one limit of 100 per client per minute: ${passed(answers)} of 150 requests passed. ` +
        `Each instance counting in its own memory lets a client through once per instance; a count read and then written back ` +
        `(not one atomic step) lets requests that overlap through together. ${SHARED}`,
    ).toBe(100);
  });

  test('200 requests at once over two instances at a limit of 100: exactly 100 pass (the count is atomic)', async () => {
    const { urls } = await startApps({ limits: { free: 100, basic: 100, pro: 100 } }, 2);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => call(urls[i % 2]!)));
    expect(statuses(answers).filter((status) => status !== 200 && status !== 429), `every answer must be 200 or 429. ${SHARED}`).toEqual([]);
    expect(
      passed(answers),
      `200 requests arrived together at a limit of 100; ${passed(answers)} passed. The count must go up and be read in one atomic step ` +
        `(INCR, or one script), shared by both instances. ${SHARED}`,
    ).toBe(100);
  });

  test('the limiter is built once: one Redis command per request, through the app\'s client', async () => {
    const { urls, clients } = await startApps({ limits: { free: 1_000, basic: 1_000, pro: 1_000 } });
    await call(urls[0]!); // start-up work (loading scripts) is done by now
    const watch = watchCommands(clients[0]!);
    await inTurn(40, () => call(urls[0]!));
    watch.stop();
    expect(
      watch.sent.length,
      `40 requests sent ${watch.sent.length} commands through the Redis client given to createApp: the limiter must keep its counts there. ${SHARED}`,
    ).toBeGreaterThanOrEqual(40);
    expect(
      watch.sent.length,
      `40 requests cost ${watch.sent.length} Redis commands (${[...new Set(watch.sent)].join(', ')}); one per request is enough: ` +
        `one atomic script, as the Redis store's EVALSHA. A limiter created inside the handler builds a new store, and loads its ` +
        `scripts again, on every request; a store of your own that sends several commands is also not atomic. ${SHARED}`,
    ).toBeLessThanOrEqual(42);
  });

  test('every instance names a client\'s count the same way: no host name or process id in the key', async () => {
    const { urls, prefix } = await startApps();
    await call(urls[0]!);
    await call(urls[0]!, { token: 'tok-pro' });
    const keys = (await redis.keys()).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
    expect(keys.length, `an anonymous caller and a user: two counts, kept in Redis under the prefix given to createApp. ${SHARED}`).toBe(2);
    const local = [hostname(), String(process.pid)].filter((part) => keys.some((key) => key.includes(part)));
    expect(
      local,
      `the keys (${keys.join(', ')}) contain this instance's own ${local.join(' and ')}: in production each instance then counts alone. ${SHARED}`,
    ).toEqual([]);
  });
});

describe('what a limited client is told', () => {
  test('draft-8 headers count down, then 429 with a JSON body and Retry-After', async () => {
    const { urls } = await startApps();
    const started = Date.now();
    const answers = await inTurn(5, () => call(urls[0]!));
    const elapsed = Math.ceil((Date.now() - started) / 1000);
    expect(statuses(answers), `the anonymous limit is 3 per minute. ${HEADERS}`).toEqual([200, 200, 200, 429, 429]);
    answers.forEach((answer, i) => {
      const state = parameters(answer.headers.ratelimit);
      const policy = parameters(answer.headers['ratelimit-policy']);
      expect(state, `answer ${i + 1} has no draft-8 RateLimit header ("name"; r=…; t=…); it had: ${JSON.stringify(answer.headers)}. ${HEADERS}`).toMatchObject({
        r: Math.max(0, 2 - i),
      });
      expect(policy, `answer ${i + 1}: RateLimit-Policy must say the quota (q) and the window in seconds (w). ${HEADERS}`).toMatchObject({ q: 3, w: 60 });
      expect(state!.t, `answer ${i + 1}: t is the seconds until the window resets. ${HEADERS}`).toBeLessThanOrEqual(60);
      expect(state!.t, `answer ${i + 1}: t is the seconds until the window resets. ${HEADERS}`).toBeGreaterThanOrEqual(60 - elapsed - 1);
      for (const old of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-ratelimit-limit', 'x-ratelimit-remaining']) {
        expect(answer.headers[old], `answer ${i + 1} carries ${old}: that is an older draft (or the legacy headers); send draft-8 only. ${HEADERS}`).toBeUndefined();
      }
    });
    const refused = answers[3]!;
    const retryAfter = refused.headers['retry-after'];
    expect(retryAfter, `a 429 must say when to come back. ${HEADERS}`).toMatch(/^\d+$/);
    expect(Number(retryAfter), `Retry-After is in seconds, until the window resets. ${HEADERS}`).toBeLessThanOrEqual(60);
    expect(Number(retryAfter), `Retry-After is in seconds, until the window resets. ${HEADERS}`).toBeGreaterThanOrEqual(60 - elapsed - 1);
    expect(refused.headers['content-type'], `the 429's body is JSON, like every other answer of this API. ${HEADERS}`).toMatch(/application\/json/);
    const error = refused.json?.error;
    expect(
      typeof error === 'string' && /\w{3}/.test(error),
      `the 429's body must be { "error": "…" }, a message a person can read; it was ${refused.body}. ${HEADERS}`,
    ).toBe(true);
    expect(refused.json?.items, `a refused request must not reach the route. ${HEADERS}`).toBeUndefined();
  });

  test('Retry-After is the seconds left in the window, rounded up, and never 0', async () => {
    const WINDOW = 3_000;
    // Judged on a run quick enough that the seconds left are known to within the rounding.
    await judged(async () => {
      const { urls } = await startApps({ windowMs: WINDOW, limits: { free: 1, basic: 1, pro: 1 } });
      const sent = Date.now();
      await call(urls[0]!);
      const answered = Date.now();
      await sleep(answered + 1_400 - Date.now());
      const refusedSent = Date.now();
      const refused = await call(urls[0]!);
      const refusedAnswered = Date.now();
      // The window began between `sent` and `answered`, the refusal was counted between refusedSent and refusedAnswered.
      const least = Math.ceil((sent + WINDOW - refusedAnswered) / 1000);
      const most = Math.ceil((answered + WINDOW - refusedSent) / 1000);
      if (least !== most || refusedAnswered - sent > 2_500) return false;
      expect(refused.status, `limit 1 per 3 s. ${HEADERS}`).toBe(429);
      expect(
        Number(refused.headers['retry-after']),
        `refused about 1.5 s into a 3 s window: Retry-After is ${least} (the seconds left, rounded up: rounded down it can say 0, ` +
          `and a client told 0 tries again at once). ${HEADERS}`,
      ).toBe(least);
      expect(parameters(refused.headers.ratelimit)?.t, `the RateLimit header's t says the same. ${HEADERS}`).toBe(least);
      return true;
    }, { busy: 'two requests could not be timed to within a second' });
  });

  test('after the window, requests pass again', async () => {
    // Judged on a run where the three requests fit well inside the 1.5 s window, by the test's own clock.
    await judged(async () => {
      const { urls } = await startApps({ windowMs: 1_500, limits: { free: 2, basic: 2, pro: 2 } });
      const sent = Date.now();
      const first = await call(urls[0]!);
      const answered = Date.now();
      const rest = await inTurn(2, () => call(urls[0]!));
      if (Date.now() - sent > 1_000) return false;
      expect(statuses([first, ...rest]), `limit 2 per 1.5 s. ${HEADERS}`).toEqual([200, 200, 429]);
      expect(parameters(rest[1]!.headers['ratelimit-policy'])?.w, `w is the window in whole seconds, rounded up. ${HEADERS}`).toBe(2);
      // The client keeps trying meanwhile, as clients do: its refused requests must not push the window's end further.
      let lastKnock = 0;
      while (Date.now() < answered + 1_200) {
        await call(urls[0]!);
        lastKnock = Date.now();
        await sleep(150);
      }
      if (lastKnock >= sent + 1_500) return false; // a knock may have landed in the next window: not a run to judge
      await sleep(answered + 1_500 + 100 - Date.now());
      const again = await call(urls[0]!);
      expect(
        again.status,
        `1.5 s after the first request its window is over, however often the client knocked meanwhile. ${HEADERS}`,
      ).toBe(200);
      expect(parameters(again.headers.ratelimit)?.r, `a new window: one used, one left. ${HEADERS}`).toBe(1);
      return true;
    }, { busy: 'three requests did not fit in 1 s' });
  });
});

describe('what is limited', () => {
  test('health checks are not limited: /healthz answers after the API has refused the caller', async () => {
    const { urls } = await startApps();
    expect(statuses(await inTurn(4, () => call(urls[0]!))), `the anonymous limit is 3 per minute. ${SHARED}`).toEqual([200, 200, 200, 429]);
    const health = await inTurn(5, () => call(urls[0]!, {}, '/healthz'));
    expect(
      statuses(health),
      `a load balancer probes /healthz from one address many times a minute: limit it and healthy instances are taken out. Mount the limiter on /api. ${SHARED}`,
    ).toEqual([200, 200, 200, 200, 200]);
    expect(health[0]!.json, 'the health answer itself').toEqual({ ok: true });
  });

  test('every /api route shares one count, and requests that fail count too', async () => {
    const { urls } = await startApps();
    const mixed = [
      await call(urls[0]!, {}, '/api/items'),
      await call(urls[0]!, {}, '/api/no-such-route'),
      await call(urls[0]!, {}, '/api/whoami'),
      await call(urls[0]!, {}, '/api/whoami'),
      await call(urls[0]!, {}, '/api/no-such-route'),
    ];
    expect(
      statuses(mixed),
      `three requests to three /api paths use the limit of 3, a 404 included (a client guessing paths or tokens gets errors, and ` +
        `must be limited all the same); then every /api path refuses. ${SHARED}`,
    ).toEqual([200, 404, 200, 429, 429]);
  });
});

describe('tiers', () => {
  test('each tier gets its own limit; a pro user is not stopped at the free limit, an anonymous caller is', async () => {
    const { urls } = await startApps();
    const url = urls[0]!;
    const anonymous = await inTurn(4, () => call(url));
    const free = await inTurn(4, () => call(url, { token: 'tok-free' }));
    const basic = await inTurn(7, () => call(url, { token: 'tok-basic' }));
    const pro = await inTurn(13, () => call(url, { token: 'tok-pro' }));
    expect(statuses(anonymous), `anonymous callers get the free limit (3). ${TIERS}`).toEqual([200, 200, 200, 429]);
    expect(passed(free), `the free tier: 3. ${TIERS}`).toBe(3);
    expect(passed(basic), `the basic tier: 6. ${TIERS}`).toBe(6);
    expect(passed(pro), `the pro tier: 12; a pro user must not be held to the free limit. ${TIERS}`).toBe(12);
    expect([free, basic, pro].map((answers) => limited(answers)), `each tier is refused once its own limit is used. ${TIERS}`).toEqual([1, 1, 1]);
    expect(parameters(pro[0]!.headers['ratelimit-policy'])?.q, `the policy header states the caller's own quota. ${TIERS}`).toBe(12);
    expect(parameters(basic[0]!.headers['ratelimit-policy'])?.q, `the policy header states the caller's own quota. ${TIERS}`).toBe(6);
  });

  test('only a well-formed "Authorization: Bearer <token>" signs a user in; /api/whoami says who the limiter sees', async () => {
    const { urls } = await startApps({ limits: { free: 50, basic: 50, pro: 50 } });
    const whoami = (headers: Record<string, string>) => get(`${urls[0]!}/api/whoami`, headers, { agent }).then((answer) => JSON.parse(answer.body) as unknown);
    expect(await whoami({ authorization: 'Bearer tok-pro' }), `a known token: its user and tier. ${TIERS}`).toMatchObject({ user: 'u-pro', tier: 'pro' });
    expect(await whoami({}), `no token: anonymous, on the free tier. ${TIERS}`).toMatchObject({ user: null, tier: 'free' });
    for (const authorization of ['Basic tok-pro', 'xBearer tok-pro', 'tok-pro', 'Bearer ', 'Bearer tok-pro2', 'Bearer tok-pr']) {
      expect(await whoami({ authorization }), `"Authorization: ${authorization}" is no known bearer token: anonymous. ${TIERS}`).toMatchObject({
        user: null,
        tier: 'free',
      });
    }
  });

  test('an unknown token is an anonymous caller: new tokens do not buy new requests', async () => {
    const { urls } = await startApps();
    const answers = await inTurn(6, (i) => call(urls[0]!, { token: `made-up-${i}` }));
    expect(statuses(answers), `each request tried another token; they all count against the caller's address. ${TIERS}`).toEqual([200, 200, 200, 429, 429, 429]);
  });

  test("a user's requests count together, whichever token and address they use", async () => {
    const { urls } = await startApps({ trustedProxies: 1 });
    const answers = await inTurn(7, (i) => call(urls[0]!, { token: i % 2 ? 'tok-basic' : 'tok-basic-2', forwardedFor: `203.0.113.${i + 1}` }));
    expect(statuses(answers), `two tokens of one user, from seven addresses, basic tier (6): one user, one count. ${KEYS}`).toEqual([
      200, 200, 200, 200, 200, 200, 429,
    ]);
  });
});

describe('keys', () => {
  test('a direct client cannot reset its count by sending X-Forwarded-For', async () => {
    const { urls } = await startApps({ trustedProxies: 0 });
    const answers = await inTurn(6, (i) => call(urls[0]!, { forwardedFor: `198.51.100.${i + 1}` }));
    expect(
      statuses(answers),
      `no proxy is trusted, yet each request claimed another address in X-Forwarded-For: every one must count against the real connection. ${KEYS}`,
    ).toEqual([200, 200, 200, 429, 429, 429]);
    const whoami = await call(urls[0]!, { forwardedFor: '198.51.100.99', token: 'tok-pro' }, '/api/whoami');
    expect(whoami.status, `GET /api/whoami with the pro user's token. ${TIERS}`).toBe(200);
    expect(whoami.json?.ip, `req.ip must stay the connection's address when no proxy is trusted. ${KEYS}`).toBe('127.0.0.1');
  });

  test('behind one trusted proxy, clients are told apart by the address it adds, and nothing a client adds before it', async () => {
    const { urls } = await startApps({ trustedProxies: 1 });
    const url = urls[0]!;
    const one = await inTurn(4, (i) => call(url, { forwardedFor: `10.${i}.0.1, 203.0.113.7` }));
    const two = await inTurn(4, () => call(url, { forwardedFor: '203.0.113.8' }));
    expect(
      statuses(one),
      `the proxy added 203.0.113.7 each time; what came before it was written by the client and changes each time. ${KEYS}`,
    ).toEqual([200, 200, 200, 429]);
    expect(statuses(two), `203.0.113.8 is another client, with its own count. ${KEYS}`).toEqual([200, 200, 200, 429]);
    const privateNetwork = await inTurn(4, (i) => call(url, { forwardedFor: `192.168.${i}.7, 10.0.0.5` }));
    expect(
      statuses(privateNetwork),
      `the proxy added 10.0.0.5 (a client on a private network); the 192.168.x.x entries before it are the client's own writing. ` +
        `Trust exactly the number of hops you were told, not every private address. ${KEYS}`,
    ).toEqual([200, 200, 200, 429]);
  });

  test('behind two trusted proxies, the client is the address two hops back', async () => {
    const { urls } = await startApps({ trustedProxies: 2 });
    const answers = await inTurn(4, (i) => call(urls[0]!, { forwardedFor: `192.0.2.${i + 1}, 198.51.100.20, 10.0.0.5` }));
    expect(
      statuses(answers),
      `with 2 proxies, the client is 198.51.100.20 each time (the entry before it is the client's own). ${KEYS}`,
    ).toEqual([200, 200, 200, 429]);
  });

  test('IPv6 addresses in one /56 share a count; the next /56 has its own', async () => {
    const { urls } = await startApps({ trustedProxies: 1 });
    const url = urls[0]!;
    const sameNetwork = ['2001:db8:abcd:1200::1', '2001:db8:abcd:12ff:ffff::2', '2001:db8:abcd:1234:5678::3', '2001:db8:abcd:12aa::4'];
    const answers = await inTurn(4, (i) => call(url, { forwardedFor: sameNetwork[i]! }));
    expect(statuses(answers), `four addresses of one /56: one subscriber, one count. ${KEYS}`).toEqual([200, 200, 200, 429]);
    const next = await call(url, { forwardedFor: '2001:db8:abcd:1300::1' });
    expect(next.status, `2001:db8:abcd:1300::/56 is another network. ${KEYS}`).toBe(200);
    const ipv4 = await inTurn(2, (i) => call(url, { forwardedFor: `203.0.113.${50 + i}` }));
    expect(statuses(ipv4), `IPv4 addresses are keyed one by one. ${KEYS}`).toEqual([200, 200]);
  });

  test('a user whose id looks like an address does not share the count of that address', async () => {
    const { urls } = await startApps();
    const anonymous = await inTurn(4, () => call(urls[0]!));
    expect(statuses(anonymous), `the anonymous limit is 3 per minute. ${KEYS}`).toEqual([200, 200, 200, 429]);
    for (const token of ['tok-loopback', 'tok-lookalike']) {
      const user = await call(urls[0]!, { token });
      expect(
        user.status,
        `user "${USERS.get(token)!.id}" and the anonymous caller at 127.0.0.1 are two clients: keep users and addresses apart in the key. ${KEYS}`,
      ).toBe(200);
    }
  });

  test('odd X-Forwarded-For values never break a request', async () => {
    const { urls } = await startApps({ trustedProxies: 1, limits: { free: 50, basic: 50, pro: 50 } });
    const odd = ['not-an-address', ' ', '999.1.1.1', '::ffff:192.0.2.1', '[2001:db8::1]', '2001:db8::1%eth0', 'a'.repeat(2_000), '1.2.3.4,,', "'; DROP TABLE x; --"];
    const answers = await Promise.all(odd.map((forwardedFor) => call(urls[0]!, { forwardedFor })));
    expect(
      statuses(answers),
      `X-Forwarded-For is whatever the client wrote: ${odd.map((value) => JSON.stringify(value.slice(0, 20))).join(', ')}. ${KEYS}`,
    ).toEqual(odd.map(() => 200));
  });
});

describe('when Redis is down', () => {
  test('requests pass (fail open) and the error is reported', async () => {
    const client = await redis.downClient();
    const errors: unknown[] = [];
    const { urls } = await startApps({ redis: client, onError: (error) => errors.push(error) });
    const answers = await inTurn(5, () => call(urls[0]!));
    expect(
      statuses(answers),
      `Redis is unreachable: the lesson's choice is to let requests through (a limiter must not take the API down). ${DOWN}`,
    ).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0]!.json, 'the route itself answered').toEqual({ items: [{ id: 1, name: 'kettle' }, { id: 2, name: 'teapot' }] });
    expect(errors.length, `each failed Redis call must be reported to onError, not swallowed. ${DOWN}`).toBeGreaterThanOrEqual(5);
    expect(errors.every((error) => error instanceof Error), `onError gets the Error itself, not a message. ${DOWN}`).toBe(true);
  });

  test('with onError left out, the error goes to console.error and the request still passes', async () => {
    const client = await redis.downClient();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { urls } = await startApps({ redis: client, onError: undefined });
      const answer = await call(urls[0]!);
      expect(answer.status, `Redis is unreachable: requests pass. ${DOWN}`).toBe(200);
      expect(logged.mock.calls.length, `with no onError, Redis errors are logged with console.error. ${DOWN}`).toBeGreaterThanOrEqual(1);
    } finally {
      logged.mockRestore();
    }
  });
});
