// verify's records of which test catches each known-wrong variant: kept for the mistakes that
// exist, and trusted alone only while nothing a test could depend on has changed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCourse, type Lesson } from '../catalog.ts';
import { aloneFingerprint, planAloneChecks, readCaughtBy, recordCaughtBy, staleMistakes, updateRecords, type CaughtBy, type Observed } from '../caught-by.ts';

let root: string;
let lesson: Lesson;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

beforeAll(() => {
  // A course of one lesson with one exercise and two known-wrong variants.
  root = mkdtempSync(path.join(tmpdir(), 'wb-caught-by-'));
  write('exercises/99-demo/lesson.json', JSON.stringify({ format_version: 1, title: 'Demo', exercises: [{ name: 'thing', title: 'A thing', points: 10, hints: ['h'] }, { name: 'other', title: 'Another', points: 10, hints: ['h'] }] }));
  write('exercises/99-demo/thing.ts', 'export const thing = 0;\n');
  write('exercises/99-demo/thing.test.ts', "test('a', () => {});\n");
  write('exercises/99-demo/other.ts', 'export const other = 0;\n');
  write('exercises/99-demo/other.test.ts', "test('b', () => {});\n");
  write('solutions/99-demo/thing.ts', 'export const thing = 1;\n');
  write('solutions/99-demo/other.ts', 'export const other = 1;\n');
  write('solutions/99-demo/mistakes/thing.off-by-one.ts', 'export const thing = 2;\n');
  write('solutions/99-demo/mistakes/thing.negative.ts', 'export const thing = -1;\n');
  write('shared/testing/helper.ts', 'export const helper = 1;\n');
  [lesson] = loadCourse(root) as [Lesson];
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('records round-trip; a record of a mistake that no longer exists is dropped', () => {
  expect(readCaughtBy([lesson], root).tests.size).toBe(0);
  const caught = readCaughtBy([lesson], root);
  caught.tests.set('solutions/99-demo/mistakes/thing.off-by-one.ts', 'thing > counts from one');
  caught.tests.set('solutions/99-demo/mistakes/thing.gone.ts', 'thing > was deleted');
  caught.checkedAlone.set('exercises/99-demo/thing.test.ts', 'abc');
  caught.wholeSuite.add('solutions/99-demo/mistakes/thing.off-by-one.ts');
  caught.wholeSuite.add('solutions/99-demo/mistakes/thing.gone.ts');
  expect(recordCaughtBy(lesson, caught, root)).toBe(true);
  expect(recordCaughtBy(lesson, caught, root), 'nothing new: the file is left alone').toBe(false);
  const file = JSON.parse(readFileSync(path.join(root, 'solutions/99-demo/caught-by.json'), 'utf8'));
  expect(file).toEqual({
    checkedAlone: { 'exercises/99-demo/thing.test.ts': 'abc' },
    mistakes: { 'thing.off-by-one.ts': 'thing > counts from one' },
    wholeSuite: ['thing.off-by-one.ts'],
  });
  const again = readCaughtBy([lesson], root);
  expect([...again.tests]).toEqual([['solutions/99-demo/mistakes/thing.off-by-one.ts', 'thing > counts from one']]);
  expect([...again.wholeSuite]).toEqual(['solutions/99-demo/mistakes/thing.off-by-one.ts']);
});

test('a records file that is not JSON is named in the error', () => {
  write('solutions/99-demo/caught-by.json', '{ not json');
  expect(() => readCaughtBy([lesson], root)).toThrow(/solutions\/99-demo\/caught-by\.json: not valid JSON/);
  rmSync(path.join(root, 'solutions/99-demo/caught-by.json'));
});

test('the fingerprint changes with the suite, its fixtures, the lesson\'s solutions, the harness and the tests named; not with a variant', () => {
  const exercise = lesson.exercises[0]!;
  const tests = ['thing > counts from one'];
  const before = aloneFingerprint(exercise, tests, root);
  expect(aloneFingerprint(exercise, tests, root)).toBe(before);
  write('solutions/99-demo/mistakes/thing.negative.ts', 'export const thing = -2;\n');
  expect(aloneFingerprint(exercise, tests, root), 'a variant is not what the tests run on alone').toBe(before);
  expect(aloneFingerprint(exercise, [...tests, 'thing > another'], root)).not.toBe(before);
  for (const file of ['exercises/99-demo/thing.test.ts', 'exercises/99-demo/thing.fixture-server.ts', 'solutions/99-demo/thing.ts', 'solutions/99-demo/other.ts', 'shared/testing/helper.ts']) {
    const was = aloneFingerprint(exercise, tests, root);
    write(file, `// changed ${file}\n`);
    expect(aloneFingerprint(exercise, tests, root), file).not.toBe(was);
  }
});

describe('what a run plans and records', () => {
  const OFF = 'solutions/99-demo/mistakes/thing.off-by-one.ts';
  const NEG = 'solutions/99-demo/mistakes/thing.negative.ts';
  const fresh = (): CaughtBy => ({ tests: new Map(), checkedAlone: new Map(), wholeSuite: new Set() });
  /** A run in which each mistake failed these tests, and the recorded tests passed alone or not. */
  const saw = (failed: Record<string, string[]>, alone = true): Observed => ({
    failedOn: (variant) => failed[variant.file] ?? [],
    passedAlone: () => alone,
  });
  const thing = () => lesson.exercises[0]!;
  const variant = (file: string) => thing().mistakes.find((candidate) => candidate.file === file)!;

  test('a suite with recorded tests is checked alone until that passes with the files as they are; one without is not', () => {
    const caught = fresh();
    expect(planAloneChecks(lesson.exercises, caught, root).toCheckAlone, 'nothing on record').toEqual([]);
    caught.tests.set(OFF, 'thing > a');
    const plan = planAloneChecks(lesson.exercises, caught, root);
    expect(plan.toCheckAlone).toEqual([thing()]);
    updateRecords(lesson.exercises, caught, saw({ [OFF]: ['thing > a'] }), { checkedAlone: plan.toCheckAlone, fingerprints: plan.fingerprints, stale: [] });
    expect(planAloneChecks(lesson.exercises, caught, root).toCheckAlone, 'passed alone: trusted').toEqual([]);
    write('exercises/99-demo/thing.test.ts', "test('a', () => { /* changed */ });\n");
    expect(planAloneChecks(lesson.exercises, caught, root).toCheckAlone, 'the suite changed: checked again').toEqual([thing()]);
    const failing = planAloneChecks(lesson.exercises, caught, root);
    updateRecords(lesson.exercises, caught, saw({ [OFF]: ['thing > a'] }, false), { checkedAlone: failing.toCheckAlone, fingerprints: failing.fingerprints, stale: [] });
    expect(caught.checkedAlone.has(thing().suite), 'failed alone: no longer trusted').toBe(false);
  });

  test('a mistake whose recorded test did not fail on it is stale; one caught by it, or on its whole suite, is not', () => {
    const caught = fresh();
    caught.tests.set(OFF, 'thing > a');
    caught.tests.set(NEG, 'thing > b');
    expect(staleMistakes(lesson.exercises, caught, saw({ [OFF]: ['thing > a'], [NEG]: ['thing > a'] }))).toEqual([variant(NEG)]);
    expect(staleMistakes(lesson.exercises, caught, saw({ [OFF]: ['thing > a'], [NEG]: [] }))).toEqual([variant(NEG)]);
    caught.wholeSuite.add(NEG);
    expect(staleMistakes(lesson.exercises, caught, saw({ [OFF]: ['thing > a'] })), 'a whole-suite mistake runs every test anyway').toEqual([]);
  });

  test('records: a new first failure is recorded, a stale mistake caught first by its own test in the whole suite is marked whole-suite', () => {
    const caught = fresh();
    caught.tests.set(OFF, 'thing > a');
    caught.tests.set(NEG, 'thing > b');
    const found = updateRecords(lesson.exercises, caught, saw({ [OFF]: ['thing > a', 'thing > c'], [NEG]: ['thing > b'] }), {
      checkedAlone: [],
      fingerprints: new Map(),
      stale: [variant(NEG)],
    });
    expect(caught.wholeSuite.has(NEG), 'its test failed first only after the tests before it ran').toBe(true);
    expect(caught.wholeSuite.has(OFF)).toBe(false);
    expect(found.get('99-demo') ?? 0, 'both records still catch their mistakes').toBe(0);

    const moved = updateRecords(lesson.exercises, caught, saw({ [OFF]: ['thing > c', 'thing > d'], [NEG]: ['thing > b'] }), { checkedAlone: [], fingerprints: new Map(), stale: [variant(OFF)] });
    expect(caught.tests.get(OFF), 'the record no longer catches it: the first failing test is recorded').toBe('thing > c');
    expect(caught.wholeSuite.has(OFF)).toBe(false);
    expect(moved.get('99-demo')).toBe(1);

    const plan = planAloneChecks(lesson.exercises, caught, root);
    updateRecords(lesson.exercises, caught, saw({ [OFF]: ['thing > c'], [NEG]: ['thing > b'] }), { checkedAlone: [thing()], fingerprints: plan.fingerprints, stale: [] });
    expect(caught.wholeSuite.size, 'a suite checked alone again gives its whole-suite mistakes another try alone').toBe(0);
  });
});
