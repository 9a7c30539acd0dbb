// npm run bench -- <lesson> [--rounds N] (default 5, at least 3): the measurements a lesson quotes, reproduced on this
// machine. Each lesson's benchmark is bench/lessons/<NN-topic>.ts; its comparisons run in
// interleaved rounds (compare.ts), and the result is written to bench/results/<NN-topic>.json
// with a chart beside it (.svg), which the reading shows and verify checks its quotes against.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCourse } from '../scripts/course/catalog.ts';
import { selectExercises } from '../scripts/course/select.ts';
import { chart } from './chart.ts';
import { compare, type Comparison, type ComparisonResult } from './compare.ts';
import { withBenchContext, type BenchContext } from './context.ts';
import { printComparison } from './report.ts';
import { chartFile, resultFile, type BenchResult } from './results.ts';

/** What a lesson's benchmark calls for each comparison; `reference` is the case ratios are printed against. */
export type Compare = (comparison: Comparison, reference: string) => Promise<ComparisonResult>;
export type LessonBench = (context: BenchContext, compare: Compare) => Promise<void>;

const { positionals, values } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
if (!positionals[0] || !Number.isInteger(rounds) || rounds < 3) {
  console.error('usage: npm run bench -- <lesson> [--rounds N]   (N ≥ 3; e.g. npm run bench -- 01)');
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
await withBenchContext((context) =>
  bench.default(context, async (comparison, reference) => {
    const result = await compare(comparison, rounds, (round) => process.stderr.write(`  ${comparison.id}: round ${round} of ${rounds} done\n`));
    printComparison(result, reference);
    comparisons.push(result);
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
mkdirSync(path.dirname(resultFile(lesson)), { recursive: true });
writeFileSync(resultFile(lesson), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(chartFile(lesson), chart(result));
console.log(`\nwritten: ${path.relative(process.cwd(), resultFile(lesson))} and ${path.relative(process.cwd(), chartFile(lesson))}`);
