// npm run bench -- <lesson>: the measurements quoted in a lesson, reproduced on this machine.
// Each lesson's benchmark is bench/lessons/<NN-topic>.ts with a default export.
import { existsSync } from 'node:fs';
import { loadCourse } from '../scripts/course/catalog.ts';
import { selectExercises } from '../scripts/course/select.ts';
import { withBenchContext, type BenchContext } from './context.ts';

const selector = process.argv[2];
if (!selector) {
  console.error('usage: npm run bench -- <lesson>   e.g. npm run bench -- 01');
  process.exit(2);
}
const [exercise] = selectExercises(loadCourse(), selector);
const dir = exercise!.lesson.dir;
const file = new URL(`./lessons/${dir}.ts`, import.meta.url);
if (!existsSync(file)) {
  console.error(`Lesson ${dir} has no benchmark.`);
  process.exit(2);
}
const bench = (await import(file.href)) as { default: (context: BenchContext) => Promise<void> };
console.log(`Benchmark for ${dir} — node ${process.version}, ${new Date().toISOString()}`);
await withBenchContext(bench.default);
