// The static layer of tamper detection: what it finds in a learner's file, and what it must not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';
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
  const files = ['exercises', 'solutions'].flatMap((top) =>
    readdirSync(path.join(COURSE_ROOT, top), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('mistakes'))
      .map((file) => path.join(top, file)),
  );
  expect(files.length).toBeGreaterThan(30);
  const flagged = files.filter((file) => scanSource(readFileSync(path.join(COURSE_ROOT, file), 'utf8')).length > 0);
  expect(flagged).toEqual([]);
});
