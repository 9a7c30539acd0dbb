// npm run verify [-- <lesson or exercise>]: the maintainers' gate, and what CI runs.
// Typecheck, course layout, the harness's own tests, then for every exercise: the suite green
// on the solution and on every alternative, red on the untouched starter and on every
// known-wrong variant. One line per exercise, then "N passed, N failed".
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { COURSE_ROOT, courseProblems, loadCourse, type Exercise } from './course/catalog.ts';
import { runSuites, tail, type SuiteRun } from './course/suite-runs.ts';
import { selectExercises } from './course/select.ts';
import { materialize, removeMaterialized } from './course/variants.ts';

interface Row {
  label: string;
  ok: boolean;
  detail: string;
}

const VARIANT_CONCURRENCY = 2;
const rows: Row[] = [];
const report = (row: Row) => {
  rows.push(row);
  console.log(`${row.ok ? '✓' : '✗'} ${row.label.padEnd(30)} ${row.detail}`);
};

async function main(): Promise<void> {
  const started = Date.now();
  const selector = process.argv[2];
  const exercises = selector ? selectExercises(loadCourse(), selector) : loadCourse().flatMap((lesson) => lesson.exercises);

  report(await checkTypes());
  const problems = courseProblems();
  report({ label: 'course layout', ok: problems.length === 0, detail: problems.length === 0 ? 'complete' : `\n  - ${problems.join('\n  - ')}` });
  if (!selector) report(summarise('harness tests', await runSuites({ project: 'harness' })));

  const suites = exercises.map((exercise) => exercise.suite);
  const onSolutions = await runSuites({ project: 'solutions', files: suites });
  const onStarters = await runSuites({ project: 'exercises', files: suites, env: { WORKBOOK_TARGET: 'exercises' } });
  const variants = await runVariants(exercises);
  for (const exercise of exercises) report(judge(exercise, onSolutions, onStarters, variants));

  const failed = rows.filter((row) => !row.ok).length;
  console.log(`\nverify took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${rows.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

async function checkTypes(): Promise<Row> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-p', '.'], { cwd: COURSE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.once('close', (exitCode) => resolve(exitCode ?? 1)));
  return { label: 'typecheck', ok: code === 0, detail: code === 0 ? 'tsc clean' : `\n${output.trimEnd()}` };
}

function summarise(label: string, { run, suites }: SuiteRun): Row {
  const all = [...suites.values()];
  const ok = run.code === 0 && all.length > 0 && all.every((suite) => suite.passed);
  const tests = all.reduce((sum, suite) => sum + suite.tests, 0);
  return { label, ok, detail: ok ? `${all.length} files, ${tests} tests green` : `red:\n${tail(run)}` };
}

type VariantRuns = Map<string, SuiteRun>;

/**
 * Each mistake and alternative is its own run: the suite with one file swapped. Variants kept
 * as patches are applied to their solutions first, and removed afterwards.
 */
async function runVariants(exercises: Exercise[]): Promise<VariantRuns> {
  const jobs = exercises.flatMap((exercise) =>
    [...exercise.mistakes, ...exercise.alternatives].map((variant) => ({ exercise, variant })),
  );
  const results: VariantRuns = new Map();
  const written: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { exercise, variant } = jobs[next++]!;
      let file: string;
      try {
        file = materialize(exercise, variant);
      } catch (error) {
        // Reported as a suite that did not run, with the reason as its output.
        results.set(variant.file, { run: { code: 1, output: (error as Error).message, seconds: 0 }, suites: new Map() });
        continue;
      }
      written.push(file);
      const substitute = { [`${exercise.lesson.dir}/${exercise.file}`]: file };
      results.set(variant.file, await runSuites({ project: 'solutions', files: [exercise.suite], substitute }));
    }
  };
  try {
    await Promise.all(Array.from({ length: VARIANT_CONCURRENCY }, worker));
  } finally {
    removeMaterialized(written);
  }
  return results;
}

function judge(exercise: Exercise, onSolutions: SuiteRun, onStarters: SuiteRun, variants: VariantRuns): Row {
  const faults: string[] = [];
  const notes: string[] = [];
  const solution = onSolutions.suites.get(exercise.suite);
  if (!solution) faults.push(`the suite did not run on the solution:\n${tail(onSolutions.run)}`);
  else if (!solution.passed) faults.push(`solution red (${solution.failedTests}/${solution.tests} tests failing)`);
  else notes.push(`solution green (${solution.tests} tests)`);

  const starter = onStarters.suites.get(exercise.suite);
  if (!starter) faults.push(`the suite did not run on the starter:\n${tail(onStarters.run)}`);
  else if (starter.passed) faults.push('starter GREEN: the untouched starter passes, so the suite tests nothing');
  else notes.push(`starter red (${starter.failedTests}/${starter.tests} failing)`);

  for (const [kind, list, wantPassed] of [['mistake', exercise.mistakes, false], ['alternative', exercise.alternatives, true]] as const) {
    for (const variant of list) {
      const outcome = variants.get(variant.file)?.suites.get(exercise.suite);
      if (!outcome) faults.push(`${kind} ${variant.name}: the suite did not run:\n${tail(variants.get(variant.file)!.run)}`);
      else if (outcome.passed !== wantPassed) {
        faults.push(`${kind} ${variant.name} ${outcome.passed ? 'PASSES the suite (it must fail)' : 'FAILS the suite (it must pass)'}`);
      }
    }
    if (list.length > 0) notes.push(`${kind}s ${wantPassed ? 'green' : 'red'}: ${list.map((variant) => variant.name).join(', ')}`);
  }
  return { label: exercise.id, ok: faults.length === 0, detail: faults.length === 0 ? notes.join(' · ') : faults.join('; ') };
}

await main();
