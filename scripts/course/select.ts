// Turning what a person types ("01", "01-timing", "timing", "01-timing/monitor", "monitor")
// into exercises. Exact matches only: "1" never matches "10-capstone".
import type { Exercise, Lesson } from './catalog.ts';

export class SelectionError extends Error {
  override name = 'SelectionError';
}

export function selectExercises(course: Lesson[], selector: string): Exercise[] {
  const wanted = selector.replace(/^exercises\//, '').replace(/\/$/, '');
  const lesson = course.find((candidate) => [candidate.number, candidate.dir, candidate.topic].includes(wanted));
  if (lesson) return lesson.exercises;
  const all = course.flatMap((candidate) => candidate.exercises);
  const byId = all.filter((exercise) => exercise.id === wanted || exercise.name === wanted);
  if (byId.length === 1) return byId;
  if (byId.length > 1) throw new SelectionError(`"${selector}" names several exercises: ${byId.map((exercise) => exercise.id).join(', ')}`);
  throw new SelectionError(`No lesson or exercise "${selector}". Lessons: ${course.map((candidate) => candidate.dir).join(', ')}`);
}
