// test [vitest filters…]: what `npm test` runs. vitest on the learner's exercises, recording each
// exercise's outcome for the overview. Run from inside exercises/NN-topic/, it runs that lesson.
import path from 'node:path';
import { loadCourse } from '../course/catalog.ts';
import { runSuites } from '../course/suite-runs.ts';
import type { Command } from './command.ts';
import { selectedMany } from './selection.ts';
import { withServices } from './services.ts';
import { recordRun } from './state.ts';

/** npm runs scripts from the package root and says where it was started in INIT_CWD. */
export function lessonFromCwd(root: string, initCwd = process.env.INIT_CWD): string | undefined {
  if (!initCwd) return undefined;
  const relative = path.relative(path.join(root, 'exercises'), initCwd);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return `exercises/${relative.split(path.sep)[0]}/`;
}

export const test: Command = {
  name: 'test',
  summary: 'run the exercises\' tests (what npm test does): all, or the lessons and exercises named, e.g. 01 or 02-queries/indexes',
  usage: 'test [lesson|exercise…]',
  details: 'Inside exercises/NN-topic/, `npm test` runs that lesson only. Other vitest flags: npx vitest run --project exercises …',
  async run({ positionals, root }) {
    // Named lessons and exercises resolve exactly ("1" never matches 10-…); none: the lesson the
    // command was started in, else everything.
    const filters =
      positionals.length > 0
        ? selectedMany(root, positionals).map((exercise) => exercise.suite)
        : [lessonFromCwd(root)].filter((filter): filter is string => Boolean(filter));
    return withServices(async (env) => {
      const result = await runSuites({ project: 'exercises', files: filters, echo: true, env });
      if (result.run.report) recordRun(root, loadCourse(root).flatMap((lesson) => lesson.exercises), result);
      return result.run.code;
    });
  },
};
