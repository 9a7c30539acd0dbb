// watch <lesson|exercise>: vitest's watch mode on just those suites; re-runs on every save.
import { spawn } from 'node:child_process';
import { VITEST_BIN } from '../course/vitest-process.ts';
import { SELECTOR_HELP, type Command } from './command.ts';
import { selected } from './selection.ts';

export const watch: Command = {
  name: 'watch',
  summary: 're-run one lesson or exercise every time you save (q to quit)',
  usage: 'watch <lesson|exercise>',
  details: SELECTOR_HELP,
  async run({ positionals, root }) {
    const exercises = selected(root, positionals);
    // The default reporter for the learner, and one that records each re-run's outcome.
    const reporters = ['--reporter=default', '--reporter=./scripts/workbook/watch-reporter.ts'];
    const child = spawn(process.execPath, [VITEST_BIN, 'watch', '--project', 'exercises', ...reporters, ...exercises.map((exercise) => exercise.suite)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, WORKBOOK_STATE_ROOT: root },
    });
    return new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 0)));
  },
};
