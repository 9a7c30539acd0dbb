// Exercise 09 · sliding: a sliding-window limiter in one atomic Lua script.
// Run it with: npm test -- 09-rate-limiting/sliding
//
// Time-based checks are judged by the test's own clock: a request is counted somewhere between
// the moment it was sent and the moment its answer came back, so each check only asserts what
// holds for every moment in those intervals, and a run the machine made too slow to tell is
// tried again instead of judged.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { judged, suiteSection, useTestRedis, watchCommands } from '../../shared/testing/index.ts';
import { createSlidingWindowLimiter, type Decision, type SlidingWindowOptions } from './sliding.ts';

const READ = suiteSection('09-rate-limiting', '7. A sliding window in one Lua script');
const redis = useTestRedis();

let limiters = 0;
/** A limiter with a prefix of its own (fresh per call unless given), on a client of its own. */
function limiter(options: Partial<SlidingWindowOptions> = {}) {
  const client = redis.rawClient();
  const prefix = options.prefix ?? `${redis.prefix}sw${(limiters += 1)}:`;
  return { client, prefix, limiter: createSlidingWindowLimiter({ redis: client, windowMs: 2_000, limit: 5, ...options, prefix }) };
}

interface Timed extends Decision {
  sent: number;
  answered: number;
}
async function timedHit(hit: (key: string) => Promise<Decision>, key: string): Promise<Timed> {
  const sent = Date.now();
  const decision = await hit(key);
  return { ...decision, sent, answered: Date.now() };
}
async function inTurn(n: number, hit: (key: string) => Promise<Decision>, key: string): Promise<Timed[]> {
  const decisions: Timed[] = [];
  for (let i = 0; i < n; i += 1) decisions.push(await timedHit(hit, key));
  return decisions;
}
const allowed = (decisions: Decision[]) => decisions.map((decision) => decision.allowed);
const sleepUntil = (moment: number) => sleep(Math.max(0, moment - Date.now()));

describe('the sliding window', () => {
  test('counts down, then refuses with the time until the oldest request leaves the window; waiting that long is enough', async () => {
    const WINDOW = 2_000;
    await judged(async () => {
      const { limiter: sliding } = limiter({ windowMs: WINDOW, limit: 5 });
      // One request, then four more after 0.4 s: when the first leaves the window, the four are still in it.
      const first = await timedHit((key) => sliding.hit(key), 'client');
      await sleepUntil(first.answered + WINDOW * 0.4);
      const hits = [first, ...(await inTurn(5, (key) => sliding.hit(key), 'client'))];
      const refused = hits[5]!;
      if (refused.answered - first.sent > WINDOW * 0.7) return false;
      expect(allowed(hits), `limit 5: five allowed, the sixth refused. ${READ}`).toEqual([true, true, true, true, true, false]);
      expect(hits.map((hit) => hit.remaining), `remaining counts down to 0 and stays 0 when refused. ${READ}`).toEqual([4, 3, 2, 1, 0, 0]);
      expect(hits.slice(0, 5).map((hit) => hit.retryAfterMs), `retryAfterMs is 0 when allowed. ${READ}`).toEqual([0, 0, 0, 0, 0]);
      // The oldest request was counted in [first.sent, first.answered], the refused one in [refused.sent, refused.answered].
      expect(
        refused.retryAfterMs,
        `retryAfterMs is the milliseconds until the oldest request leaves the ${WINDOW} ms window. ${READ}`,
      ).toBeGreaterThanOrEqual(first.sent + WINDOW - refused.answered - 1);
      expect(
        refused.retryAfterMs,
        `retryAfterMs counts from the oldest request in the window, not from the newest, nor the whole window. ${READ}`,
      ).toBeLessThanOrEqual(first.answered + WINDOW - refused.sent + 1);
      await sleep(refused.retryAfterMs + 5);
      const later = await sliding.hit('client');
      expect(later, `after waiting retryAfterMs the oldest request has left the window: one request is allowed, and the four later ones still count. ${READ}`).toMatchObject({
        allowed: true,
        remaining: 0,
      });
      return true;
    });
  });

  test('never more than the limit in any window: no double burst across the edge', async () => {
    const WINDOW = 2_000;
    await judged(async () => {
      const { limiter: sliding } = limiter({ windowMs: WINDOW, limit: 5 });
      const opening = await timedHit((key) => sliding.hit(key), 'edge');
      await sleepUntil(opening.answered + WINDOW * 0.75);
      const late = await inTurn(4, (key) => sliding.hit(key), 'edge'); // the end of the first window
      await sleepUntil(opening.answered + WINDOW + 100); // a fixed window starting at `opening` is over
      const burst = await inTurn(5, (key) => sliding.hit(key), 'edge');
      // The four late requests are still inside a window ending at burst's last answer only if it came quickly.
      if (burst[4]!.answered >= late[0]!.sent + WINDOW || late[3]!.answered - opening.sent >= WINDOW) return false;
      expect(allowed([opening, ...late]), `five requests within one window, at a limit of 5. ${READ}`).toEqual([true, true, true, true, true]);
      expect(
        allowed(burst),
        `just after a fixed window's edge: only the first request has left the last ${WINDOW} ms, so one more is allowed, not five. ` +
          `A fixed window lets a client spend its limit twice in a moment. ${READ}`,
      ).toEqual([true, false, false, false, false]);
      return true;
    });
  });

  test('a refused request is not counted: a client that keeps trying is allowed once the window has passed', async () => {
    const WINDOW = 1_500;
    await judged(async () => {
      const { limiter: sliding } = limiter({ windowMs: WINDOW, limit: 2 });
      const first = await inTurn(2, (key) => sliding.hit(key), 'eager');
      const refused: Timed[] = [];
      while (Date.now() < first[1]!.answered + WINDOW * 0.6) refused.push(...(await inTurn(5, (key) => sliding.hit(key), 'eager')));
      if (first[1]!.answered - first[0]!.sent > WINDOW / 3) return false;
      expect(allowed(refused).every((decision) => !decision), `the limit was used: each retry is refused. ${READ}`).toBe(true);
      await sleepUntil(first[1]!.answered + WINDOW + 20);
      const again = await sliding.hit('eager');
      expect(
        again.allowed,
        `${refused.length} refused requests came after the two allowed ones; once those two are older than the window, a request must pass. ${READ}`,
      ).toBe(true);
      return true;
    });
  });

  test('a refusal always says to wait at least 1 ms, up to the last moment of the window', async () => {
    // Four clients hammer a 200 ms window until it lets one through, five times: some requests land
    // in the window's last millisecond, where rounding down would say "wait 0 ms".
    const refused: Decision[] = [];
    for (let round = 0; round < 5; round += 1) {
      const { limiter: sliding } = limiter({ windowMs: 200, limit: 1 });
      await sliding.hit('last-moment');
      const until = Date.now() + 3_000;
      let through = false;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (!through && Date.now() < until) {
            const decision = await sliding.hit('last-moment');
            if (decision.allowed) through = true;
            else refused.push(decision);
          }
        }),
      );
      expect(through, `a 200 ms window, hammered for 3 s: a request must get through once the first one is 200 ms old. ${READ}`).toBe(true);
    }
    const zero = refused.filter((decision) => !(decision.retryAfterMs >= 1));
    expect(
      zero.map((decision) => decision.retryAfterMs),
      `${zero.length} of ${refused.length} refusals said to wait less than 1 ms: a client told 0 tries again at once, and is refused ` +
        `again. Round the time left up (math.ceil), and never below 1. ${READ}`,
    ).toEqual([]);
  });

  test("one clock for every instance: an instance whose clock runs ahead cannot empty the others' window", async () => {
    const one = limiter({ limit: 3, windowMs: 10_000 });
    const two = limiter({ limit: 3, windowMs: 10_000, prefix: one.prefix });
    const first = await inTurn(3, (key) => one.limiter.hit(key), 'skew');
    // The second instance's clock is 30 s ahead (a server whose NTP failed): only while its hit runs.
    const ownNow = Date.now;
    Date.now = () => ownNow() + 30_000;
    let ahead: Decision;
    try {
      ahead = await two.limiter.hit('skew');
    } finally {
      Date.now = ownNow;
    }
    expect(allowed(first)).toEqual([true, true, true]);
    expect(
      ahead.allowed,
      `three requests were allowed a moment ago; an instance whose clock is 30 s ahead must still see them. Take the time inside the script ` +
        `(redis.call('TIME')), not from the app's clock. ${READ}`,
    ).toBe(false);
  });

  test('200 requests at once from two instances at a limit of 100: exactly 100 allowed', async () => {
    const one = limiter({ limit: 100, windowMs: 60_000 });
    const two = limiter({ limit: 100, windowMs: 60_000, prefix: one.prefix });
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? two : one).limiter.hit('crowd')));
    const yes = decisions.filter((decision) => decision.allowed);
    expect(
      yes.length,
      `two instances, one Redis, 200 requests in the same few milliseconds: ${yes.length} were allowed. The check and the count must be ` +
        `one atomic step, and two requests in the same millisecond must count as two. ${READ}`,
    ).toBe(100);
    expect(new Set(yes.map((decision) => decision.remaining)).size, `each allowed request saw its own remaining count (99 down to 0). ${READ}`).toBe(100);
  });
});

describe('keys and Redis', () => {
  test('each key has its own window; every key lives under the prefix and expires with the window', async () => {
    const { limiter: sliding, client, prefix } = limiter({ limit: 1, windowMs: 5_000 });
    const keys = ['a', 'a:', 'A', "it's", 'ключ', '{tag}', 'space key', 'user:1', 'x'.repeat(500)];
    const first = await Promise.all(keys.map((key) => sliding.hit(key)));
    const second = await Promise.all(keys.map((key) => sliding.hit(key)));
    expect(allowed(first), `limit 1: each key's first request is allowed. ${READ}`).toEqual(keys.map(() => true));
    expect(allowed(second), `and each key's second refused: keys are separate. ${READ}`).toEqual(keys.map(() => false));
    const stored = await redis.keys();
    const outside = stored.filter((key) => key.startsWith(`${redis.prefix}sw`) === false);
    expect(outside, `every key the limiter writes must start with the prefix it was given. ${READ}`).toEqual([]);
    const mine = stored.filter((key) => key.startsWith(prefix));
    expect(mine.length, `the limiter keeps its counts in Redis, under its prefix. ${READ}`).toBeGreaterThanOrEqual(1);
    for (const key of mine) {
      const ttl = await client.pttl(key);
      expect(ttl, `${key} must expire (PEXPIRE by the window), or every client that ever came stays in Redis. ${READ}`).toBeGreaterThan(0);
      expect(ttl, `${key} need not live longer than the window (5000 ms): PEXPIRE takes milliseconds, EXPIRE seconds. ${READ}`).toBeLessThanOrEqual(5_000);
    }
  });

  test('one round trip per request, without sending the script each time', async () => {
    const { limiter: sliding, client } = limiter({ limit: 1_000 });
    await sliding.hit('warm');
    const watch = watchCommands(client);
    for (let i = 0; i < 20; i += 1) await sliding.hit(`k${i % 3}`);
    watch.stop();
    expect(watch.sent.length, `20 requests sent ${watch.sent.length} commands through the client given (${[...new Set(watch.sent)].join(', ')}); one each. ${READ}`).toBe(20);
    expect(watch.count('evalsha'), `send the script's SHA (EVALSHA), not the whole script each time. ${READ}`).toBe(20);
  });

  test('when Redis has lost the script (NOSCRIPT), the request still gets its answer', async () => {
    const { limiter: sliding, client } = limiter({ limit: 3 });
    await sliding.hit('restart');
    const watch = watchCommands(client);
    watch.failNextEvalsha();
    const after = await sliding.hit('restart').catch((error: Error) => error);
    watch.stop();
    expect(watch.count('evalsha'), `the limiter must send its script by SHA (EVALSHA), as Redis expects after the first time. ${READ}`).toBeGreaterThanOrEqual(1);
    expect(after, `Redis forgets its scripts when it restarts: on NOSCRIPT, send the script with EVAL. ${READ}`).not.toBeInstanceOf(Error);
    expect(after, `the second of three requests, answered after the fallback. ${READ}`).toMatchObject({ allowed: true, remaining: 1 });
    expect(await sliding.hit('restart'), `and the limiter goes on counting. ${READ}`).toMatchObject({ allowed: true, remaining: 0 });
  });

  test('a Redis error rejects the hit (the caller decides what to do), without hanging', async () => {
    const client = await redis.downClient();
    const sliding = createSlidingWindowLimiter({ redis: client, prefix: `${redis.prefix}down:`, windowMs: 1_000, limit: 5 });
    const watch = watchCommands(client);
    const outcome = await Promise.race([
      sliding.hit('k').then(
        () => 'allowed',
        () => 'rejected',
      ),
      sleep(10_000).then(() => 'hung'),
    ]);
    watch.stop();
    expect(outcome, `Redis is unreachable: hit() must reject, neither allow silently nor wait forever. ${READ}`).toBe('rejected');
    expect(
      watch.sent,
      `only NOSCRIPT calls for the script to be sent again; any other error (here: no connection) is the caller's to handle, not a reason to send EVAL. ${READ}`,
    ).toEqual(['evalsha']);
  });

  test('options that make no sense are refused when the limiter is created', () => {
    const client = redis.rawClient({ lazyConnect: true });
    const bad: Partial<SlidingWindowOptions>[] = [
      { limit: 0 },
      { limit: -1 },
      { limit: 1.5 },
      { limit: Number.NaN },
      { limit: Number.POSITIVE_INFINITY },
      { limit: '5' as unknown as number },
      { windowMs: 0 },
      { windowMs: -1_000 },
      { windowMs: 0.5 },
      { windowMs: Number.NaN },
    ];
    for (const options of bad) {
      const [name] = Object.keys(options);
      expect(
        () => createSlidingWindowLimiter({ redis: client, prefix: 'unused:', windowMs: 1_000, limit: 5, ...options }),
        `createSlidingWindowLimiter(${JSON.stringify(options)}) must throw an error that names ${name}: such a limit cannot be kept. ${READ}`,
      ).toThrow(name);
    }
    expect(
      () => createSlidingWindowLimiter({ redis: client, prefix: 'unused:', windowMs: 1, limit: 1 }),
      'windowMs 1 and limit 1 are the smallest that make sense, and are accepted',
    ).not.toThrow();
  });
});
