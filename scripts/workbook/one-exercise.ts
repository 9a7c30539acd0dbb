// Commands that act on a single exercise (hint, diff, reset) resolve it the same way.
import { loadCourse, type Exercise } from '../course/catalog.ts';
import { selectExercises } from '../course/select.ts';
import { UsageError, requireOne } from './command.ts';

export function oneExercise(root: string, positionals: string[]): Exercise {
  const selected = selectExercises(loadCourse(root), requireOne(positionals, 'exercise'));
  if (selected.length !== 1) {
    throw new UsageError(`"${positionals[0]}" is a lesson; name one of its exercises: ${selected.map((exercise) => exercise.name).join(', ')}`);
  }
  return selected[0]!;
}
