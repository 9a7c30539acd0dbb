// diff <exercise>: your file against the reference solution. Asks first while the exercise is
// not passing, because seeing the answer early spoils the exercise.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from './command.ts';
import { oneExercise } from './selection.ts';
import { loadState } from './state.ts';

async function confirm(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await readline.question(question)).trim());
  } finally {
    readline.close();
  }
}

export const diff: Command = {
  name: 'diff',
  summary: 'compare your file with the reference solution',
  usage: 'diff <exercise>',
  details: 'Asks first if the exercise does not pass yet; --yes skips the question.',
  options: { yes: { type: 'boolean', short: 'y' } },
  async run({ positionals, values, root }) {
    const exercise = oneExercise(root, positionals);
    if (!existsSync(path.join(root, exercise.solution))) {
      // An instructor may publish the course without solutions/ (grading does not need them).
      console.error(`The solutions are not included in this copy of the course (${exercise.solution} is not here): ask your instructor.`);
      return 1;
    }
    if (loadState(root).exercises[exercise.id]?.status !== 'passed' && !values.yes) {
      const question = `${exercise.id} does not pass yet (or has not been checked). See the solution anyway? [y/N] `;
      if (!process.stdin.isTTY) {
        console.error(`${exercise.id} does not pass yet; run with --yes to see the solution anyway.`);
        return 1;
      }
      if (!(await confirm(question))) return 0;
    }
    // git's diff, outside any repository (--no-index): colours, and an exit code of 1 just
    // means "the files differ".
    const child = spawn('git', ['diff', '--no-index', process.stdout.isTTY ? '--color' : '--no-color', '--', exercise.starter, exercise.solution], {
      cwd: root,
      stdio: 'inherit',
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode ?? 2));
    });
    if (code === 0) console.log(`${path.basename(exercise.starter)} is the same as the solution.`);
    return code <= 1 ? 0 : code;
  },
};
