// WRONG: one histogram for the whole module ("there is only one event loop, so one histogram"),
// created at import time; createMonitor() just enables it and returns views on it. Two monitors
// (a dashboard with a 1-minute window and a health check with a 10 s one) share one window:
// the health check's reset() wipes the dashboard's numbers, and one monitor's stop() stops the
// other one too (its p99 freezes at 0 / stale values while the loop is blocked).
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

const MiB = (bytes: number) => bytes / 1024 / 1024;

const histogram = monitorEventLoopDelay({ resolution: 10 });

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  void resolutionMs;
  histogram.enable();
  return {
    snapshot() {
      const usage = process.memoryUsage();
      return {
        eventLoopDelayMs: {
          p50: histogram.percentile(50) / 1e6,
          p99: histogram.percentile(99) / 1e6,
          max: histogram.max / 1e6,
        },
        memoryMb: { rss: MiB(usage.rss), heapUsed: MiB(usage.heapUsed), heapTotal: MiB(usage.heapTotal), external: MiB(usage.external) },
      };
    },
    reset() {
      histogram.reset();
    },
    stop() {
      histogram.disable();
    },
  };
}
