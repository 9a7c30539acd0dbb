// How commands turn their one argument into exercises: a lesson or exercise (check, watch), or
// exactly one exercise (hint, diff, reset).
import { loadCourse, type Exercise } from '../course/catalog.ts';
import { selectExercises } from '../course/select.ts';
import { UsageError, requireOne } from './command.ts';

export function selected(root: string, positionals: string[]): Exercise[] {
  return selectExercises(loadCourse(root), requireOne(positionals, 'lesson or exercise'));
}

export function oneExercise(root: string, positionals: string[]): Exercise {
  const exercises = selectExercises(loadCourse(root), requireOne(positionals, 'exercise'));
  if (exercises.length !== 1) {
    throw new UsageError(`"${positionals[0]}" is a lesson; name one of its exercises: ${exercises.map((exercise) => exercise.name).join(', ')}`);
  }
  return exercises[0]!;
}

/** Any number of lessons or exercises (test): every selector through the same resolver, no substring match. */
export function selectedMany(root: string, positionals: string[]): Exercise[] {
  const course = loadCourse(root);
  const chosen = positionals.flatMap((selector) => selectExercises(course, selector));
  return [...new Set(chosen)];
}
