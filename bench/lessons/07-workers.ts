// Lesson 07's numbers: a trivial route's latency while heavy hashes run, inline and in the pool;
// the heavy route's throughput against the pool's thread count; and the cost of sending a large
// buffer to a thread, copied or transferred. The server is a process of its own; the load comes
// from others (bench/load.ts), on the same 2 cores, which the reading says.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { loadInChild } from '../load.ts';
import { startServerProcess } from '../server-process.ts';
import type { Compare } from '../run.ts';
import type { BenchContext } from '../context.ts';

const SERVER = fileURLToPath(new URL('./07-workers.server.ts', import.meta.url));
/** About 60 ms of CPU per hash on this machine kind. */
const HEAVY_ROUNDS = 40_000;
const heavyBody = JSON.stringify({ password: 'correct horse battery staple', salt: 'pepper', rounds: HEAVY_ROUNDS });

const startServer = (env: Record<string, string>) => startServerProcess(SERVER, '/api/ping', env);

const hashLoad = (url: string, connections: number, amount: number, maxSeconds: number) =>
  loadInChild({ url: `${url}/api/hash`, method: 'POST', headers: { 'content-type': 'application/json' }, body: heavyBody, connections, amount, maxSeconds });

const received = async (url: string) => ((await (await fetch(`${url}/bench/hashes-received`)).json()) as { hashesReceived: number }).hashesReceived;

/** GET /api/ping for 6 s while 8 connections keep a heavy hash each in flight (for 14 s from their start). */
async function pingWhileHashing(env: Record<string, string>) {
  const server = await startServer(env);
  try {
    await hashLoad(server.url, 2, 10, 10); // warm-up: threads started, code compiled
    const before = await received(server.url);
    const heavy = hashLoad(server.url, 8, 100_000, 14);
    heavy.catch(() => {}); // awaited below: a failure meanwhile must not skip stopping the server
    // The generator takes a second or two to start: measure once its 8 connections have sent.
    for (let tries = 0; (await received(server.url)) < before + 8; tries += 1) {
      if (tries > 100) throw new Error('the hash load did not start within 10 s');
      await sleep(100);
    }
    await fetch(`${server.url}/bench/loop-delay`);
    const ping = await loadInChild({ url: `${server.url}/api/ping`, connections: 4, amount: 100_000, maxSeconds: 6 });
    const { p99Ms } = (await (await fetch(`${server.url}/bench/loop-delay`)).json()) as { p99Ms: number };
    const hashes = await heavy;
    if (ping.errors + ping.non2xx + hashes.errors + hashes.non2xx > 0) throw new Error('errors or non-2xx answers during the benchmark');
    return { ping, p99Ms, hashes };
  } finally {
    await server.stop();
  }
}

/** Round trips of a 16 MB buffer to a thread and back, copied or moved. */
async function transferMs(transfer: boolean): Promise<number> {
  const echo = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ bytes, transfer }) => parentPort.postMessage(bytes, transfer ? [bytes.buffer] : []));`,
    { eval: true },
  );
  try {
    let bytes: Uint8Array = new Uint8Array(16 * 1024 * 1024).fill(7);
    const trips = 20;
    const start = performance.now();
    for (let trip = 0; trip < trips; trip += 1) {
      const back = once(echo, 'message');
      echo.postMessage({ bytes, transfer }, transfer ? [bytes.buffer as ArrayBuffer] : []);
      bytes = (await back)[0] as Uint8Array;
    }
    return (performance.now() - start) / trips;
  } finally {
    await echo.terminate();
  }
}

export default async function bench(_context: BenchContext, compare: Compare): Promise<void> {
  const inline = { MODE: 'inline' };
  const pooled = { MODE: 'pool', THREADS: '2' };
  await compare(
    {
      id: 'loop-delay',
      title: `the server's event-loop delay p99 while 8 connections keep a ${HEAVY_ROUNDS.toLocaleString('en-US')}-round hash in flight: inline vs a pool of 2 threads`,
      unit: 'ms',
      higherIsBetter: false,
      cases: [
        { label: 'inline', run: async () => ({ value: (await pingWhileHashing(inline)).p99Ms }) },
        { label: 'pool of 2', run: async () => ({ value: (await pingWhileHashing(pooled)).p99Ms }) },
      ],
    },
    'inline',
  );
  const ping = (env: Record<string, string>) => async () => {
    const { ping, hashes } = await pingWhileHashing(env);
    return { value: ping.requestsPerSecond, details: { 'p99 ms': ping.latencyP99Ms, 'hashes/s': hashes.requestsPerSecond } };
  };
  await compare(
    {
      id: 'ping-while-hashing',
      title: 'GET /api/ping (4 connections, 6 s) while 8 connections keep a heavy hash in flight: inline vs a pool of 2 threads',
      unit: 'req/s',
      higherIsBetter: true,
      cases: [
        { label: 'inline', run: ping(inline) },
        { label: 'pool of 2', run: ping(pooled) },
      ],
    },
    'inline',
  );
  const throughput = (threads: number) => async () => {
    const server = await startServer({ MODE: 'pool', THREADS: String(threads) });
    try {
      await hashLoad(server.url, threads, 10, 10);
      const result = await hashLoad(server.url, 16, 100_000, 8);
      if (result.errors + result.non2xx > 0) throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers`);
      return { value: result.requestsPerSecond, details: { 'p99 ms': result.latencyP99Ms } };
    } finally {
      await server.stop('SIGKILL');
    }
  };
  await compare(
    {
      id: 'threads',
      title: `POST /api/hash (${HEAVY_ROUNDS.toLocaleString('en-US')} rounds, 16 connections, 8 s) against the pool's size, on 2 cores`,
      unit: 'req/s',
      higherIsBetter: true,
      cases: [1, 2, 4].map((threads) => ({ label: `${threads} thread${threads > 1 ? 's' : ''}`, run: throughput(threads) })),
    },
    '1 thread',
  );
  await compare(
    {
      id: 'transfer',
      title: 'a 16 MB buffer to a thread and back: copied (structured clone) vs moved (transfer list)',
      unit: 'ms per round trip',
      higherIsBetter: false,
      cases: [
        { label: 'copied', run: async () => ({ value: await transferMs(false) }) },
        { label: 'transferred', run: async () => ({ value: await transferMs(true) }) },
      ],
    },
    'copied',
  );
}
