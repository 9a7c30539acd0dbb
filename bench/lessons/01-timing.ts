// Lesson 01's numbers: what the timing middleware costs, and what one blocking handler does to
// every other request. The server runs in this process; the load comes from a child process
// (bench/load.ts), whose CPU share says whether it, rather than the server, was the limit.
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Express } from 'express';
import { startServer } from '../../shared/testing/server.ts';
import { createMonitor } from '../../solutions/01-timing/monitor.ts';
import { serverTiming } from '../../solutions/01-timing/server-timing.ts';
import { slowRequestLog } from '../../solutions/01-timing/slow-requests.ts';
import { cpuShare, loadInChild } from '../load.ts';
import type { Compare } from '../run.ts';
import type { BenchContext } from '../context.ts';

const REQUESTS = 20_000;
/** Enough connections to keep the server's one thread busy: with 10, both apps wait on round trips. */
const SATURATING_CONNECTIONS = 50;
const CONNECTIONS = 10;
// Enough requests that a p99 is not decided by a handful of them.
const CALM_REQUESTS = 20_000;

/** Requests per second an app serves under the child's load, after a warm-up. */
async function throughput(app: Express): Promise<{ value: number; details: Record<string, number> }> {
  const server = await startServer(app);
  try {
    await loadInChild({ url: server.url, amount: 2_000, connections: SATURATING_CONNECTIONS });
    const cpuBefore = process.cpuUsage();
    const result = await loadInChild({ url: server.url, amount: REQUESTS, connections: SATURATING_CONNECTIONS });
    const cpu = process.cpuUsage(cpuBefore);
    return {
      value: result.requestsPerSecond,
      details: { 'p99 ms': result.latencyP99Ms, 'server CPU': cpuShare(cpu, result.seconds), 'generator CPU': result.generatorCpu },
    };
  } finally {
    await server.close();
  }
}

export default async function bench(_context: BenchContext, compare: Compare): Promise<void> {
  // 1. The timing middleware on the cheapest possible route.
  const plain = express().get('/', (_req, res) => void res.json({ ok: true }));
  const timed = express()
    .use(serverTiming())
    .use(slowRequestLog({ thresholdMs: 1_000, log: () => {} }))
    .get('/', (_req, res) => void res.json({ ok: true }));
  await compare(
    {
      id: 'middleware-overhead',
      title: `Timing middleware on an empty route (${REQUESTS.toLocaleString('en-US')} requests, ${SATURATING_CONNECTIONS} connections)`,
      unit: 'req/s',
      higherIsBetter: true,
      cases: [
        { label: 'plain route', run: () => throughput(plain) },
        { label: 'with serverTiming + slowRequestLog', run: () => throughput(timed) },
      ],
    },
    'plain route',
  );

  // 2. A handler that blocks the loop for 20 ms, hit every 100 ms, next to a cheap route.
  const app = express()
    .get('/calm', (_req, res) => void res.json({ ok: true }))
    .get('/block', (_req, res) => {
      const until = performance.now() + 20;
      while (performance.now() < until) {
        // synchronous work: JSON of a huge object, a sync crypto call, a big regex…
      }
      res.json({ ok: true });
    });
  const server = await startServer(app);
  // 1 ms sampling: the default 10 ms resolution would add ~10 ms to every reading (lesson 01, section 4).
  const monitor = createMonitor({ resolutionMs: 1 });
  const calmP99 = async (withBlocker: boolean) => {
    let stop = false;
    const blocker = (async () => {
      while (withBlocker && !stop) {
        await (await fetch(`${server.url}/block`)).arrayBuffer();
        await sleep(100);
      }
    })();
    monitor.reset();
    const result = await loadInChild({ url: `${server.url}/calm`, amount: CALM_REQUESTS, connections: CONNECTIONS });
    stop = true;
    await blocker;
    const { p99 } = monitor.snapshot().eventLoopDelayMs;
    return { value: result.latencyP99Ms, details: { 'p50 ms': result.latencyP50Ms, 'loop delay p99 ms': p99, 'generator CPU': result.generatorCpu } };
  };
  try {
    await compare(
      {
        id: 'blocking-handler',
        title: `p99 latency of a cheap route (${CALM_REQUESTS.toLocaleString('en-US')} requests), alone and beside a 20 ms blocking handler hit every 100 ms`,
        unit: 'ms p99',
        higherIsBetter: false,
        cases: [
          { label: 'cheap route alone', run: () => calmP99(false) },
          { label: 'beside the blocking handler', run: () => calmP99(true) },
        ],
      },
      'cheap route alone',
    );
  } finally {
    monitor.stop();
    await server.close();
  }
}
