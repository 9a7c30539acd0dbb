// Lesson 09's numbers: what a limiter costs a light route (throughput at saturation, and latency
// on one connection), the Redis commands per request, and how many requests each algorithm lets
// through across a window's edge. The server is a process of its own; the load comes from another
// (bench/load.ts), on the same 2 cores, which the reading says.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { loadInChild } from '../load.ts';
import { startServerProcess } from '../server-process.ts';
import { createSlidingWindowLimiter } from '../../solutions/09-rate-limiting/sliding.ts';
import { scanKeys } from '../../shared/testing/test-redis.ts';
import type { Compare } from '../run.ts';
import type { BenchContext } from '../context.ts';

const SERVER = fileURLToPath(new URL('./09-rate-limiting.server.ts', import.meta.url));
const STORES = [
  { label: 'no limiter', store: 'none' },
  { label: 'memory store', store: 'memory' },
  { label: 'Redis store', store: 'redis' },
  { label: 'sliding window', store: 'sliding' },
];

async function withServer<T>(store: string, redisUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const server = await startServerProcess(SERVER, '/bench/commands', { STORE: store, REDIS_URL: redisUrl });
  try {
    return await work(server.url);
  } finally {
    await server.stop();
  }
}

const commandsSince = async (url: string) => ((await (await fetch(`${url}/bench/commands`)).json()) as { commands: number }).commands;

/** GET /api/items at saturation: 32 connections for 5 s, after a 1 s warm-up. */
const saturation = (store: string, redisUrl: string) => () =>
  withServer(store, redisUrl, async (url) => {
    await loadInChild({ url: `${url}/api/items`, connections: 8, amount: 100_000, maxSeconds: 1 });
    await commandsSince(url);
    const result = await loadInChild({ url: `${url}/api/items`, connections: 32, amount: 1_000_000, maxSeconds: 5 });
    const commands = await commandsSince(url);
    if (result.errors + result.non2xx > 0) throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers`);
    return {
      value: result.requestsPerSecond,
      details: { 'p50 ms': result.latencyP50Ms, 'p99 ms': result.latencyP99Ms, 'Redis commands per request': commands / result.requests },
    };
  });

/** GET /api/items on one connection, one request at a time, for 5 s: the time a limiter adds to each request when nothing queues. */
const oneAtATime = (store: string, redisUrl: string) => () =>
  withServer(store, redisUrl, async (url) => {
    await loadInChild({ url: `${url}/api/items`, connections: 1, amount: 100_000, maxSeconds: 1 });
    const result = await loadInChild({ url: `${url}/api/items`, connections: 1, amount: 1_000_000, maxSeconds: 5 });
    if (result.errors + result.non2xx > 0) throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers`);
    // autocannon's percentiles are whole milliseconds, and a request here takes a fraction of one:
    // one connection waiting for each answer, the mean time per request is 1 / the rate.
    return { value: 1000 / result.requestsPerSecond, details: { 'p99 ms (whole ms)': result.latencyP99Ms, 'req/s': result.requestsPerSecond } };
  });

/**
 * Requests allowed within one window's length across an edge, limit 100 per 2 s: one request
 * opens the window, 99 come at 1.8 s, then 100 at 2.1 s. A fixed window starts afresh at 2 s and
 * takes all 100; the sliding window has room for one.
 */
async function acrossTheEdge(algorithm: 'fixed' | 'sliding', redisUrl: string): Promise<{ value: number }> {
  const redis = new Redis(redisUrl);
  const prefix = `wb:bench:${process.pid}:edge:${algorithm}:`;
  const WINDOW = 2_000;
  try {
    let hit: () => Promise<boolean>;
    if (algorithm === 'sliding') {
      const sliding = createSlidingWindowLimiter({ redis, prefix, windowMs: WINDOW, limit: 100 });
      hit = async () => (await sliding.hit('client')).allowed;
    } else {
      const store = new RedisStore({ prefix, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> });
      await store.init({ windowMs: WINDOW } as Parameters<RedisStore['init']>[0]);
      hit = async () => (await store.increment('client')).totalHits <= 100;
    }
    const started = Date.now();
    const allowedAt: number[] = [];
    const burst = async (n: number) => {
      const answers = await Promise.all(Array.from({ length: n }, hit));
      const now = Date.now() - started;
      for (const allowed of answers) if (allowed) allowedAt.push(now);
    };
    await burst(1);
    await sleep(started + WINDOW * 0.9 - Date.now());
    await burst(99);
    await sleep(started + WINDOW * 1.05 - Date.now());
    await burst(100);
    // The most requests allowed within any one window's length: here, from the 1.8 s burst on.
    const late = allowedAt.filter((at) => at >= WINDOW * 0.9 - 50);
    return { value: late.length };
  } finally {
    const keys = await scanKeys(redis, prefix);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
  }
}

export default async function bench({ redisUrl }: BenchContext, compare: Compare): Promise<void> {
  await compare(
    {
      id: 'saturation',
      title: 'GET /api/items (a small JSON) at saturation, 32 connections for 5 s: without a limiter and with each store',
      unit: 'req/s',
      higherIsBetter: true,
      cases: STORES.map(({ label, store }) => ({ label, run: saturation(store, redisUrl) })),
    },
    'no limiter',
  );
  await compare(
    {
      id: 'latency',
      title: 'GET /api/items one request at a time for 5 s: time per request (mean) without a limiter and with each store',
      unit: 'ms per request',
      higherIsBetter: false,
      cases: STORES.map(({ label, store }) => ({ label, run: oneAtATime(store, redisUrl) })),
    },
    'no limiter',
  );
  await compare(
    {
      id: 'edge',
      title: 'requests allowed within 2 s across a window edge, at a limit of 100 per 2 s: fixed window (the Redis store) vs sliding window',
      unit: 'requests',
      higherIsBetter: false,
      cases: [
        { label: 'fixed window', run: () => acrossTheEdge('fixed', redisUrl) },
        { label: 'sliding window', run: () => acrossTheEdge('sliding', redisUrl) },
      ],
    },
    'sliding window',
  );
}
