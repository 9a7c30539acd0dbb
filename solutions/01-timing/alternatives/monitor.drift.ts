// Another correct approach: measure delay as timer drift. An unref'd interval asks to run
// every few ms; how late it actually runs is how long the loop was busy.
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };
const MAX_SAMPLES = 10_000;

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  let samples: number[] = [];
  let expected = performance.now() + resolutionMs;
  const timer = setInterval(() => {
    const now = performance.now();
    samples.push(Math.max(0, now - expected));
    if (samples.length > MAX_SAMPLES) samples = samples.slice(-MAX_SAMPLES);
    expected = now + resolutionMs;
  }, resolutionMs);
  timer.unref();

  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    snapshot() {
      const sorted = [...samples].sort((a, b) => a - b);
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
        memoryMb: { rss: mb(rss), heapUsed: mb(heapUsed), heapTotal: mb(heapTotal), external: mb(external) },
      };
    },
    reset() {
      samples = [];
    },
    stop() {
      clearInterval(timer);
    },
  };
}
