// Timing a piece of async work the same way in every benchmark: warm-up, then the median of
// several runs, with the statements it sent.
import { QueryLog } from '../shared/testing/query-log.ts';

export interface Timed {
  /** Median wall time of one run, ms. */
  ms: number;
  /** Statements one run sent (from the last run). */
  statements: number;
}

/** A case for compare(): one measurement is the median of several timed runs, with the statements sent. */
export const timedCase = (log: QueryLog, work: () => Promise<unknown>, options?: { runs?: number; warmup?: number }) => async () => {
  const result = await timed(log, work, options);
  return { value: result.ms, details: { statements: result.statements } };
};

export async function timed(log: QueryLog, work: () => Promise<unknown>, { runs = 15, warmup = 5 } = {}): Promise<Timed> {
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
