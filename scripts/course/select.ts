// Turning what a person types ("01", "01-timing", "timing", "01-timing/monitor", "monitor")
// into exercises. Exact matches only: "1" never matches "10-capstone".
import type { Exercise, Lesson } from './catalog.ts';

export class SelectionError extends Error {
  override name = 'SelectionError';
}

export function selectExercises(course: Lesson[], selector: string): Exercise[] {
  const wanted = selector.replace(/^\.?\/?exercises\//, '').replace(/\/$/, '');
  const lesson = course.find((candidate) => [candidate.number, candidate.dir, candidate.topic].includes(wanted));
  if (lesson) return lesson.exercises;
  const all = course.flatMap((candidate) => candidate.exercises);
  const byId = all.filter((exercise) => exercise.id === wanted || exercise.name === wanted);
  if (byId.length === 1) return byId;
  if (byId.length > 1) throw new SelectionError(`"${selector}" names several exercises: ${byId.map((exercise) => exercise.id).join(', ')}`);
  const names = [...course.flatMap((candidate) => [candidate.dir, candidate.topic]), ...all.flatMap((exercise) => [exercise.id, exercise.name])];
  throw new SelectionError(`No lesson or exercise "${selector}"; did you mean "${nearest(wanted, names)}"?`);
}

/** The candidate closest to `word` by edit distance (typos, a missing prefix). */
export function nearest(word: string, candidates: string[]): string {
  let best = candidates[0] ?? '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
