// A benchmark's result as an SVG a README can show (GitHub renders it from the repository): one
// block per comparison, one bar per case at its median, a whisker from the slowest to the fastest
// round, and the value written out. Plain SVG 1.1 with inline attributes, no script, no fonts.
import { formatNumber } from './report.ts';
import type { BenchResult } from './results.ts';

const MIN_WIDTH = 860;
/** About the width of one character of a 14 px bold title, for sizing the picture to its longest title. */
const TITLE_CHAR_PX = 8.4;
const LABEL = 370;
const BAR = 300;
const ROW = 22;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chart(result: BenchResult): string {
  const longestTitle = Math.max(...result.comparisons.map((comparison) => comparison.title.length));
  const WIDTH = Math.max(MIN_WIDTH, Math.ceil(longestTitle * TITLE_CHAR_PX) + 20);
  const parts: string[] = [];
  let y = 42;
  for (const comparison of result.comparisons) {
    parts.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">${escape(comparison.title)}</text>`);
    y += 10;
    const top = Math.max(...comparison.cases.map((c) => c.max));
    for (const [index, bench] of comparison.cases.entries()) {
      const scale = (value: number) => (value / top) * BAR;
      const rowY = y + index * ROW;
      parts.push(
        `<text x="10" y="${rowY + 15}" font-size="12">${escape(bench.label)}</text>`,
        `<rect x="${LABEL}" y="${rowY + 4}" width="${Math.max(1, scale(bench.median)).toFixed(1)}" height="14" fill="${index % 2 ? '#4c78a8' : '#f58518'}"/>`,
        `<line x1="${(LABEL + scale(bench.min)).toFixed(1)}" x2="${(LABEL + scale(bench.max)).toFixed(1)}" y1="${rowY + 11}" y2="${rowY + 11}" stroke="#222" stroke-width="1.5"/>`,
        `<text x="${LABEL + BAR + 10}" y="${rowY + 15}" font-size="12">${formatNumber(bench.median)} ${escape(comparison.unit)}</text>`,
      );
    }
    y += comparison.cases.length * ROW + 26;
  }
  const { machine } = result;
  const footer = `${result.command} · median of ${result.rounds} interleaved rounds (whiskers: slowest and fastest round) · ${machine.cpus} cores, ${escape(machine.cpuModel)}, Node ${machine.node} · ${result.date.slice(0, 10)}`;
  parts.push(`<text x="10" y="${y}" font-size="11" fill="#555">${escape(footer)}</text>`);
  const height = y + 14;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="18" font-size="15" font-weight="bold">${escape(result.lesson)}: measured</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
