// Known wrong: the first interval is unref()'d, but reset() starts a fresh one and forgets to:
// after the first reset the monitor keeps the process alive (errata 2).
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  let samples: number[] = [];
  let expected = 0;
  const sample = () => {
    const now = performance.now();
    samples.push(Math.max(0, now - expected));
    expected = now + resolutionMs;
  };
  const begin = () => {
    samples = [];
    expected = performance.now() + resolutionMs;
    return setInterval(sample, resolutionMs);
  };
  let timer = begin();
  timer.unref();

  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    snapshot() {
      const sorted = [...samples].sort((a, b) => a - b);
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
        memoryMb: { rss: mib(rss), heapUsed: mib(heapUsed), heapTotal: mib(heapTotal), external: mib(external) },
      };
    },
    reset() {
      clearInterval(timer);
      timer = begin();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
