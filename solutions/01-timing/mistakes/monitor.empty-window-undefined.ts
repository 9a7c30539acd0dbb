// WRONG: percentile by sorted[Math.floor(p/100 * n)] with no empty-window case. A snapshot()
// taken right after reset() (or within the first resolutionMs of createMonitor()) has no samples:
// p50 and p99 are `undefined`, not numbers. JSON.stringify drops them, a graph gets a hole, and
// an alert rule `p99 > 100` silently never fires. (It also picks the upper median for even n.)
import { performance } from 'node:perf_hooks';

export interface MonitorSnapshot {
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  memoryMb: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

export interface Monitor {
  snapshot(): MonitorSnapshot;
  reset(): void;
  stop(): void;
}

const MIB = 1024 * 1024;
const MAX_SAMPLES = 100_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.floor((p / 100) * sorted.length)]!;
}

export function createMonitor({ resolutionMs = 10 }: { resolutionMs?: number } = {}): Monitor {
  let samples: number[] = [];
  let last = performance.now();
  const timer: NodeJS.Timeout | null = setInterval(() => {
    const now = performance.now();
    const late = Math.max(0, now - last - resolutionMs);
    last = now;
    if (samples.length < MAX_SAMPLES) samples.push(late);
  }, resolutionMs);
  timer.unref();
  let running: NodeJS.Timeout | null = timer;

  return {
    snapshot() {
      const sorted = [...samples].sort((a, b) => a - b);
      const m = process.memoryUsage();
      return {
        eventLoopDelayMs: {
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted.length ? sorted[sorted.length - 1]! : 0,
        },
        memoryMb: { rss: m.rss / MIB, heapUsed: m.heapUsed / MIB, heapTotal: m.heapTotal / MIB, external: m.external / MIB },
      };
    },
    reset() {
      samples = [];
      last = performance.now();
    },
    stop() {
      if (running) clearInterval(running);
      running = null;
    },
  };
}
