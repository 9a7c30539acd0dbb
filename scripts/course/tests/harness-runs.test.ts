// Whole-run behaviour of the harness, observed from outside: a child vitest run.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject, expect, test } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { runVitest } from '../vitest-process.ts';
import { COURSE_ROOT } from '../catalog.ts';
import { scanKeys } from '../../../shared/testing/test-redis.ts';
import { closedPort, limitFor, servicesEnv } from '../../workbook/tests/fixture.ts';

const fixtureConfig = ['--config', 'shared/testing/tests/fixtures/vitest.config.ts'];

test("a file's database and keys are gone after its run", limitFor({ suites: 1 }), async () => {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'wb-trace-')), 'trace.json');
  const run = await runVitest({
    args: [...fixtureConfig, 'leaves-a-trace'],
    env: { ...servicesEnv(), WORKBOOK_FIXTURE_OUT: out },
  });
  expect(run.code, run.output).toBe(0);
  const trace = JSON.parse(await readFile(out, 'utf8')) as { database: string; prefix: string };

  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [trace.database]);
  await client.end();
  expect(rowCount, `database ${trace.database} should have been dropped`).toBe(0);

  const redis = new Redis(inject('redisUrl'));
  const keys = await scanKeys(redis, trace.prefix);
  redis.disconnect();
  expect(keys, `keys under ${trace.prefix} should have been deleted`).toEqual([]);
});

test('with no service reachable, the run stops at once with a message naming all three fixes', limitFor({ suites: 1 }), async () => {
  const port = await closedPort();
  const run = await runVitest({
    args: fixtureConfig,
    env: {
      WORKBOOK_SOURCE: '',
      DATABASE_URL: '',
      REDIS_URL: '',
      DOCKER_HOST: `tcp://127.0.0.1:${port}`,
      WORKBOOK_LOCAL_POSTGRES_PORT: String(port),
      WORKBOOK_LOCAL_REDIS_PORT: String(port),
    },
    timeoutMs: 60_000,
  });
  expect(run.code).not.toBe(0);
  expect(run.output).toContain('no postgres or redis server could be found');
  expect(run.output).toContain('DATABASE_URL: not set');
  expect(run.output).toContain('container: no container runtime reachable');
  expect(run.output).toContain(`local server: nothing answered at 127.0.0.1:${port}`);
  expect(run.output).toMatch(/1\. Point the tests at servers you have/);
  expect(run.output).toMatch(/2\. Start Docker/);
  expect(run.output).toMatch(/3\. Run postgres on 127\.0\.0\.1:\d+/);
  expect(run.report?.numPassedTests ?? 0).toBe(0);
});

test('a URL the user set that does not answer stops the run, naming it; no other source replaces it', limitFor({ suites: 1 }), async () => {
  const port = await closedPort();
  const run = await runVitest({
    args: fixtureConfig,
    // The local servers answer, but the set URL wins: it must not be silently replaced.
    env: { WORKBOOK_SOURCE: '', DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`, REDIS_URL: inject('redisUrl') },
    timeoutMs: 60_000,
  });
  expect(run.code).not.toBe(0);
  expect(run.output).toContain(`DATABASE_URL: set to postgres://postgres@127.0.0.1:${port}/postgres, which did not answer`);
  expect(run.output).toContain('DATABASE_URL is set, so no other source was tried');
  expect(run.output).not.toContain('local server: nothing answered');
  expect(run.report?.numPassedTests ?? 0).toBe(0);
});

test('failures speak to the learner: a route that never answered, a promise that never settled, and always a section', limitFor({ suites: 1 }), async () => {
  const run = await runVitest({ args: [...fixtureConfig, 'learner-words'], env: servicesEnv(), timeoutMs: 120_000 });
  const tests = run.report?.testResults.flatMap((file) => file.assertionResults) ?? [];
  const message = (title: string) => tests.find((result) => result.title === title)?.failureMessages.join('\n') ?? `(no result for "${title}")`;
  const section = '→ read lessons/05-caching/README.md, section "4. Request deduplication"';

  const route = message('a route that never answers');
  expect(route).toContain('Your route never answered: GET /api/products/7 got no response within 0.3 s');
  expect(route).toContain('expected 504 to be 200');
  const promise = message('a promise that never settles');
  expect(promise).toMatch(/^Error: This test waited 0\.5 s for your code and the promise it awaited never settled/);
  expect(promise).not.toContain('pass a timeout value');
  for (const text of [route, promise, message('an assertion that names no section')]) expect(text).toContain(section);
});

/** A loopback port that nothing listens on (bound, then released). */
test('a report forged from a test file does not count: the run reports its failure', limitFor({ suites: 1 }), async () => {
  const run = await runVitest({ args: [...fixtureConfig, 'forges-a-report'], env: servicesEnv(), junit: true });
  expect(run.code).not.toBe(0);
  expect(run.report, run.output).toMatchObject({ numPassedTests: 0, numFailedTests: 1 });
  expect(run.junit).toMatch(/<testcase [^>]*name="fails honestly"[^>]*>\s*<failure/);
  expect(run.extraReports).toEqual([]);
});

test('a second report reaching the runner is counted as a forgery, and the first one is kept', limitFor({ suites: 1 }), async () => {
  const forger = path.join(COURSE_ROOT, 'shared/testing/tests/fixtures/second-report.reporter.ts');
  const run = await runVitest({ args: [...fixtureConfig, 'forges-a-report', `--reporter=${forger}`], env: servicesEnv() });
  expect(run.extraReports).toEqual(['json']);
  expect(run.report, run.output).toMatchObject({ numPassedTests: 0, numFailedTests: 1 });
});
