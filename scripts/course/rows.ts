// Runs many rows (one suite setup each: a target, substituted files, suite files) in one vitest
// process (see rows.config.ts), and reads each row's outcome per suite file.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COURSE_ROOT } from './catalog.ts';
import type { RowFileResult } from './row-reporter.ts';
import { markHung, type SuiteOutcome, type SuiteRun } from './suite-runs.ts';
import { runVitest } from './vitest-process.ts';

export interface RowSpec {
  /** Unique in the run: the project's name. */
  name: string;
  /** 'exercises' or 'solutions' (relative to the course root); null for the harness's own tests. */
  target: string | null;
  /** Exercise-relative file → course-relative replacement. */
  substitutes: Record<string, string>;
  /** Suite files, relative to the course root (or globs). */
  files: string[];
  /** Skip a file's remaining tests after its first failure (rows that must be red). */
  stopAtFirstFailure: boolean;
  /** Run only these tests of these files (suite file → full test names; see only-named-tests.ts). */
  onlyTests?: Record<string, string[]>;
}

/** A suite file's outcome as the checks and the learner's record read it. */
export function outcomeOf(result: RowFileResult): SuiteOutcome {
  return {
    passed: result.passed,
    tests: result.tests.length,
    failedTests: result.tests.filter((test) => test.status === 'failed').length,
    results: result.tests,
    message: result.message,
    seconds: result.seconds,
  };
}

/** Each row's outcome, as a SuiteRun whose `run` is the shared process's. */
export async function runRows(rows: RowSpec[], timeoutMs?: number): Promise<Map<string, SuiteRun>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'workbook-rows-'));
  const out = path.join(dir, 'rows.json');
  // The rows go in a file, not in the environment: a variable is limited to 128 KiB on Linux
  // (spawn fails with E2BIG), and a course of ten lessons with their variants outgrows that.
  const input = path.join(dir, 'rows-in.json');
  try {
    await writeFile(input, JSON.stringify(rows));
    const run = await runVitest({
      args: ['--config', 'scripts/course/rows.config.ts', '--reporter=./scripts/course/row-reporter.ts'],
      env: { WORKBOOK_ROWS_FILE: input, WORKBOOK_ROWS_OUT: out },
      timeoutMs,
    });
    const results = await readFile(out, 'utf8').then((text) => JSON.parse(text) as RowFileResult[], () => []);
    const byRow = new Map<string, SuiteRun>(rows.map((row) => [row.name, { run, suites: new Map() }]));
    for (const result of results) byRow.get(result.row)?.suites.set(path.relative(COURSE_ROOT, result.file), outcomeOf(result));
    // A stopped worker's file (in its row, or in every row holding it if it hung while loading).
    for (const hung of run.hung) {
      for (const [name, row] of byRow) if (!hung.project || hung.project === name) markHung(row.suites, hung);
    }
    return byRow;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
