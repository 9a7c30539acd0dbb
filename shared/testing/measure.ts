// Event-loop delay and heap measurements for suites, in milliseconds and megabytes.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoopDelay {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

/** Waits (at most 5 s) until the histogram has recorded more than `count` samples. */
async function samplesAfter(histogram: IntervalHistogram, count: number): Promise<void> {
  for (let waited = 0; histogram.count <= count && waited < 5_000; waited += 5) await sleep(5);
}

/** Measures the event loop's delay while `work` runs. */
export async function eventLoopDelayDuring<T>(work: () => Promise<T>): Promise<{ result: T; delay: LoopDelay }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // The histogram's first tick only sets its starting point: wait until it has recorded a sample,
  // or a block at the very start goes unseen. (A fixed sleep is not enough: on a busy machine the
  // sleep's timer and the histogram's can come due in the same turn, the sleep's first.)
  await samplesAfter(histogram, 0);
  try {
    const seen = histogram.count;
    const result = await work();
    // Let the histogram sample once more, so a block at the very end is seen.
    await samplesAfter(histogram, seen);
    return { result, delay: { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, meanMs: histogram.mean / 1e6 } };
  } finally {
    histogram.disable();
  }
}

/** Heap in use after a full collection, in MB. Needs node --expose-gc (the suites have it). */
export async function settledHeapMb(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('settledHeapMb() needs node --expose-gc; run it through the project vitest config.');
  for (let i = 0; i < 3; i += 1) {
    gc();
    await sleep(10);
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** How much the settled heap grew across `work`, in MB. */
export async function heapGrowthMb(work: () => Promise<unknown>): Promise<number> {
  const before = await settledHeapMb();
  await work();
  return (await settledHeapMb()) - before;
}

/** Heap and Buffers outside it in use after a full collection, in MB: what is held, not garbage. Needs node --expose-gc. */
export async function settledMemoryMb(): Promise<number> {
  await settledHeapMb();
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + external) / 1024 / 1024;
}
