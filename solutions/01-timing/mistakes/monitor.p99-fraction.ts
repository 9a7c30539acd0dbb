// Known wrong: a home-made percentile that takes p on a 0–100 scale, called with 0.99. "p99"
// is then the smallest delay, and a loop blocked one tick in ten looks perfectly healthy.
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  let samples: number[] = [];
  let expected = performance.now() + resolutionMs;
  const timer = setInterval(() => {
    const now = performance.now();
    samples.push(Math.max(0, now - expected));
    expected = now + resolutionMs;
  }, resolutionMs);
  timer.unref();

  /** p from 0 to 100 */
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    snapshot() {
      const sorted = [...samples].sort((a, b) => a - b);
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 },
        memoryMb: { rss: mib(rss), heapUsed: mib(heapUsed), heapTotal: mib(heapTotal), external: mib(external) },
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
