// Known wrong: memory divided by 1e6 (MB) where the contract says MiB (2^20 bytes). The
// numbers look plausible and are 4.9% too high, so they disagree with every other tool.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MonitorSnapshot, Monitor } from '../monitor.ts';

export type { MonitorSnapshot, Monitor };

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const mb = (bytes: number) => bytes / 1e6;
  return {
    snapshot() {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return {
        eventLoopDelayMs: { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 },
        memoryMb: { rss: mb(rss), heapUsed: mb(heapUsed), heapTotal: mb(heapTotal), external: mb(external) },
      };
    },
    reset: () => histogram.reset(),
    stop: () => histogram.disable(),
  };
}
