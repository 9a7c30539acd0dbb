// A comparison, measured the way a reader can trust: every case once per round, rounds
// interleaved (A B, then B A, …) so that a machine getting slower or faster during the run
// weighs on every case alike, and each ratio reported as its median over the rounds with its
// spread. A ratio whose rounds disagree by more than TRUSTED_SPREAD is flagged, not quoted.
export type Measured = number | { value: number; details?: Record<string, number> };

export interface BenchCase {
  label: string;
  /** One measurement of this case (a rate, a time): warm-up belongs inside if it is needed. */
  run: () => Promise<Measured>;
}

export interface Comparison {
  id: string;
  title: string;
  /** e.g. "req/s", "ms per page", "µs per read" */
  unit: string;
  higherIsBetter: boolean;
  cases: BenchCase[];
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface CaseSummary extends Spread {
  label: string;
  values: number[];
  /** Each detail's median over the rounds (statements sent, the load generator's CPU share…). */
  details: Record<string, number>;
}

export interface RatioSummary extends Spread {
  /** The case whose value is divided… */
  of: string;
  /** …by this one's, round by round. */
  to: string;
  /** (max − min) / median of the per-round ratios. */
  spread: number;
  trusted: boolean;
}

export interface ComparisonResult {
  id: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  cases: CaseSummary[];
  ratios: RatioSummary[];
}

/**
 * A ratio whose rounds span more than this fraction of its median (max − min over median: rounds
 * beyond about ±25 % of it) is untrusted, and a reading may not quote it. Interleaved rounds of a
 * few-millisecond query on a busy two-core machine commonly span 20–40 %.
 */
export const TRUSTED_SPREAD = 0.5;

export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export async function compare(comparison: Comparison, rounds: number, onRound?: (round: number) => void): Promise<ComparisonResult> {
  const values = comparison.cases.map(() => [] as number[]);
  const details = comparison.cases.map(() => new Map<string, number[]>());
  for (let round = 0; round < rounds; round += 1) {
    const order = comparison.cases.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const measured = await comparison.cases[index]!.run();
      const { value, details: more = {} } = typeof measured === 'number' ? { value: measured } : measured;
      values[index]!.push(value);
      for (const [name, detail] of Object.entries(more)) details[index]!.set(name, [...(details[index]!.get(name) ?? []), detail]);
    }
    onRound?.(round + 1);
  }
  const cases = comparison.cases.map((bench, index) => ({
    label: bench.label,
    values: values[index]!,
    ...spreadOf(values[index]!),
    details: Object.fromEntries([...details[index]!].map(([name, list]) => [name, spreadOf(list).median])),
  }));
  const ratios: RatioSummary[] = [];
  for (const [i, of] of cases.entries()) {
    for (const [j, to] of cases.entries()) {
      if (i === j) continue;
      const perRound = of.values.map((value, round) => value / to.values[round]!);
      const summary = spreadOf(perRound);
      const spread = (summary.max - summary.min) / summary.median;
      ratios.push({ of: of.label, to: to.label, ...summary, spread, trusted: spread <= TRUSTED_SPREAD });
    }
  }
  return { id: comparison.id, title: comparison.title, unit: comparison.unit, higherIsBetter: comparison.higherIsBetter, cases, ratios };
}

/** The ratio of one case to another in a result. */
export function ratioOf(result: ComparisonResult, of: string, to: string): RatioSummary {
  const found = result.ratios.find((ratio) => ratio.of === of && ratio.to === to);
  if (!found) throw new Error(`${result.id}: no ratio of "${of}" to "${to}"`);
  return found;
}
