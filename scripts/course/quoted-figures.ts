// verify's check on the readings: every ratio a lesson's "Measured" section quotes ("17×",
// "1.33×") must be the median of a ratio in the lesson's committed benchmark result
// (bench/results/<lesson>.json, written by npm run bench), at the precision quoted, and a ratio
// whose rounds agreed (not flagged as too wide to trust).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COURSE_ROOT, type Lesson } from './catalog.ts';

/** The part of a result this check reads (bench/results.ts has the whole schema). */
interface QuotedResult {
  date: string;
  comparisons: { ratios: { median: number; min: number; max: number; trusted: boolean }[] }[];
}

/** The reading's "## Measured" section, to the next "## " heading. */
export function measuredSection(reading: string): string | undefined {
  const start = reading.search(/^## (?:\d+\. )?Measured\b/m);
  if (start === -1) return undefined;
  const rest = reading.slice(start + 1);
  const end = rest.search(/^## /m);
  return end === -1 ? rest : rest.slice(0, end);
}

const rounds = (value: number, written: string) => value.toFixed(written.split('.')[1]?.length ?? 0) === Number(written).toFixed(written.split('.')[1]?.length ?? 0);

/**
 * A quote is a median ("17×") or a range over the rounds ("(13–23×)": a ratio's min and max);
 * each must round, at the decimals written, to a ratio of the result that its rounds agreed on.
 */
export function quoteProblems(lesson: string, reading: string, result: QuotedResult | undefined): string[] {
  let section = measuredSection(reading) ?? '';
  const ranges = [...section.matchAll(/(\d+(?:\.\d+)?)[–-](\d+(?:\.\d+)?)×/g)].map((match) => [match[1]!, match[2]!] as const);
  section = section.replace(/(\d+(?:\.\d+)?)[–-](\d+(?:\.\d+)?)×/g, '');
  const medians = [...section.matchAll(/(\d+(?:\.\d+)?)×/g)].map((match) => match[1]!);
  if (ranges.length + medians.length === 0) return [];
  const file = `bench/results/${lesson}.json`;
  const shown = [...medians.map((quote) => `${quote}×`), ...ranges.map(([low, high]) => `${low}–${high}×`)];
  if (!result) return [`lessons/${lesson}/README.md quotes ${shown.join(', ')}, but ${file} is not committed: run npm run bench -- ${lesson.slice(0, 2)}`];
  const ratios = result.comparisons.flatMap((comparison) => comparison.ratios);
  const judge = (quote: string, matching: QuotedResult['comparisons'][number]['ratios']) => {
    if (matching.length === 0) return [`lessons/${lesson}/README.md quotes ${quote}, which is no ratio in ${file} (measured ${result.date.slice(0, 10)})`];
    if (!matching.some((ratio) => ratio.trusted)) return [`lessons/${lesson}/README.md quotes ${quote}, a ratio whose rounds in ${file} disagree too much to trust`];
    return [];
  };
  return [
    ...medians.flatMap((quote) => judge(`${quote}×`, ratios.filter((ratio) => rounds(ratio.median, quote)))),
    ...ranges.flatMap(([low, high]) => judge(`${low}–${high}×`, ratios.filter((ratio) => rounds(ratio.min, low) && rounds(ratio.max, high)))),
  ];
}

/** Every lesson's quote problems, reading the committed files. */
export function courseQuoteProblems(course: Lesson[]): string[] {
  return course.flatMap((lesson) => {
    const resultFile = path.join(COURSE_ROOT, 'bench/results', `${lesson.dir}.json`);
    const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as QuotedResult) : undefined;
    return quoteProblems(lesson.dir, readFileSync(path.join(COURSE_ROOT, lesson.reading), 'utf8'), result);
  });
}
