// Running the course's suites for the checks: which suite files passed or failed in one run.
import path from 'node:path';
import { runVitest, type VitestReport, type VitestRun } from '../../shared/testing/vitest-process.ts';
import { COURSE_ROOT } from './catalog.ts';

export interface SuiteOutcome {
  passed: boolean;
  tests: number;
  failedTests: number;
  /** Each test as vitest's JSON reporter gave it. */
  results: VitestReport['testResults'][number]['assertionResults'];
  /** Set when the file failed before its tests ran (an import error, a hook that threw). */
  message: string;
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
}

export async function runSuites({ project, files = [], substitute, env = {}, args = [], echo }: SuiteRunOptions): Promise<SuiteRun> {
  const substitutes = substitute
    ? JSON.stringify(Object.fromEntries(Object.entries(substitute).map(([from, to]) => [from, path.join(COURSE_ROOT, to)])))
    : undefined;
  const run = await runVitest({
    args: ['--project', project, ...args, ...files],
    env: { ...env, ...(substitutes ? { WORKBOOK_SUBSTITUTE: substitutes } : {}) },
    echo,
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
    });
  }
  return { run, suites };
}

/** The last lines of a run's output, for a failure report. */
export function tail(run: VitestRun, lines = 25): string {
  return run.output.trimEnd().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
}
