// Known wrong: memory reported in bytes under a field that says MiB.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    snapshot() {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 },
        memoryMb: { rss, heapUsed, heapTotal, external },
      };
    },
    reset: () => histogram.reset(),
    stop: () => histogram.disable(),
  };
}
