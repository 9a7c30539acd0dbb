// npm run bench -- <lesson> [--rounds N] [--record]: the measurements a lesson quotes, reproduced
// on this machine. Each lesson's benchmark is bench/lessons/<NN-topic>.ts; its comparisons run in
// interleaved rounds (compare.ts; 5 by default, at least 3). A reader's run is written to
// .workbook/bench/ and compared with the committed result, ratio by ratio; --record (for the
// maintainers) writes bench/results/<NN-topic>.json and its chart instead, which the reading
// shows and verify checks its quotes against.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCourse } from '../scripts/course/catalog.ts';
import { selectExercises } from '../scripts/course/select.ts';
import { chart } from './chart.ts';
import { compare, ratioOf, type Comparison, type ComparisonResult } from './compare.ts';
import { withBenchContext, type BenchContext } from './context.ts';
import { formatRatio, printComparison } from './report.ts';
import { chartFile, resultFile, type BenchResult } from './results.ts';

/** What a lesson's benchmark calls for each comparison; `reference` is the case ratios are printed against. */
export type Compare = (comparison: Comparison, reference: string) => Promise<ComparisonResult>;
export type LessonBench = (context: BenchContext, compare: Compare) => Promise<void>;

const { positionals, values } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '5' }, record: { type: 'boolean', default: false } } });
const rounds = Number(values.rounds);
if (!positionals[0] || !Number.isInteger(rounds) || rounds < 3) {
  console.error('usage: npm run bench -- <lesson> [--rounds N] [--record]   (N ≥ 3; e.g. npm run bench -- 01)');
  process.exit(2);
}
const [exercise] = selectExercises(loadCourse(), positionals[0]);
const lesson = exercise!.lesson.dir;
const file = new URL(`./lessons/${lesson}.ts`, import.meta.url);
if (!existsSync(file)) {
  console.error(`Lesson ${lesson} has no benchmark.`);
  process.exit(2);
}
const bench = (await import(file.href)) as { default: LessonBench };
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
console.log(`Benchmark for ${lesson}: ${rounds} interleaved rounds per comparison; node ${machine.node}, ${machine.cpus} cores (${machine.cpuModel})`);

const comparisons: ComparisonResult[] = [];
const references = new Map<string, string>();
await withBenchContext((context) =>
  bench.default(context, async (comparison, reference) => {
    const result = await compare(comparison, rounds, (round) => process.stderr.write(`  ${comparison.id}: round ${round} of ${rounds} done\n`));
    printComparison(result, reference);
    comparisons.push(result);
    references.set(result.id, reference);
    return result;
  }),
);

const result: BenchResult = {
  version: 1,
  lesson,
  command: `npm run bench -- ${lesson.slice(0, 2)}${rounds === 5 ? '' : ` --rounds ${rounds}`}`,
  date: new Date().toISOString(),
  machine,
  rounds,
  comparisons,
};
const committed = existsSync(resultFile(lesson)) ? (JSON.parse(readFileSync(resultFile(lesson), 'utf8')) as BenchResult) : undefined;
const [json, svg] = values.record ? [resultFile(lesson), chartFile(lesson)] : [`.workbook/bench/${lesson}.json`, `.workbook/bench/${lesson}.svg`];
mkdirSync(path.dirname(path.resolve(json)), { recursive: true });
writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(svg, chart(result));
console.log(`\nwritten: ${path.relative(process.cwd(), path.resolve(json))} and ${path.relative(process.cwd(), path.resolve(svg))}`);
if (!values.record && committed) compareWithCommitted(committed);

/** Each ratio to its reference, this run's median against the committed median and range. */
function compareWithCommitted(before: BenchResult): void {
  console.log(`\nAgainst the reading's figures (bench/results/${lesson}.json, ${before.machine.cpus} cores, ${before.date.slice(0, 10)}):`);
  for (const now of comparisons) {
    const then = before.comparisons.find((candidate) => candidate.id === now.id);
    const reference = references.get(now.id)!;
    for (const bench of now.cases) {
      if (bench.label === reference || !then) continue;
      const mine = ratioOf(now, bench.label, reference);
      const theirs = then.ratios.find((ratio) => ratio.of === bench.label && ratio.to === reference);
      if (!theirs) continue;
      const within = mine.median >= theirs.min && mine.median <= theirs.max;
      console.log(
        `  ${within ? '✓' : '✗'} ${now.id}: ${bench.label} / ${reference}: ${formatRatio(mine.median)} here, ${formatRatio(theirs.median)} ` +
          `(${formatRatio(theirs.min)}–${formatRatio(theirs.max)}) in the reading${within ? '' : ': outside its range (another machine, or a busy one?)'}`,
      );
    }
  }
}
