// Lesson 01's numbers: what timing middleware costs, and what one blocking handler does to
// every other request. Load generator and server share this process (so absolute numbers are
// lower than a real deployment's); compare the rows of one run, not runs with each other.
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { startServer } from '../../shared/testing/server.ts';
import { runLoad } from '../../shared/testing/load.ts';
import { serverTiming } from '../../solutions/01-timing/server-timing.ts';
import { slowRequestLog } from '../../solutions/01-timing/slow-requests.ts';
import { createMonitor } from '../../solutions/01-timing/monitor.ts';
import { printTable, ratio } from '../report.ts';

const REQUESTS = 20_000;

export default async function bench(): Promise<void> {
  // 1. Overhead of the timing middleware on the cheapest possible route.
  const plain = express().get('/', (_req, res) => void res.json({ ok: true }));
  const timed = express()
    .use(serverTiming())
    .use(slowRequestLog({ thresholdMs: 1_000, log: () => {} }))
    .get('/', (_req, res) => void res.json({ ok: true }));
  const overhead = [];
  for (const [name, app] of [['plain route', plain], ['with serverTiming + slowRequestLog', timed]] as const) {
    const server = await startServer(app);
    await runLoad({ url: server.url, amount: 2_000, connections: 10 }); // warm-up
    const result = await runLoad({ url: server.url, amount: REQUESTS, connections: 10 });
    overhead.push({ case: name, 'req/s': result.requestsPerSecond, 'p99 ms': result.latencyP99Ms });
    await server.close();
  }
  printTable(`Timing middleware overhead (${REQUESTS.toLocaleString('en-US')} requests, 10 connections)`, overhead);
  console.log(`throughput with middleware / without: ${ratio(overhead[1]!['req/s'], overhead[0]!['req/s'])}`);

  // 2. A handler that blocks the loop for 20 ms, hit once every 100 ms, next to a cheap route.
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
  const monitor = createMonitor();
  const blocking = [];
  for (const withBlocker of [false, true]) {
    let stop = false;
    const blocker = (async () => {
      while (withBlocker && !stop) {
        await (await fetch(`${server.url}/block`)).arrayBuffer();
        await sleep(100);
      }
    })();
    monitor.reset();
    const result = await runLoad({ url: `${server.url}/calm`, amount: 5_000, connections: 10 });
    stop = true;
    await blocker;
    const { p99, max } = monitor.snapshot().eventLoopDelayMs;
    blocking.push({
      case: withBlocker ? 'calm route, 20 ms block every 100 ms' : 'calm route alone',
      'p50 ms': result.latencyP50Ms,
      'p99 ms': result.latencyP99Ms,
      'loop delay p99 ms': p99,
      'loop delay max ms': max,
    });
  }
  monitor.stop();
  await server.close();
  printTable('One blocking handler, everyone waits (5,000 requests to /calm, 10 connections)', blocking);
  console.log(`p99 latency of /calm, with blocker / alone: ${ratio(blocking[1]!['p99 ms'], blocking[0]!['p99 ms'])}`);
}
