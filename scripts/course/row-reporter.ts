// A vitest reporter for verify's rows: each suite file's outcome under the row (project) that
// ran it, written as JSON to WORKBOOK_ROWS_OUT. vitest's JSON reporter does not say which
// project a file ran in, and in a rows run the same file runs in many.
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export interface RowFileResult {
  row: string;
  file: string;
  passed: boolean;
  message: string;
  seconds: number;
  tests: { title: string; fullName: string; ancestorTitles: string[]; status: string; failureMessages: string[] }[];
}

/** One suite file's outcome, as a reporter sees it at the end of a run (also for watch's record). */
export function fileResult(module: TestModule): RowFileResult {
  const tests = [...module.children.allTests()].map((test) => ({
    title: test.name,
    fullName: test.fullName,
    ancestorTitles: [],
    status: test.result().state,
    failureMessages: (test.result().errors ?? []).map((error) => error.message),
  }));
  return {
    row: module.project.name,
    file: module.moduleId,
    passed: module.state() === 'passed',
    message: module.errors().map((error) => error.message).join('\n'),
    seconds: module.diagnostic().duration / 1000,
    tests,
  };
}

export default class RowReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const out = process.env.WORKBOOK_ROWS_OUT;
    if (out) writeFileSync(out, JSON.stringify(modules.map(fileResult)));
  }
}
