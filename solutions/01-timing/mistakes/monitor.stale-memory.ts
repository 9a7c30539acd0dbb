// Known wrong: memory is read once, when the monitor is made, and every snapshot repeats it.
// A leak growing by the minute never shows.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  const mib = (bytes: number) => bytes / 2 ** 20;
  const memoryMb = { rss: mib(rss), heapUsed: mib(heapUsed), heapTotal: mib(heapTotal), external: mib(external) };
  return {
    snapshot() {
      return {
        eventLoopDelayMs: { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 },
        memoryMb: { ...memoryMb },
      };
    },
    reset: () => histogram.reset(),
    stop: () => histogram.disable(),
  };
}
