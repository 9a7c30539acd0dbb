// Measure first: event-loop delay (how late the loop gets to run callbacks, i.e. how long
// every request waits behind whatever is blocking) and memory, in units people read.

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

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  void resolutionMs;
  return {
    snapshot() {
      // TODO: measure the event-loop delay (node:perf_hooks has a histogram for it) and report
      // memory as numbers of MiB. Strings like "12.34 MB" can be printed but not compared.
      const usage = process.memoryUsage();
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
      return {
        eventLoopDelayMs: { p50: 0, p99: 0, max: 0 },
        memoryMb: { rss: mb(usage.rss), heapUsed: mb(usage.heapUsed), heapTotal: mb(usage.heapTotal), external: mb(usage.external) },
      } as unknown as MonitorSnapshot;
    },
    reset() {},
    stop() {},
  };
}
