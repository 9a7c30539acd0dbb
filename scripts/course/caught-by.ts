// Which test catches each known-wrong variant, on record in solutions/NN-topic/caught-by.json.
// verify runs a recorded test alone against its mistake instead of every test before it; a record
// that no longer catches its mistake is found at once (the mistake passes that test) and the whole
// suite runs for it again. A recorded test is trusted alone only once it has passed alone on the
// solution: `checkedAlone` holds, per suite, a fingerprint of everything that test could depend
// on (the suite, its fixtures, the lesson's solutions, the harness) when it last did; any change to those
// files and verify checks it again. A mistake whose test fails on it only after the tests before it
// (state they leave behind) is listed in `wholeSuite`: it runs its whole suite, until the suite
// changes and it is tried alone again.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CAUGHT_BY_FILE, COURSE_ROOT, type Exercise, type Lesson, type Variant } from './catalog.ts';

export interface CaughtBy {
  /** Mistake file (course-relative) → the full name of the test that fails on it first. */
  tests: Map<string, string>;
  /** Suite file (course-relative) → fingerprint when its recorded tests last passed alone on the solution. */
  checkedAlone: Map<string, string>;
  /** Mistake files (course-relative) that their test catches only after the tests before it. */
  wholeSuite: Set<string>;
}

interface RecordFile {
  checkedAlone: Record<string, string>;
  mistakes: Record<string, string>;
  wholeSuite: string[];
}

const recordFile = (root: string, lesson: Lesson) => path.join(root, 'solutions', lesson.dir, CAUGHT_BY_FILE);

/** The records of these lessons (a missing file is no records). */
export function readCaughtBy(lessons: Lesson[], root = COURSE_ROOT): CaughtBy {
  const caught: CaughtBy = { tests: new Map(), checkedAlone: new Map(), wholeSuite: new Set() };
  for (const lesson of lessons) {
    const file = recordFile(root, lesson);
    if (!existsSync(file)) continue;
    let records: Partial<RecordFile>;
    try {
      records = JSON.parse(readFileSync(file, 'utf8')) as Partial<RecordFile>;
    } catch (error) {
      throw new Error(`${path.relative(root, file)}: not valid JSON (${(error as Error).message}); delete it and verify records it again`);
    }
    const mistakes = new Map(lesson.exercises.flatMap((exercise) => exercise.mistakes).map((variant) => [path.basename(variant.file), variant.file]));
    for (const [name, test] of Object.entries(records.mistakes ?? {})) {
      const variant = mistakes.get(name);
      if (variant && typeof test === 'string') caught.tests.set(variant, test);
    }
    for (const name of records.wholeSuite ?? []) {
      const variant = mistakes.get(name);
      if (variant) caught.wholeSuite.add(variant);
    }
    for (const [suite, fingerprint] of Object.entries(records.checkedAlone ?? {})) {
      if (typeof fingerprint === 'string') caught.checkedAlone.set(suite, fingerprint);
    }
  }
  return caught;
}

/** Writes the lesson's part of `caught` (mistakes and suites that still exist). Returns whether the file changed. */
export function recordCaughtBy(lesson: Lesson, caught: CaughtBy, root = COURSE_ROOT): boolean {
  const mistakes = lesson.exercises.flatMap((exercise) => exercise.mistakes).filter((variant) => caught.tests.has(variant.file));
  const suites = lesson.exercises.map((exercise) => exercise.suite).filter((suite) => caught.checkedAlone.has(suite));
  const records: RecordFile = {
    checkedAlone: Object.fromEntries(suites.map((suite) => [suite, caught.checkedAlone.get(suite)!])),
    mistakes: Object.fromEntries(mistakes.map((variant) => [path.basename(variant.file), caught.tests.get(variant.file)!])),
    wholeSuite: mistakes.filter((variant) => caught.wholeSuite.has(variant.file)).map((variant) => path.basename(variant.file)),
  };
  const text = `${JSON.stringify(records, null, 2)}\n`;
  const file = recordFile(root, lesson);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}

/** The recorded test a mistake runs alone, or undefined: none on record, or it needs its whole suite. */
export const aloneCatcher = (variant: Variant, caughtBy: CaughtBy): string | undefined =>
  caughtBy.wholeSuite.has(variant.file) ? undefined : caughtBy.tests.get(variant.file);

/**
 * The recorded tests of an exercise's mistakes, each once: what is checked alone on the solution.
 * Whole-suite mistakes' tests too, so that marking one does not change the fingerprint.
 */
export const catchersOf = (exercise: Exercise, caughtBy: CaughtBy): string[] => [
  ...new Set(exercise.mistakes.flatMap((variant) => caughtBy.tests.get(variant.file) ?? [])),
];

/** Each exercise's fingerprint now, and the exercises whose recorded tests must pass alone on the solution again. */
export function planAloneChecks(exercises: Exercise[], caughtBy: CaughtBy, root = COURSE_ROOT): { fingerprints: Map<Exercise, string>; toCheckAlone: Exercise[] } {
  const fingerprints = new Map(exercises.map((exercise) => [exercise, aloneFingerprint(exercise, catchersOf(exercise, caughtBy), root)]));
  const toCheckAlone = exercises.filter(
    (exercise) => catchersOf(exercise, caughtBy).length > 0 && caughtBy.checkedAlone.get(exercise.suite) !== fingerprints.get(exercise),
  );
  return { fingerprints, toCheckAlone };
}

/** What verify saw of its rows, in the terms the records need. */
export interface Observed {
  /** Full names of the tests that failed on a variant's row, in order; empty when none did or it did not run. */
  failedOn(variant: Variant, exercise: Exercise): string[];
  /** Whether an exercise's recorded tests passed alone on the solution. */
  passedAlone(exercise: Exercise): boolean;
}

/** Mistakes whose recorded test ran alone and did not fail on them: their whole suite runs again. */
export function staleMistakes(exercises: Exercise[], caughtBy: CaughtBy, observed: Observed): Variant[] {
  return exercises.flatMap((exercise) =>
    exercise.mistakes.filter((variant) => {
      const catcher = aloneCatcher(variant, caughtBy);
      return catcher !== undefined && !observed.failedOn(variant, exercise).includes(catcher);
    }),
  );
}

/**
 * Updates the records in memory: the fingerprint of each suite whose tests just passed alone on
 * the solution (a changed suite also gives its whole-suite mistakes another try alone); the
 * mistakes whose test failed in the whole suite but not alone (whole-suite); and the first
 * failing test of each mistake whose record did not catch it. Returns how many new catching
 * tests were found per lesson folder.
 */
export function updateRecords(
  exercises: Exercise[],
  caughtBy: CaughtBy,
  observed: Observed,
  run: { checkedAlone: Exercise[]; fingerprints: Map<Exercise, string>; stale: Variant[] },
): Map<string, number> {
  for (const exercise of run.checkedAlone) {
    if (observed.passedAlone(exercise)) caughtBy.checkedAlone.set(exercise.suite, run.fingerprints.get(exercise)!);
    else caughtBy.checkedAlone.delete(exercise.suite);
    for (const variant of exercise.mistakes) caughtBy.wholeSuite.delete(variant.file);
  }
  const found = new Map<string, number>();
  for (const exercise of exercises) {
    for (const variant of exercise.mistakes) {
      const failed = observed.failedOn(variant, exercise);
      const recorded = caughtBy.tests.get(variant.file);
      if (run.stale.includes(variant) && failed[0] !== undefined && failed[0] === recorded) caughtBy.wholeSuite.add(variant.file);
      if (recorded !== undefined && failed.includes(recorded)) continue;
      if (failed[0] !== undefined && failed[0] !== recorded) {
        caughtBy.tests.set(variant.file, failed[0]);
        found.set(exercise.lesson.dir, (found.get(exercise.lesson.dir) ?? 0) + 1);
      }
    }
  }
  return found;
}

/**
 * What a suite's tests run on, as one hash: the lesson's exercises/ folder (the suite, its
 * fixtures), the lesson's solutions (one may import another), the recorded tests, and the
 * harness's code under shared/.
 */
export function aloneFingerprint(exercise: Exercise, tests: string[], root = COURSE_ROOT): string {
  const hash = createHash('sha256');
  const solutions = `solutions/${exercise.lesson.dir}`;
  const files = [
    ...filesUnder(root, `exercises/${exercise.lesson.dir}`),
    ...readdirSync(path.join(root, solutions), { withFileTypes: true })
      .filter((entry) => entry.isFile() && exercise.lesson.exercises.some((other) => entry.name === other.file))
      .map((entry) => `${solutions}/${entry.name}`)
      .sort(),
    ...filesUnder(root, 'shared').filter((file) => /\.(ts|mjs|sql|prisma)$/.test(file)),
  ].filter((file) => !file.includes('/tests/'));
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(root, file))).update('\0');
  hash.update(JSON.stringify([...tests].sort()));
  return hash.digest('hex').slice(0, 16);
}

/** Files under a course folder, course-relative, sorted (generated code and dependencies left out). */
function filesUnder(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(path.sep).some((part) => part === 'node_modules' || part === 'generated'))
    .sort();
}
