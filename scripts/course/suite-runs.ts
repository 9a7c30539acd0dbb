// Running the course's suites for the checks: which suite files passed or failed in one run.
import path from 'node:path';
import { runVitest, type VitestReport, type VitestRun } from './vitest-process.ts';
import { hungMessage, type HungFile } from './watchdog.ts';
import { COURSE_ROOT } from './catalog.ts';

export interface SuiteOutcome {
  passed: boolean;
  tests: number;
  failedTests: number;
  /** Each test as vitest's JSON reporter gave it. */
  results: VitestReport['testResults'][number]['assertionResults'];
  /** Set when the file failed before its tests ran (an import error, a hook that threw). */
  message: string;
  /** How long the file took, by vitest's report. */
  seconds: number;
  /** The watchdog stopped it (a blocked event loop); `message` says where. */
  hung?: boolean;
}

export interface SuiteRun {
  run: VitestRun;
  /** By suite path relative to the course root; a suite vitest never reported is absent. */
  suites: Map<string, SuiteOutcome>;
}

export interface SuiteRunOptions {
  project: 'exercises' | 'solutions' | 'harness';
  /** Suite files (relative to the root); all of the project's when omitted. */
  files?: string[];
  /** Exercise-relative file → course-relative replacement (see target-plugin.ts). */
  substitute?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** More vitest arguments (e.g. a JUnit reporter). */
  args?: string[];
  /** Print vitest's output while it runs. */
  echo?: boolean;
  /** Kill the run after this long (see runVitest). */
  timeoutMs?: number;
  /** Pass this process's environment on (default); false passes only what a run needs (see runVitest). */
  inheritEnv?: boolean;
  /** Stop a worker whose event loop has not turned for this long (see watchdog.ts). */
  hungAfterMs?: number;
  /** Stop a worker that turns but waits this long in one place (see watchdog.ts). */
  stuckAfterMs?: number;
  /** Also take vitest's JUnit XML (see runVitest). */
  junit?: boolean;
}

export async function runSuites({ project, files = [], substitute, env = {}, args = [], echo, timeoutMs, inheritEnv, hungAfterMs, stuckAfterMs, junit }: SuiteRunOptions): Promise<SuiteRun> {
  const substitutes = substitute
    ? JSON.stringify(Object.fromEntries(Object.entries(substitute).map(([from, to]) => [from, path.join(COURSE_ROOT, to)])))
    : undefined;
  const run = await runVitest({
    args: ['--project', project, ...args, ...files],
    env: { ...env, ...(substitutes ? { WORKBOOK_SUBSTITUTE: substitutes } : {}) },
    echo,
    timeoutMs,
    inheritEnv,
    hungAfterMs,
    stuckAfterMs,
    junit,
  });
  const suites = new Map<string, SuiteOutcome>();
  for (const result of run.report?.testResults ?? []) {
    const failedTests = result.assertionResults.filter((test) => test.status === 'failed').length;
    suites.set(path.relative(COURSE_ROOT, result.name), {
      passed: result.status === 'passed',
      tests: result.assertionResults.length,
      failedTests,
      results: result.assertionResults,
      message: result.message,
      seconds: Math.max(0, (result.endTime - result.startTime) / 1000),
    });
  }
  // A file whose worker the watchdog stopped can still be reported as passed by vitest.
  for (const hung of run.hung) markHung(suites, hung);
  return { run, suites };
}

/** Marks a suite file the watchdog stopped as failed, with the learner's message. */
export function markHung(suites: Map<string, SuiteOutcome>, hung: HungFile): void {
  const file = path.relative(COURSE_ROOT, hung.file);
  const outcome = suites.get(file);
  const message = hungMessage(hung);
  // vitest may list the stuck test as passed: it is the one that failed.
  const results = (outcome?.results ?? []).map((test) => (test.title === hung.test ? { ...test, status: 'failed', failureMessages: [message] } : test));
  const failedTests = results.filter((test) => test.status === 'failed').length;
  suites.set(file, { passed: false, tests: results.length, failedTests, results, message, seconds: outcome?.seconds ?? 0, hung: true });
}

/** What failed in a suite file, for a report: the file's own error, else each failing test and its message. */
export function failures(outcome: SuiteOutcome, { tests = 3, lines = 6 } = {}): string {
  const clip = (text: string) =>
    stripAnsi(text).trim().split('\n').filter((line) => !/^\s+at /.test(line)).slice(0, lines).map((line) => `      ${line}`).join('\n');
  if (outcome.message) return `    file failed: \n${clip(outcome.message)}`;
  const failed = outcome.results.filter((test) => test.status === 'failed');
  const shown = failed.slice(0, tests).map((test) => `    ✗ ${test.fullName}\n${clip(test.failureMessages.join('\n'))}`);
  if (failed.length > tests) shown.push(`    … and ${failed.length - tests} more failing`);
  return shown.join('\n');
}

/**
 * Text without terminal control: colour codes, every other escape sequence (a learner's message
 * could set the terminal's title, clear the screen or hide what follows) and control characters
 * but newline and tab.
 */
export function stripAnsi(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
  );
}

/** The last lines of a run's output, for a failure report. */
export function tail(run: VitestRun, lines = 25): string {
  return run.output.trimEnd().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
}
