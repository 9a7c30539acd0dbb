// What the sandbox's two sides share: the user learner code runs as, and how the grader hands
// its result to the host (one line, the last the container prints).
import type { GradeRun } from './grading.ts';

export const RESULT_PREFIX = 'workbook-sandbox-result ';
/** The user learner code runs as in the sandbox ("nobody"): not the judge's. */
export const LEARNER_USER = 65534;

/** The grade run on the last line of a container's output, or undefined when the last line is not one. */
export function lastResult(output: string): GradeRun | undefined {
  const last = output.trimEnd().split('\n').at(-1) ?? '';
  if (!last.startsWith(RESULT_PREFIX)) return undefined;
  try {
    return JSON.parse(last.slice(RESULT_PREFIX.length)) as GradeRun;
  } catch {
    return undefined;
  }
}
