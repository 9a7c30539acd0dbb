// npm run verify [-- <lesson or exercise>]: the maintainers' gate, and what CI runs.
// Typecheck, course layout, the harness's own tests, then for every exercise: the suite green
// on the solution and on every alternative, red on the untouched starter and on every
// known-wrong variant. One line per exercise with its time; a row that is not as expected says
// which test failed (or that none did) and why. Closes with the slowest rows, the total, and
// "N passed, N failed".
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { COURSE_ROOT, courseProblems, loadCourse, type Exercise, type Lesson } from './course/catalog.ts';
import { failures, runSuites, tail, type SuiteOutcome, type SuiteRun } from './course/suite-runs.ts';
import { selectExercises } from './course/select.ts';

interface Row {
  label: string;
  ok: boolean;
  detail: string;
  /** Seconds the row's suite files ran, summed over every target it was judged on. */
  seconds?: number;
}

const VARIANT_CONCURRENCY = 2;
/** Seconds of suite time per lesson that keep ten lessons within six minutes on two cores. */
const LESSON_BUDGET_SECONDS = 60;
// Rows that must be red stop each file at its first failure (shared/testing/stop-at-first-failure.ts).
const RED_ROW_ENV = { WORKBOOK_STOP_AT_FIRST_FAILURE: '1' };
/** A run that hangs is killed after this long per suite file it holds, and reported as not having run. */
const deadline = (files: number) => ({ timeoutMs: 150_000 * Math.max(1, files) });
const rows: Row[] = [];
const report = (row: Row) => {
  rows.push(row);
  const time = row.seconds === undefined ? '' : `${row.seconds.toFixed(1).padStart(6)} s  `;
  console.log(`${row.ok ? '✓' : '✗'} ${row.label.padEnd(30)} ${time}${row.detail}`);
};

async function main(): Promise<void> {
  const started = Date.now();
  const selector = process.argv[2];
  const course = loadCourse();
  const exercises = selector ? selectExercises(course, selector) : course.flatMap((lesson) => lesson.exercises);

  report(await checkTypes());
  const problems = courseProblems();
  report({ label: 'course layout', ok: problems.length === 0, detail: problems.length === 0 ? 'complete' : `\n  - ${problems.join('\n  - ')}` });
  if (!selector) report(summarise('harness tests', await runSuites({ project: 'harness', ...deadline(8) })));

  const suites = exercises.map((exercise) => exercise.suite);
  const onSolutions = await runSuites({ project: 'solutions', files: suites, ...deadline(suites.length) });
  const onStarters = await runSuites({
    project: 'exercises',
    files: suites,
    env: { WORKBOOK_TARGET: 'exercises', ...RED_ROW_ENV },
    ...deadline(suites.length),
  });
  const variants = await runVariants(exercises);
  for (const exercise of exercises) report(judge(exercise, onSolutions, onStarters, variants));

  closingLines(course, exercises, (Date.now() - started) / 1000);
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
  const failing = all.filter((suite) => !suite.passed).map((suite) => failures(suite)).join('\n');
  return { label, ok, seconds: run.seconds, detail: ok ? `${all.length} files, ${tests} tests green` : `red:\n${failing || tail(run)}` };
}

type VariantRuns = Map<string, SuiteRun>;

/**
 * Each mistake and alternative is its own run: the suite with one file swapped (a patch is
 * applied to the solution as the suite imports it; see shared/testing/target-plugin.ts).
 */
async function runVariants(exercises: Exercise[]): Promise<VariantRuns> {
  const jobs = exercises.flatMap((exercise) => [
    ...exercise.mistakes.map((variant) => ({ exercise, variant, env: RED_ROW_ENV })),
    ...exercise.alternatives.map((variant) => ({ exercise, variant, env: {} })),
  ]);
  const results: VariantRuns = new Map();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { exercise, variant, env } = jobs[next++]!;
      const substitute = { [`${exercise.lesson.dir}/${exercise.file}`]: variant.file };
      results.set(variant.file, await runSuites({ project: 'solutions', files: [exercise.suite], substitute, env, ...deadline(1) }));
    }
  };
  await Promise.all(Array.from({ length: VARIANT_CONCURRENCY }, worker));
  return results;
}

function judge(exercise: Exercise, onSolutions: SuiteRun, onStarters: SuiteRun, variants: VariantRuns): Row {
  const faults: string[] = [];
  const notes: string[] = [];
  let seconds = 0;
  const outcomeOf = (run: SuiteRun | undefined): SuiteOutcome | undefined => {
    const outcome = run?.suites.get(exercise.suite);
    seconds += outcome?.seconds ?? run?.run.seconds ?? 0;
    return outcome;
  };
  const solution = outcomeOf(onSolutions);
  if (!solution) faults.push(`the suite did not run on the solution:\n${tail(onSolutions.run)}`);
  else if (!solution.passed) faults.push(`solution red (${solution.failedTests}/${solution.tests} tests failing):\n${failures(solution)}`);
  else notes.push(`solution green (${solution.tests} tests)`);

  const starter = outcomeOf(onStarters);
  if (!starter) faults.push(`the suite did not run on the starter:\n${tail(onStarters.run)}`);
  else if (starter.passed) faults.push(`starter GREEN: all ${starter.tests} tests pass on the untouched starter, so the suite tests nothing`);
  else notes.push(`starter red (${starter.failedTests} failing)`);

  for (const [kind, list, wantPassed] of [['mistake', exercise.mistakes, false], ['alternative', exercise.alternatives, true]] as const) {
    for (const variant of list) {
      const run = variants.get(variant.file);
      const outcome = outcomeOf(run);
      if (!outcome) faults.push(`${kind} ${variant.name}: the suite did not run:\n${tail(run!.run)}`);
      else if (outcome.passed !== wantPassed) {
        faults.push(
          outcome.passed
            ? `mistake ${variant.name} PASSES all ${outcome.tests} tests (it must fail one): the suite does not catch it`
            : `alternative ${variant.name} FAILS the suite (it must pass):\n${failures(outcome)}`,
        );
      }
    }
    if (list.length > 0) notes.push(`${kind}s ${wantPassed ? 'green' : 'red'}: ${list.map((variant) => variant.name).join(', ')}`);
  }
  const detail = faults.length === 0 ? notes.join(' · ') : `\n  ${faults.join('\n  ')}`;
  return { label: exercise.id, ok: faults.length === 0, detail, seconds };
}

/** The slowest rows, lessons over their time budget, the total, and the count CI reads. */
function closingLines(course: Lesson[], exercises: Exercise[], totalSeconds: number): void {
  const timed = rows.filter((row) => row.seconds !== undefined).sort((a, b) => b.seconds! - a.seconds!);
  console.log(`\nslowest: ${timed.slice(0, 5).map((row) => `${row.label} ${row.seconds!.toFixed(1)} s`).join(', ')}`);
  for (const lesson of course) {
    const ids = new Set(lesson.exercises.filter((exercise) => exercises.includes(exercise)).map((exercise) => exercise.id));
    const seconds = rows.filter((row) => ids.has(row.label)).reduce((sum, row) => sum + (row.seconds ?? 0), 0);
    if (seconds > LESSON_BUDGET_SECONDS) {
      console.log(`over budget: ${lesson.dir} ran ${seconds.toFixed(0)} s of suites; a lesson's budget is ${LESSON_BUDGET_SECONDS} s`);
    }
  }
  const failed = rows.filter((row) => !row.ok).length;
  console.log(`verify took ${totalSeconds.toFixed(1)} s`);
  console.log(`${rows.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
