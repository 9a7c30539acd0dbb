// CORRECT, different style: perf_hooks.createHistogram() fed by our own unref()ed interval
// (recordDelta() records the time since its previous call, in ns, like monitorEventLoopDelay
// does); reset() clears the window and restarts the delta; stop() clears the interval.
import { createHistogram } from 'node:perf_hooks';

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
  let histogram = createHistogram();
  histogram.recordDelta();
  const interval = setInterval(() => histogram.recordDelta(), resolutionMs).unref();
  const ms = (ns: number) => (histogram.count === 0 ? 0 : ns / 1e6);
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    snapshot() {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
        memoryMb: { rss: mib(rss), heapUsed: mib(heapUsed), heapTotal: mib(heapTotal), external: mib(external) },
      };
    },
    reset() {
      histogram = createHistogram();
      histogram.recordDelta();
    },
    stop() {
      clearInterval(interval);
    },
  };
}
