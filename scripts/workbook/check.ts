// check <lesson|exercise>: run just those suites, show vitest's output, then a short summary.
import type { Exercise } from '../course/catalog.ts';
import { runSuites, type SuiteRun } from '../course/suite-runs.ts';
import { SELECTOR_HELP, type Command } from './command.ts';
import { selected } from './selection.ts';
import { withServices } from './services.ts';
import { recordRun } from './state.ts';

export function summary(exercises: Exercise[], result: SuiteRun): string[] {
  const width = Math.max(...exercises.map((exercise) => exercise.id.length));
  return exercises.map((exercise) => {
    const outcome = result.suites.get(exercise.suite);
    if (!outcome) return `  ?  ${exercise.id.padEnd(width)}  did not run (see the output above)`;
    if (outcome.hung) return `  ✗  ${exercise.id.padEnd(width)}  ${outcome.message} → ${exercise.lesson.reading}`;
    if (outcome.passed) return `  ✓  ${exercise.id.padEnd(width)}  ${outcome.tests} of ${outcome.tests} tests pass`;
    const why = outcome.tests === 0 ? 'the file failed before its tests ran' : `${outcome.failedTests} of ${outcome.tests} tests failing`;
    return `  ✗  ${exercise.id.padEnd(width)}  ${why} → ${exercise.lesson.reading}`;
  });
}

export const check: Command = {
  name: 'check',
  summary: 'run one lesson or exercise, with a summary after vitest\'s output',
  usage: 'check <lesson|exercise>',
  details: SELECTOR_HELP,
  async run({ positionals, root }) {
    const exercises = selected(root, positionals);
    return withServices(async (env) => {
      const result = await runSuites({ project: 'exercises', files: exercises.map((exercise) => exercise.suite), echo: true, env });
      if (!result.run.report) {
        console.log('\nThe run stopped before any test ran; the message above says why.');
        return 1;
      }
      recordRun(root, exercises, result);
      console.log(['', `── workbook check ${positionals[0]} ──`, ...summary(exercises, result)].join('\n'));
      return exercises.every((exercise) => result.suites.get(exercise.suite)?.passed) ? 0 : 1;
    });
  },
};
