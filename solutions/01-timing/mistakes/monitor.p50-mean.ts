// WRONG: p50 is the histogram's mean, not its median. One 200 ms block among hundreds of healthy
// ticks drags the "median" up to several ms, and with one tick in ten 100 ms late p50 reads ~10 ms
// instead of ~0: the typical tick looks sick.
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
      return {
        eventLoopDelayMs: {
          p50: histogram.mean / 1e6,
          p99: histogram.percentile(99) / 1e6,
          max: histogram.max / 1e6,
        },
        memoryMb: { rss: toMiB(usage.rss), heapUsed: toMiB(usage.heapUsed), heapTotal: toMiB(usage.heapTotal), external: toMiB(usage.external) },
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
