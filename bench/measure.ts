// Timing a piece of async work the same way in every benchmark: warm-up, then the median of
// several runs, with the statements it sent.
import { QueryLog } from '../shared/testing/query-log.ts';

export interface Timed {
  /** Median wall time of one run, ms. */
  ms: number;
  /** Statements one run sent (from the last run). */
  statements: number;
}

export async function timed(log: QueryLog, work: () => Promise<unknown>, { runs = 7, warmup = 2 } = {}): Promise<Timed> {
  for (let i = 0; i < warmup; i += 1) await work();
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    statements = (await log.count(work)).count;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, statements };
}
