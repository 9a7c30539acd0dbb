// A vitest reporter for `workbook watch`: after every re-run, the outcome of each exercise it ran
// goes into the learner's record, as after check or npm test, so the overview is never stale.
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { loadCourse } from '../course/catalog.ts';
import { fileResult } from '../course/row-reporter.ts';
import { outcomeOf } from '../course/rows.ts';
import { recordRun } from './state.ts';

export default class WatchStateReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const root = process.env.WORKBOOK_STATE_ROOT;
    if (!root) return;
    const suites = new Map(modules.map(fileResult).map((result) => [path.relative(root, result.file), outcomeOf(result)]));
    recordRun(root, loadCourse(root).flatMap((lesson) => lesson.exercises), { suites });
  }
}
