// Printing a comparison's result for a reader: each case's median with its range over the rounds,
// and the ratios to the chosen reference case with their spread (flagged when too wide to trust).
import { TRUSTED_SPREAD, type ComparisonResult } from './compare.ts';
import { SATURATED_CPU } from './load.ts';

/** A figure as tables and charts show it: whole above 100, else 3 significant digits or so. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) || value >= 100) return Math.round(value).toLocaleString('en-US');
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export const formatRatio = (value: number) => `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;

export function printComparison(result: ComparisonResult, reference: string): void {
  console.log(`\n${result.title}`);
  const rows = result.cases.map((bench) => {
    const ratio = bench.label === reference ? undefined : result.ratios.find((candidate) => candidate.of === bench.label && candidate.to === reference)!;
    const generator = bench.details['generator CPU'];
    const saturation = generator === undefined ? '' : generator >= SATURATED_CPU ? ' (generator SATURATED: it, not the server, set the rate)' : ' (generator not saturated)';
    const details = Object.entries(bench.details).map(([name, value]) => `${name} ${formatNumber(value)}`).join(', ') + saturation;
    return [
      bench.label,
      `${formatNumber(bench.median)} (${formatNumber(bench.min)}–${formatNumber(bench.max)})`,
      ratio ? `${formatRatio(ratio.median)} (${formatRatio(ratio.min)}–${formatRatio(ratio.max)})${ratio.trusted ? '' : ` UNTRUSTED: spread ${Math.round(ratio.spread * 100)} % > ${TRUSTED_SPREAD * 100} %`}` : 'reference',
      details,
    ];
  });
  const header = ['case', `${result.unit}: median (range)`, 'ratio to reference', 'details'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}
