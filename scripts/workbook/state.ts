// The learner's record, kept in .workbook/ (ignored by git): the outcome of each exercise's last
// real run, and how many hints were shown.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Exercise } from '../course/catalog.ts';
import type { SuiteOutcome } from '../course/suite-runs.ts';

export interface ExerciseRecord {
  status: 'passed' | 'failing';
  /** ISO time of the run. */
  at: string;
  tests: number;
  failedTests: number;
}

export interface WorkbookState {
  version: 1;
  exercises: Record<string, ExerciseRecord>;
  hintsShown: Record<string, number>;
}

export function stateDir(root: string): string {
  return path.join(root, '.workbook');
}

function stateFile(root: string): string {
  return path.join(stateDir(root), 'state.json');
}

export function loadState(root: string): WorkbookState {
  if (!existsSync(stateFile(root))) return { version: 1, exercises: {}, hintsShown: {} };
  try {
    const state = JSON.parse(readFileSync(stateFile(root), 'utf8')) as WorkbookState;
    return { version: 1, exercises: state.exercises ?? {}, hintsShown: state.hintsShown ?? {} };
  } catch {
    return { version: 1, exercises: {}, hintsShown: {} }; // a damaged record is only a record
  }
}

export function saveState(root: string, state: WorkbookState): void {
  mkdirSync(stateDir(root), { recursive: true });
  writeFileSync(stateFile(root), `${JSON.stringify(state, null, 2)}\n`);
}

/** Stores the outcome of every exercise whose suite the run reported. */
export function recordRun(
  root: string,
  exercises: Exercise[],
  { suites }: { suites: Map<string, Pick<SuiteOutcome, 'passed' | 'tests' | 'failedTests'>> },
): void {
  const state = loadState(root);
  const at = new Date().toISOString();
  for (const exercise of exercises) {
    const outcome = suites.get(exercise.suite);
    if (!outcome) continue;
    state.exercises[exercise.id] = { status: outcome.passed ? 'passed' : 'failing', at, tests: outcome.tests, failedTests: outcome.failedTests };
  }
  saveState(root, state);
}
