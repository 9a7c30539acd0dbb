// WRONG: snapshot() also resets the histogram (a "read and clear" window). The window is
// documented as since the last reset(): two snapshots in a row (a dashboard and a health
// check) see different numbers, and the second one loses the block the first one saw.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface MonitorSnapshot {
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  memoryMb: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

export interface Monitor {
  snapshot(): MonitorSnapshot;
  reset(): void;
  stop(): void;
}

const toMiB = (bytes: number) => bytes / 1024 / 1024;

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    snapshot() {
      const usage = process.memoryUsage();
      const snap = {
        eventLoopDelayMs: {
          p50: histogram.percentile(50) / 1e6,
          p99: histogram.percentile(99) / 1e6,
          max: histogram.max / 1e6,
        },
        memoryMb: { rss: toMiB(usage.rss), heapUsed: toMiB(usage.heapUsed), heapTotal: toMiB(usage.heapTotal), external: toMiB(usage.external) },
      };
      histogram.reset();
      return snap;
    },
    reset() {
      histogram.reset();
    },
    stop() {
      histogram.disable();
    },
  };
}
