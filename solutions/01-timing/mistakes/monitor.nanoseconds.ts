// Known wrong: monitorEventLoopDelay's histogram is in nanoseconds; reported as-is, a 200 ms
// block reads as 200,000,000 "ms".
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    snapshot() {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: histogram.percentile(50), p99: histogram.percentile(99), max: histogram.max },
        memoryMb: { rss: mb(rss), heapUsed: mb(heapUsed), heapTotal: mb(heapTotal), external: mb(external) },
      };
    },
    reset: () => histogram.reset(),
    stop: () => histogram.disable(),
  };
}
