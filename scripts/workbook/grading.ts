// Grading a learner's checkout: the course's own suites against that checkout's exercises, so
// a learner who edited a test gains nothing (edited tests are reported instead).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCourse, runsInOwnProcesses, type Exercise } from '../course/catalog.ts';
import { runSuites, stripAnsi } from '../course/suite-runs.ts';
import { exercisesProblem } from './checkout-files.ts';
import { readCanary, scanSource, solutionImport } from './tampering.ts';
import { canaryTitle, failingCanaryTitle } from '../../shared/testing/grading-markers.ts';

export interface GradedTest {
  name: string;
  status: 'passed' | 'failed';
  message?: string;
}

export interface GradedExercise {
  id: string;
  lesson: string;
  title: string;
  /** passed: every test passed; failed: some did not; error: the suite could not run; tampered: see `tampering`. */
  status: 'passed' | 'failed' | 'error' | 'tampered';
  message?: string;
  /** What showed that the learner's code reached into the judge (then 0 points). */
  tampering?: string[];
  tests: GradedTest[];
  points: number;
  maxPoints: number;
}

/** The JSON format's document (format "json"); documented in the README. */
export interface Grade {
  version: 1;
  checkout: string;
  gradedAt: string;
  total: { points: number; maxPoints: number };
  exercises: GradedExercise[];
  /** Test files in the checkout that are not the course's: they were not used. */
  editedTests: { file: string; change: 'modified' | 'missing' }[];
}

export interface GradeRun {
  grade: Grade;
  /** vitest's own JUnit XML for the same run. */
  junit: string;
  /** The course's suite source of each graded exercise, by exercise id (for a test's code). */
  suiteSources: Record<string, string>;
}

/**
 * The source of one test in a suite file, found by its title (the end of the test's full name):
 * from its `test(` line to the line that closes it at the same indentation (the course's suites
 * are formatted that way). Empty when not found.
 */
export function testSource(suite: string, fullName: string): string {
  const lines = suite.split('\n');
  let best: { line: number; length: number } | undefined;
  for (const match of suite.matchAll(/^[ \t]*test(?:\.\w+)?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/gm)) {
    const title = match[2]!.replace(/\\(.)/g, '$1');
    if (!fullName.endsWith(title) || (best && best.length >= title.length)) continue;
    best = { line: suite.slice(0, match.index).split('\n').length - 1, length: title.length };
  }
  if (!best) return '';
  const indent = /^\s*/.exec(lines[best.line]!)![0];
  const end = lines.findIndex((line, i) => i > best.line && line.startsWith(`${indent}}`));
  return lines.slice(best.line, end === -1 ? best.line + 1 : end + 1).join('\n');
}

/**
 * A failure message as a report may carry it: no colour codes, no stack frames inside
 * node_modules, paths relative to the checkout or the course instead of absolute, and cut.
 */
export function forReport(message: string, root: string, checkout: string): string {
  const relative = (text: string, dir: string, label: string) => text.split(path.resolve(dir) + path.sep).join(label);
  const lines = stripAnsi(message)
    .split('\n')
    .filter((line) => !/^\s*(at |❯ ).*node_modules/.test(line));
  return relative(relative(lines.join('\n'), checkout, '<checkout>/'), root, '<course>/').slice(0, 2_000);
}

export function editedTests(root: string, checkout: string, exercises: Exercise[]): Grade['editedTests'] {
  return exercises.flatMap((exercise): Grade['editedTests'] => {
    const theirs = path.join(checkout, exercise.suite);
    if (!existsSync(theirs)) return [{ file: exercise.suite, change: 'missing' }];
    return readFileSync(theirs, 'utf8') === readFileSync(path.join(root, exercise.suite), 'utf8') ? [] : [{ file: exercise.suite, change: 'modified' }];
  });
}

export async function gradeCheckout(
  root: string,
  checkout: string,
  exercises: Exercise[] = loadCourse(root).flatMap((lesson) => lesson.exercises),
  /** The services' URLs (see services.ts). */
  env: NodeJS.ProcessEnv = {},
  /** More vitest arguments (the sandbox's, for a course mounted read-only). */
  vitestArgs: string[] = [],
): Promise<GradeRun> {
  const foreign = path.resolve(checkout) !== path.resolve(root);
  const problem = foreign ? exercisesProblem(checkout) : null;
  if (problem) throw new Error(`${checkout} is not graded: ${problem}`);
  // A new token per run: learner code cannot know the canary's title or values in advance.
  const canary = randomBytes(8).toString('hex');
  const result = await runSuites({
    project: 'exercises',
    files: exercises.map((exercise) => exercise.suite),
    env: { ...env, WORKBOOK_TARGET: path.join(checkout, 'exercises'), WORKBOOK_CANARY: canary },
    // Another checkout's code gets none of the grader's environment (tokens, keys, paths).
    inheritEnv: !foreign,
    junit: true,
    args: vitestArgs,
  });
  if (!result.run.report) throw new Error(`the tests could not run:\n${stripAnsi(result.run.output).split('\n').slice(-30).map((line) => line.slice(0, 500)).join('\n')}`);
  // vitest sends one report of each kind; another one came from the learner's side of the run.
  const forged = result.run.extraReports.length > 0 ? [`a second ${result.run.extraReports[0]} report reached the grader: something in the run forged one`] : [];
  const graded = exercises.map((exercise): GradedExercise => {
    const outcome = result.suites.get(exercise.suite);
    const learnerFile = path.join(checkout, 'exercises', exercise.lesson.dir, exercise.file);
    const scanned = existsSync(learnerFile) ? scanSource(readFileSync(learnerFile, 'utf8'), { ownProcess: runsInOwnProcesses(exercise, root) }) : [];
    // The canary is judged only where the tests ran: a file that could not load is an error.
    const ran = !!outcome && outcome.results.length > 0 && !outcome.hung;
    const checked = ran ? readCanary(canary, outcome.results, outcome.message) : { findings: [], results: outcome?.results ?? [] };
    const tampering = [...scanned.map((finding) => `${exercise.file} ${finding}`), ...checked.findings, ...solutionImport(outcome?.message ?? ''), ...forged];
    const tests: GradedTest[] = checked.results.map((test) => ({
      name: test.fullName || test.title,
      status: test.status === 'passed' ? 'passed' : 'failed',
      ...(test.failureMessages.length ? { message: forReport(test.failureMessages.join('\n'), root, checkout) } : {}),
    }));
    const passed = ran && checked.results.length > 0 && checked.results.every((test) => test.status === 'passed') && !outcome.message;
    const status = tampering.length > 0 ? 'tampered' : !ran ? 'error' : passed ? 'passed' : 'failed';
    return {
      id: exercise.id,
      lesson: exercise.lesson.dir,
      title: exercise.title,
      status,
      ...(status === 'error' ? { message: forReport(outcome?.message || 'the suite did not run', root, checkout) } : {}),
      ...(status === 'tampered' ? { tampering } : {}),
      tests,
      points: status === 'passed' ? exercise.points : 0,
      maxPoints: exercise.points,
    };
  });
  const grade: Grade = {
    version: 1,
    checkout,
    gradedAt: new Date().toISOString(),
    total: { points: graded.reduce((sum, e) => sum + e.points, 0), maxPoints: graded.reduce((sum, e) => sum + e.maxPoints, 0) },
    exercises: graded,
    editedTests: editedTests(root, checkout, exercises),
  };
  // Some tools colour their messages whatever FORCE_COLOR says; escape codes are not XML.
  const suiteSources = Object.fromEntries(exercises.map((exercise) => [exercise.id, readFileSync(path.join(root, exercise.suite), 'utf8')]));
  const junit = withoutCanary(stripAnsi(result.run.junit ?? ''), canary);
  return { grade, suiteSources, junit };
}

/** vitest's JUnit XML without the canary's test cases, with the suites' and the run's counts to match. */
export function withoutCanary(junit: string, token: string): string {
  const titles = [canaryTitle(token), failingCanaryTitle(token)].map((title) => title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const canaryCase = new RegExp(`\\s*<testcase [^>]*name="[^"]*(?:${titles.join('|')})"[^>]*?(?:/>|>[\\s\\S]*?</testcase>)`, 'g');
  const suites = junit.replace(/<testsuite ([^>]*)>([\s\S]*?)<\/testsuite>/g, (whole, attributes: string, body: string) => {
    const found = body.match(canaryCase) ?? [];
    if (found.length === 0) return whole;
    const failed = found.filter((testCase) => testCase.includes('<failure')).length;
    const counted = attributes
      .replace(/\btests="(\d+)"/, (_, n: string) => `tests="${Number(n) - found.length}"`)
      .replace(/\bfailures="(\d+)"/, (_, n: string) => `failures="${Number(n) - failed}"`);
    return `<testsuite ${counted}>${body.replace(canaryCase, '')}</testsuite>`;
  });
  const total = (name: string) => [...suites.matchAll(new RegExp(`<testsuite [^>]*\\b${name}="(\\d+)"`, 'g'))].reduce((sum, match) => sum + Number(match[1]), 0);
  return suites.replace(/<testsuites ([^>]*)>/, (_, attributes: string) =>
    `<testsuites ${attributes.replace(/\btests="\d+"/, `tests="${total('tests')}"`).replace(/\bfailures="\d+"/, `failures="${total('failures')}"`)}>`,
  );
}
