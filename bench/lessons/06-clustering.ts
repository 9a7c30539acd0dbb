// Lesson 06's numbers: one worker against two, for a light route and a CPU-heavy one. The
// cluster runs as a process of its own (the lesson's primary and graceful shutdown); the load
// comes from another (bench/load.ts). Both share this machine's cores with the generator, which
// the reading says.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadInChild } from '../load.ts';
import { startServerProcess } from '../server-process.ts';
import type { Compare } from '../run.ts';
import type { BenchContext } from '../context.ts';

const PRIMARY = fileURLToPath(new URL('./06-clustering.primary.ts', import.meta.url));
const CONNECTIONS = 32;

/** Starts a cluster of `workers`, waits until it answers, and returns its URL and how to stop it. */
async function startCluster(workers: number) {
  const cluster = await startServerProcess(PRIMARY, '/light', { WORKERS: String(workers) });
  await sleep(1_000); // the first worker answers before the last one has started
  return cluster;
}

async function measure(workers: number, path: string, amount: number) {
  const cluster = await startCluster(workers);
  try {
    await loadInChild({ url: `${cluster.url}${path}`, amount: Math.round(amount / 5), connections: CONNECTIONS });
    const result = await loadInChild({ url: `${cluster.url}${path}`, amount, connections: CONNECTIONS, maxSeconds: 30 });
    if (result.errors + result.non2xx > 0) throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers from ${path}`);
    return { value: result.requestsPerSecond, details: { 'p99 ms': result.latencyP99Ms, 'generator CPU': result.generatorCpu } };
  } finally {
    await cluster.stop();
  }
}

export default async function bench(_context: BenchContext, compare: Compare): Promise<void> {
  for (const [id, path, amount, what] of [
    ['light-route', '/light', 40_000, 'a light JSON route'],
    ['heavy-route', '/heavy', 1_500, 'a CPU-heavy route (PBKDF2, 16,000 rounds per request: about 4 ms of CPU here)'],
  ] as const) {
    await compare(
      {
        id,
        title: `${what}: 1 worker vs 2 (${amount.toLocaleString('en-US')} requests, ${CONNECTIONS} connections, load generator on the same 2 cores)`,
        unit: 'req/s',
        higherIsBetter: true,
        cases: [
          { label: '1 worker', run: () => measure(1, path, amount) },
          { label: '2 workers', run: () => measure(2, path, amount) },
        ],
      },
      '1 worker',
    );
  }
}
