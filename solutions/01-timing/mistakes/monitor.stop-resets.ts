// Known wrong: stop() only clears the numbers; the histogram stays enabled and keeps
// sampling the loop for as long as the process lives.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    snapshot() {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 },
        memoryMb: { rss: mib(rss), heapUsed: mib(heapUsed), heapTotal: mib(heapTotal), external: mib(external) },
      };
    },
    reset: () => histogram.reset(),
    stop: () => histogram.reset(),
  };
}
