// verify runs a known-wrong variant's recorded catching test alone (caught-by.ts) through
// shared/testing/only-named-tests.ts: the named test runs, with the file's hooks; no other does, not
// even one of the same title in another describe block.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { runVitest } from '../vitest-process.ts';
import { limitFor, servicesEnv } from '../../workbook/tests/fixture.ts';

const FIXTURE = 'shared/testing/tests/fixtures/named-tests.fixture.ts';

test('with WORKBOOK_ONLY_TESTS, a named file runs only its named tests, after its hooks', limitFor({ suites: 1 }), async () => {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'wb-named-')), 'ran.json');
  const run = await runVitest({
    args: ['--config', 'shared/testing/tests/fixtures/vitest.config.ts', 'named-tests'],
    env: { ...servicesEnv(), WORKBOOK_FIXTURE_OUT: out, WORKBOOK_ONLY_TESTS: JSON.stringify({ [FIXTURE]: ['group > second'] }) },
  });
  expect(run.code, run.output).toBe(0);
  expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({ ran: ['group > second'], setUp: true });
  const statuses = Object.fromEntries(run.report!.testResults[0]!.assertionResults.map((result) => [[...result.ancestorTitles, result.title].join(' > '), result.status]));
  expect(statuses).toEqual({ 'group > first': 'skipped', 'group > second': 'passed', 'group > third': 'skipped', second: 'skipped' });
});

test('a file not named there runs whole', limitFor({ suites: 1 }), async () => {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'wb-named-')), 'ran.json');
  const run = await runVitest({
    args: ['--config', 'shared/testing/tests/fixtures/vitest.config.ts', 'named-tests'],
    env: { ...servicesEnv(), WORKBOOK_FIXTURE_OUT: out, WORKBOOK_ONLY_TESTS: JSON.stringify({ 'exercises/01-timing/monitor.test.ts': ['group > second'] }) },
  });
  expect(run.code, run.output).toBe(0);
  expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({ ran: ['group > first', 'group > second', 'group > third', 'second'], setUp: true });
});
