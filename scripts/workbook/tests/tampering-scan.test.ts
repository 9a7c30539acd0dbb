// The static layer of tamper detection: what it finds in a learner's file, and what it must not.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { COURSE_ROOT, loadCourse, runsInOwnProcesses } from '../../course/catalog.ts';
import { scanSource, withoutComments } from '../tampering.ts';

test('finds the test framework, load hooks, the assertion library and process.exit in code', () => {
  expect(scanSource("import { chai } from 'vitest';\n(chai.Assertion.prototype as any).assert = () => {};\n")).toEqual([
    'imports the test framework (vitest, chai or @vitest/*)',
    'reaches into the assertion library',
  ]);
  expect(scanSource("import { register } from 'node:module';")).toEqual(['imports node:module (module-load hooks can rewrite the tests)']);
  expect(scanSource('if (done) process.exit(0);')).toEqual(['exits the process (a test run that ends early reports nothing wrong)']);
  const channel = ["reaches into the test worker's channel to vitest (where results travel)"];
  expect(scanSource("const send = (process as any)['_send'];")).toEqual(channel);
  expect(scanSource("if (message.m === 'onTaskUpdate') flip(message);")).toEqual(channel);
  expect(scanSource('process.channel?.ref();')).toEqual(channel);
});

test('comments are not code: a warning about process.exit is no finding; strings are kept', () => {
  const honest = "// Never call process.exit() here: the server owns shutdown.\n/* nor import 'vitest' */\nexport const note = 'a // not a comment';\n";
  expect(scanSource(honest)).toEqual([]);
  expect(withoutComments(honest)).toContain("'a // not a comment'");
});

test('no solution, alternative or starter of the course is flagged', () => {
  const files = loadCourse()
    .flatMap((lesson) => lesson.exercises)
    .filter((exercise) => exercise.file.endsWith('.ts'))
    .flatMap((exercise) => [exercise.starter, exercise.solution, ...exercise.alternatives.map((variant) => variant.file)].map((file) => ({ file, ownProcess: runsInOwnProcesses(exercise) })));
  expect(files.length).toBeGreaterThan(30);
  const flagged = files.filter(({ file, ownProcess }) => scanSource(readFileSync(path.join(COURSE_ROOT, file), 'utf8'), { ownProcess }).length > 0);
  expect(flagged).toEqual([]);
});

test("process.exit is a finding only where the learner's code shares the test's process", () => {
  expect(scanSource('process.exit(1);', { ownProcess: true })).toEqual([]);
  expect(scanSource("import { expect } from 'vitest';\nprocess.exit(1);", { ownProcess: true })).toEqual(['imports the test framework (vitest, chai or @vitest/*)']);
  expect(scanSource('process.exit(1);')).toEqual(['exits the process (a test run that ends early reports nothing wrong)']);
});
