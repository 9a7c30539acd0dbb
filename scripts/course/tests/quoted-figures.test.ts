// verify's quote check: a reading's Measured section may only quote ratios its lesson's committed
// benchmark result contains (a median, or a range over the rounds), at the precision written, and
// only ratios whose rounds agreed.
import { expect, test } from 'vitest';
import { quoteProblems } from '../quoted-figures.ts';

const result = {
  date: '2026-11-26T20:00:00.000Z',
  comparisons: [
    {
      ratios: [
        { median: 16.8, min: 13.2, max: 22.6, trusted: true },
        { median: 0.7512, min: 0.769, max: 0.893, trusted: true },
        { median: 3.4, min: 1.2, max: 6, trusted: false },
      ],
    },
  ],
};
const reading = (measured: string) => `# Lesson\n\nIn prose, 100× is not a quote.\n\n## Measured\n\n${measured}\n\n## Later\n\n99× here is not one either.\n`;

test('medians and ranges that round to a trusted ratio pass, at the decimals written', () => {
  expect(quoteProblems('01-timing', reading('The loop takes **17×** the time (13–23×); the middleware keeps 0.75× (0.77–0.89×), or 0.8×.'), result)).toEqual([]);
});

test('a quote no ratio rounds to is named, with the file and the date', () => {
  expect(quoteProblems('01-timing', reading('A quarter: 0.74×, and 18× (13–22×).'), result)).toEqual([
    'lessons/01-timing/README.md quotes 0.74×, which is no ratio in bench/results/01-timing.json (measured 2026-11-26)',
    'lessons/01-timing/README.md quotes 18×, which is no ratio in bench/results/01-timing.json (measured 2026-11-26)',
    'lessons/01-timing/README.md quotes 13–22×, which is no ratio in bench/results/01-timing.json (measured 2026-11-26)',
  ]);
});

test('a ratio whose rounds disagreed may not be quoted', () => {
  expect(quoteProblems('01-timing', reading('It multiplies p99 by 3.4×.'), result)).toEqual([
    'lessons/01-timing/README.md quotes 3.4×, a ratio whose rounds in bench/results/01-timing.json disagree too much to trust',
  ]);
});

test('quotes without a committed result fail; a reading without quotes needs none', () => {
  expect(quoteProblems('02-queries', reading('It is 15× faster.'), undefined)).toEqual([
    'lessons/02-queries/README.md quotes 15×, but bench/results/02-queries.json is not committed: run npm run bench -- 02',
  ]);
  expect(quoteProblems('02-queries', reading('No ratio here.'), undefined)).toEqual([]);
  expect(quoteProblems('02-queries', '# No measured section, 5× in prose\n', undefined)).toEqual([]);
});

test('a numbered "## 7. Measured" heading is the Measured section too', () => {
  const numbered = reading('A quarter: 0.74×.').replace('## Measured', '## 7. Measured');
  expect(quoteProblems('01-timing', numbered, result)).toEqual(['lessons/01-timing/README.md quotes 0.74×, which is no ratio in bench/results/01-timing.json (measured 2026-11-26)']);
});
