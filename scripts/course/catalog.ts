// The course as data: lessons (exercises/NN-topic/lesson.json, in folder order) and their
// exercises. Every path is derived from a lesson folder and an exercise name, never stored:
//   starter   exercises/NN-topic/<name>.ts        suite  exercises/NN-topic/<name>.test.ts
//   solution  solutions/NN-topic/<name>.ts        reading lessons/NN-topic/README.md
//   known-wrong variants  solutions/NN-topic/mistakes/<name>.<variant>.ts   (must fail the suite)
//   other correct answers solutions/NN-topic/alternatives/<name>.<variant>.ts (must pass it)
// Variants are whole files: typechecked, runnable and readable on their own.
//   suite-owned processes  exercises/NN-topic/<name>.fixture-<role>.ts (a suite runs them; never edited)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The course's checkout (two folders above this file): the one definition of the root. */
export const COURSE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FORMAT_VERSION = 1;
const LESSON_DIR = /^(\d{2})-([a-z][a-z0-9-]*)$/;
/** verify's record of the test that catches each known-wrong variant (see caught-by.ts). */
export const CAUGHT_BY_FILE = 'caught-by.json';
/** What tools keep beside a lesson's solutions: npm run mutate's summary and equivalents, verify's catching tests. */
const RECORDS = ['mutation.json', 'mutation.md', 'equivalent-mutants.json', CAUGHT_BY_FILE];

export interface Exercise {
  /** "01-timing/server-timing": unique, and what verify and grading print. */
  id: string;
  name: string;
  title: string;
  points: number;
  hints: string[];
  lesson: Lesson;
  /** The edited file's name inside the lesson folder, e.g. "monitor.ts" or "indexes.sql". */
  file: string;
  /** Paths relative to the course root. */
  starter: string;
  suite: string;
  solution: string;
  mistakes: Variant[];
  alternatives: Variant[];
}

export interface Variant {
  name: string;
  /** Relative to the course root. */
  file: string;
}

export interface Lesson {
  /** "01-timing" */
  dir: string;
  number: string;
  topic: string;
  title: string;
  reading: string;
  exercises: Exercise[];
}

interface LessonFile {
  format_version: number;
  title: string;
  exercises: { name: string; title: string; points: number; hints: string[]; file?: string }[];
}

export class LessonFileError extends Error {
  override name = 'LessonFileError';
}

/** Reads and checks a lesson.json: the one place it is parsed. Errors name the file and every problem in it. */
export function readLessonFile(file: string): LessonFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LessonFileError(`${file}: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const meta = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (meta.format_version !== FORMAT_VERSION) problems.push(`format_version must be ${FORMAT_VERSION}`);
  if (typeof meta.title !== 'string' || !meta.title.trim()) problems.push('no title');
  if (!Array.isArray(meta.exercises) || meta.exercises.length === 0) problems.push('no exercises');
  for (const [index, entry] of (Array.isArray(meta.exercises) ? meta.exercises : []).entries()) {
    const exercise = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const where = `exercises[${index}]${typeof exercise.name === 'string' ? ` (${exercise.name})` : ''}`;
    if (typeof exercise.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(exercise.name)) problems.push(`${where}: name must be kebab-case`);
    if (typeof exercise.title !== 'string' || !exercise.title.trim()) problems.push(`${where}: no title`);
    if (!Number.isInteger(exercise.points) || (exercise.points as number) <= 0) problems.push(`${where}: points must be a positive whole number`);
    const hints = exercise.hints;
    if (!Array.isArray(hints) || hints.length === 0 || hints.some((hint) => typeof hint !== 'string' || !hint.trim())) {
      problems.push(`${where}: needs non-empty hints`);
    }
    if (exercise.file !== undefined && (typeof exercise.file !== 'string' || exercise.file.includes('/'))) problems.push(`${where}: file must be a file name`);
  }
  if (problems.length > 0) throw new LessonFileError(`${file}: ${problems.join('; ')}`);
  return data as LessonFile;
}

/** Lesson folders under exercises/, in course order. */
export function lessonDirs(root = COURSE_ROOT): string[] {
  return readdirSync(path.join(root, 'exercises'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && LESSON_DIR.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export function loadCourse(root = COURSE_ROOT): Lesson[] {
  return lessonDirs(root).map((dir) => loadLesson(root, dir));
}

function loadLesson(root: string, dir: string): Lesson {
  const [, number = '', topic = ''] = LESSON_DIR.exec(dir) ?? [];
  const meta = readLessonFile(path.join(root, 'exercises', dir, 'lesson.json'));
  const lesson: Lesson = { dir, number, topic, title: meta.title, reading: `lessons/${dir}/README.md`, exercises: [] };
  const variants = (kind: 'mistakes' | 'alternatives', name: string, extension: string): Variant[] => {
    const folder = path.join(root, 'solutions', dir, kind);
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((file) => file.startsWith(`${name}.`))
      .filter((file) => file.endsWith(extension))
      .sort((a, b) => a.localeCompare(b))
      .map((file) => ({ name: file.slice(name.length + 1, -extension.length), file: `solutions/${dir}/${kind}/${file}` }));
  };
  lesson.exercises = meta.exercises.map((exercise) => {
    // The file the learner edits: <name>.ts unless lesson.json names another (e.g. indexes.sql).
    const file = exercise.file ?? `${exercise.name}.ts`;
    const extension = path.extname(file);
    return {
      id: `${dir}/${exercise.name}`,
      name: exercise.name,
      title: exercise.title,
      points: exercise.points,
      hints: exercise.hints,
      lesson,
      file,
      starter: `exercises/${dir}/${file}`,
      suite: `exercises/${dir}/${exercise.name}.test.ts`,
      solution: `solutions/${dir}/${file}`,
      mistakes: variants('mistakes', exercise.name, extension),
      alternatives: variants('alternatives', exercise.name, extension),
    };
  });
  return lesson;
}

/**
 * Whether an exercise's suite runs the learner's file in processes of its own (it imports
 * `?workbook-file`: a cluster, a server taking signals) rather than in the test's process.
 */
export function runsInOwnProcesses(exercise: Exercise, root = COURSE_ROOT): boolean {
  return readFileSync(path.join(root, exercise.suite), 'utf8').includes('?workbook-file');
}

/** Everything wrong with the course's layout and metadata; empty when it is whole. */
export function courseProblems(root = COURSE_ROOT): string[] {
  const problems: string[] = [];
  const dirs = lessonDirs(root);
  if (dirs.length === 0) problems.push('no lessons under exercises/');
  for (const dir of dirs) {
    let lesson: Lesson;
    try {
      lesson = loadLesson(root, dir);
    } catch (error) {
      problems.push((error as Error).message);
      continue;
    }
    const exists = (file: string) => existsSync(path.join(root, file));
    if (!exists(lesson.reading)) problems.push(`${dir}: no reading at ${lesson.reading}`);
    const names = new Set<string>();
    for (const exercise of lesson.exercises) {
      if (names.has(exercise.name)) problems.push(`${exercise.id}: name used twice`);
      names.add(exercise.name);
      for (const file of [exercise.starter, exercise.suite, exercise.solution]) {
        if (!exists(file)) problems.push(`${exercise.id}: missing ${file}`);
      }
      if (exists(exercise.starter) && !readFileSync(path.join(root, exercise.starter), 'utf8').includes('TODO')) {
        problems.push(`${exercise.id}: the starter has no TODO telling the learner what to change`);
      }
      // Its section is what a failure without its own hint points to (shared/testing/failure-messages.ts).
      if (exists(exercise.suite) && !readFileSync(path.join(root, exercise.suite), 'utf8').includes(`suiteSection('${lesson.dir}', `)) {
        problems.push(`${exercise.id}: the suite does not name its section with suiteSection('${lesson.dir}', '<section>')`);
      }
      if (exists(exercise.solution) && readFileSync(path.join(root, exercise.solution), 'utf8').includes('TODO')) {
        problems.push(`${exercise.id}: the solution still has a TODO`);
      }
    }
    problems.push(...strayFiles(root, lesson));
  }
  return problems;
}

/** Files in exercises/ or solutions/ that no exercise accounts for. */
function strayFiles(root: string, lesson: Lesson): string[] {
  const known = (file: string) =>
    lesson.exercises.some(
      (exercise) => file === exercise.file || file === `${exercise.name}.test.ts` || new RegExp(`^${exercise.name}\\.fixture-[a-z-]+\\.ts$`).test(file),
    );
  const problems: string[] = [];
  for (const file of readdirSync(path.join(root, 'exercises', lesson.dir))) {
    if (file !== 'lesson.json' && !known(file)) problems.push(`exercises/${lesson.dir}/${file}: not part of any exercise in lesson.json`);
  }
  const solutions = path.join(root, 'solutions', lesson.dir);
  for (const file of existsSync(solutions) ? readdirSync(solutions) : []) {
    if (RECORDS.includes(file)) continue;
    if (file === 'mistakes' || file === 'alternatives') {
      for (const variant of readdirSync(path.join(solutions, file))) {
        const named = (exercise: Exercise) =>
          variant.startsWith(`${exercise.name}.`) && variant.endsWith(path.extname(exercise.file));
        if (!lesson.exercises.some(named)) {
          problems.push(`solutions/${lesson.dir}/${file}/${variant}: must be named <exercise>.<variant>.<extension of the exercise's file> (a whole file)`);
        }
      }
    } else if (!lesson.exercises.some((exercise) => file === exercise.file)) {
      // Only a solution: the suites' own files (tests, fixtures) live in exercises/.
      problems.push(`solutions/${lesson.dir}/${file}: not part of any exercise in lesson.json`);
    }
  }
  return problems;
}
