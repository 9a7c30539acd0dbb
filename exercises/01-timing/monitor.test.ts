// Exercise 01 · monitor: event-loop delay percentiles and memory in MiB, that show a
// blocking handler for what it is. Run it with: npm test -- 01-timing/monitor
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lessonHint, startServer, type StartedServer } from '../../shared/testing/index.ts';
import { createMonitor, type Monitor } from './monitor.ts';

const READ = lessonHint('01-timing', '4. Event-loop delay and memory');
const BLOCK_MS = 200;
let server: StartedServer;
let monitor: Monitor;

function countTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

beforeAll(async () => {
  monitor = createMonitor({ resolutionMs: 10 });
  const app = express();
  // The mistake the monitor exists to catch: synchronous work on the request path.
  app.get('/block', (_req, res) => {
    const until = performance.now() + BLOCK_MS;
    while (performance.now() < until) {
      // busy: nothing else on this process runs meanwhile
    }
    res.json({ blockedMs: BLOCK_MS });
  });
  app.get('/calm', (_req, res) => {
    res.json({ ok: true });
  });
  server = await startServer(app);
});

afterAll(async () => {
  monitor?.stop();
  await server?.close();
});

describe('event-loop and memory monitor', () => {
  test('a blocking handler shows up as event-loop delay, in milliseconds', async () => {
    monitor.reset();
    await (await fetch(`${server.url}/block`)).arrayBuffer();
    await sleep(50); // the loop samples once more after the block
    const { max, p99 } = monitor.snapshot().eventLoopDelayMs;
    expect(
      max,
      `The handler blocked the loop for ${BLOCK_MS} ms, so the largest delay should be close to that; got ${max}. ${READ}`,
    ).toBeGreaterThanOrEqual(BLOCK_MS * 0.75);
    expect(max, `Delays are in milliseconds; ${max} looks like nanoseconds (the histogram's unit). ${READ}`).toBeLessThan(BLOCK_MS * 20);
    expect(p99).toBeLessThanOrEqual(max);
  });

  test('reset() starts a new window: a calm period shows a small delay', async () => {
    monitor.reset();
    for (let i = 0; i < 10; i += 1) await (await fetch(`${server.url}/calm`)).arrayBuffer();
    await sleep(100);
    const { p50, max } = monitor.snapshot().eventLoopDelayMs;
    expect(p50, `Nothing blocks now: the median delay should be a few ms. ${READ}`).toBeLessThan(50);
    expect(max, `After reset() the earlier ${BLOCK_MS} ms block must not count any more. ${READ}`).toBeLessThan(BLOCK_MS * 0.75);
  });

  test('reports memory as numbers of MiB, matching process.memoryUsage()', () => {
    const { memoryMb } = monitor.snapshot();
    const actual = process.memoryUsage();
    const mib = (bytes: number) => bytes / 1024 / 1024;
    for (const key of ['rss', 'heapUsed', 'heapTotal', 'external'] as const) {
      expect(typeof memoryMb[key], `memoryMb.${key} should be a number (MiB), not ${JSON.stringify(memoryMb[key])}. ${READ}`).toBe('number');
      expect(
        Math.abs(memoryMb[key] - mib(actual[key])),
        `memoryMb.${key} is ${memoryMb[key]}, process.memoryUsage().${key} is ${mib(actual[key]).toFixed(1)} MiB`,
      ).toBeLessThan(32);
    }
    expect(memoryMb.rss).toBeGreaterThan(memoryMb.heapUsed);
  });

  test('does not keep the process alive (no ref\'d timer left behind)', () => {
    const timersBefore = countTimers();
    const another = createMonitor();
    const timersAfter = countTimers();
    another.stop();
    expect(
      timersAfter,
      `The monitor added a timer that would keep Node running after everything else has finished; ` +
        `call .unref() on monitoring intervals. ${READ}`,
    ).toBeLessThanOrEqual(timersBefore);
  });
});
