// reset <exercise>: put the starter back as the course shipped it, keeping a backup of yours.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, type Command } from './command.ts';
import { oneExercise } from './selection.ts';
import { loadState, saveState, stateDir } from './state.ts';

/**
 * Where the course's own version of a file is: WORKBOOK_COURSE_REF if set; else the commit this
 * checkout started from (recorded by npm install: see scripts/record-course-commit.mjs), which
 * the learner's own commits and pushes cannot change; else upstream, else the last commit.
 */
function courseRefs(root: string): string[] {
  const record = path.join(stateDir(root), 'course.json');
  const recorded = existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as { commit?: string }).commit : undefined;
  return [process.env.WORKBOOK_COURSE_REF, recorded, 'origin/HEAD', 'origin/main', 'HEAD'].filter(Boolean) as string[];
}

export function courseVersion(root: string, file: string): string {
  const refs = courseRefs(root);
  for (const ref of refs) {
    const shown = spawnSync('git', ['show', `${ref}:${file}`], { cwd: root, encoding: 'utf8' });
    if (shown.status === 0) return shown.stdout;
  }
  throw new UsageError(`cannot find the course's version of ${file} in git (tried ${refs.join(', ')})`);
}

export const reset: Command = {
  name: 'reset',
  summary: 'restore an exercise\'s starter file, keeping a backup of yours',
  usage: 'reset <exercise>',
  details:
    'The starter comes from git: the commit your checkout started from (recorded by npm install), so your own commits\n' +
    'and pushes never replace it (WORKBOOK_COURSE_REF=<commit> names another). Your version is copied to .workbook/backups/ first.',
  run({ positionals, root }) {
    const exercise = oneExercise(root, positionals);
    const original = courseVersion(root, exercise.starter);
    const backups = path.join(stateDir(root), 'backups', exercise.lesson.dir);
    mkdirSync(backups, { recursive: true });
    const backup = path.join(backups, `${exercise.file}.${new Date().toISOString().replace(/[:.]/g, '-')}`);
    copyFileSync(path.join(root, exercise.starter), backup);
    writeFileSync(path.join(root, exercise.starter), original);
    const state = loadState(root);
    delete state.exercises[exercise.id];
    saveState(root, state);
    console.log(`Restored ${exercise.starter}. Your version is in ${path.relative(root, backup)}.`);
  },
};
