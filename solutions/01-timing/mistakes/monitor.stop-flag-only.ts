// Known wrong (stop() only sets a flag: the unref'd interval keeps firing for ever).
// CORRECT, different style: no monitorEventLoopDelay. An unref()ed setInterval of our own
// measures how late each tick fires (performance.now() minus when it was due), keeps the window's
// samples since the last reset(), and computes nearest-rank percentiles itself.
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
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
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
      running = null; // the interval is unref'd, so it cannot keep the process alive anyway
    },
  };
}
