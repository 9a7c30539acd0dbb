// Known wrong (errata 2): a monitoring interval that is not unref()'d keeps the process alive
// after the server has closed: scripts and tests hang, shutdowns wait for a kill.
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

  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    snapshot() {
      const sorted = [...samples].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.floor((p / 100) * (sorted.length - 1))] ?? 0;
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: at(50), p99: at(99), max: sorted.at(-1) ?? 0 },
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
