// Known wrong: memory reported in bytes under a field that says MiB.
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
