// Known wrong (p99 reported as the histogram's max: one blocked tick in hundreds sets it, though 99% of ticks were on time).
// Measure first: event-loop delay (how late the loop gets to run callbacks, i.e. how long
// every request waits behind whatever is blocking) and memory, in units people read.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface MonitorSnapshot {
  /** Event-loop delay percentiles since the last reset, in milliseconds. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** process.memoryUsage(), in MiB. */
  memoryMb: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

export interface Monitor {
  snapshot(): MonitorSnapshot;
  /** Starts a new measuring window. */
  reset(): void;
  stop(): void;
}

const NS_PER_MS = 1e6;
const BYTES_PER_MB = 1024 * 1024;

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  // A histogram filled by libuv's own timer: no JavaScript timer of ours, nothing that keeps
  // the process alive, and it measures in nanoseconds.
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    snapshot() {
      const memory = process.memoryUsage();
      return {
        eventLoopDelayMs: {
          p50: histogram.percentile(50) / NS_PER_MS,
          p99: histogram.max / NS_PER_MS,
          max: histogram.max / NS_PER_MS,
        },
        memoryMb: {
          rss: memory.rss / BYTES_PER_MB,
          heapUsed: memory.heapUsed / BYTES_PER_MB,
          heapTotal: memory.heapTotal / BYTES_PER_MB,
          external: memory.external / BYTES_PER_MB,
        },
      };
    },
    reset: () => histogram.reset(),
    stop: () => histogram.disable(),
  };
}
