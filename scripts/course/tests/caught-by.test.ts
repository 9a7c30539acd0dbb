// verify's records of which test catches each known-wrong variant: kept for the mistakes that
// exist, and trusted alone only while nothing a test could depend on has changed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadCourse, type Lesson } from '../catalog.ts';
import { aloneFingerprint, readCaughtBy, recordCaughtBy } from '../caught-by.ts';

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
