// The workbook's learner commands, run as processes on a learner's checkout (fixture.ts): one
// exercise solved, one test file gutted so that it passes, one exercise solved and then reset.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';
import { copyIn, learnerCheckout, limitFor, makeCheckout, removeFolder, runCli, servicesEnv as services, servicesProblem, testsIn } from './fixture.ts';

let checkout: string;
const [TIMING_TESTS, SLOW_TESTS] = ['server-timing', 'slow-requests'].map(testsIn) as [number, number];

beforeAll(() => {
  checkout = learnerCheckout();
  copyIn(checkout, 'solutions/01-timing/server-timing.ts', 'exercises/01-timing/server-timing.ts'); // solved, then reset below
});

afterAll(() => {
  if (checkout) removeFolder(checkout);
});

describe('workbook CLI on a learner checkout', () => {
  test('reset restores the starter and keeps a backup of the learner\'s file', limitFor({ cli: 1 }), async () => {
    const run = await runCli(checkout, ['reset', 'server-timing']);
    expect(run.code, run.stderr).toBe(0);
    const starter = readFileSync(path.join(COURSE_ROOT, 'exercises/01-timing/server-timing.ts'), 'utf8');
    expect(readFileSync(path.join(checkout, 'exercises/01-timing/server-timing.ts'), 'utf8')).toBe(starter);
    const backups = readdirSync(path.join(checkout, '.workbook/backups/01-timing'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(checkout, '.workbook/backups/01-timing', backups[0]!), 'utf8')).toBe(
      readFileSync(path.join(COURSE_ROOT, 'solutions/01-timing/server-timing.ts'), 'utf8'),
    );
    expect(run.stdout).toContain('Restored exercises/01-timing/server-timing.ts');
  });

  test('check runs one lesson, prints a summary, and the overview shows the states it recorded', limitFor({ suites: 1, cli: 1 }), async () => {
    const checked = await runCli(checkout, ['check', '01'], services());
    expect(servicesProblem(checked.stdout + checked.stderr), "the check found this run's servers").toBeUndefined();
    expect(checked.code, 'a lesson with a failing exercise exits 1').toBe(1);
    expect(checked.stdout).toMatch(/── workbook check 01 ──/);
    expect(checked.stdout).toMatch(new RegExp(`✓ {2}01-timing/slow-requests +${SLOW_TESTS} of ${SLOW_TESTS} tests pass`));
    expect(checked.stdout).toMatch(
      new RegExp(`✗ {2}01-timing/server-timing +\\d+ of ${TIMING_TESTS} tests failing → lessons/01-timing/README\\.md`),
    );

    const overview = await runCli(checkout, []);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/2 of \d+ exercises passed/);
    expect(overview.stdout).toMatch(new RegExp(`✗ {2}failing \\(\\d+ of ${TIMING_TESTS} tests\\) +server-timing`));
    expect(overview.stdout).toMatch(new RegExp(`✓ {2}passed \\(${SLOW_TESTS} tests\\) +slow-requests`));
    expect(overview.stdout).toMatch(/· {2}not started +users-with-posts/);
    expect(overview.stdout).toContain('Next: 01-timing/server-timing');
  });

  test('npm test started inside a lesson folder runs just that lesson', limitFor({ suites: 1 }), async () => {
    const run = await runCli(checkout, ['test'], { ...services(), INIT_CWD: path.join(checkout, 'exercises/01-timing') });
    expect(servicesProblem(run.stdout + run.stderr), "the tests found this run's servers").toBeUndefined();
    expect(run.code, 'the lesson is unsolved: red').toBe(1);
    expect(run.stdout).toContain('exercises/01-timing/slow-requests.test.ts');
    expect(run.stdout).not.toMatch(/exercises\/0[2-9]-/);
  });

  test('doctor names the source the tests would use', limitFor({ cli: 1 }), async () => {
    const run = await runCli(checkout, ['doctor'], services());
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/✓ postgres: DATABASE_URL/);
    expect(run.stdout).toMatch(/✓ Prisma client generated/);
  });

  test('hint gives the next hint each time it is asked', limitFor({ cli: 2 }), async () => {
    const first = await runCli(checkout, ['hint', 'monitor']);
    const second = await runCli(checkout, ['hint', '01-timing/monitor']);
    expect(first.stdout).toContain('Hint 1 of 3 for 01-timing/monitor');
    expect(second.stdout).toContain('Hint 2 of 3 for 01-timing/monitor');
  });

  test('diff asks before showing a solution to a failing exercise, and shows it with --yes', limitFor({ cli: 2 }), async () => {
    const refused = await runCli(checkout, ['diff', 'server-timing']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('does not pass yet');
    const shown = await runCli(checkout, ['diff', 'server-timing', '--yes']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('+import onHeaders from');
  });
});

describe('a course published without its solutions', () => {
  let published: string;
  beforeAll(() => {
    published = makeCheckout({ withoutSolutions: true });
  });
  afterAll(() => {
    if (published) removeFolder(published);
  });

  test('every learner command works; diff says the solutions are not included', limitFor({ cli: 4, suites: 2 }), async () => {
    const overview = await runCli(published, []);
    expect(overview.code, overview.stderr).toBe(0);
    expect(overview.stdout).toContain('Next: 01-timing/server-timing');
    expect((await runCli(published, ['hint', 'dedupe'])).stdout).toContain('Hint 1 of');
    const diff = await runCli(published, ['diff', 'dedupe', '--yes']);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toContain('The solutions are not included in this copy of the course');
    const check = await runCli(published, ['check', 'dedupe'], services());
    expect(check.stdout).toMatch(/✗ {2}05-caching\/dedupe {2}\d+ of \d+ tests failing/);
    expect((await runCli(published, ['reset', 'dedupe'])).code).toBe(0);
    const graded = await runCli(published, ['grade', '--lesson', 'dedupe', '--format', 'markdown'], services());
    expect(graded.code, graded.stderr).toBe(0);
    expect(graded.stdout).toContain('| 05-caching/dedupe | ❌ failed |');
  });
});

describe('reset in a learner\'s own repository', () => {
  test('after the learner commits and pushes their version, reset still restores the course\'s starter', limitFor({ cli: 1, checkouts: 1 }), async () => {
    const fork = makeCheckout();
    try {
      const git = (...args: string[]) => {
        const result = spawnSync('git', ['-c', 'user.name=Learner', '-c', 'user.email=learner@example.test', ...args], { cwd: fork, encoding: 'utf8' });
        expect(result.status, result.stderr).toBe(0);
      };
      // What npm install does once, right after the clone.
      expect(spawnSync(process.execPath, [path.join(COURSE_ROOT, 'scripts/record-course-commit.mjs'), fork]).status).toBe(0);
      const starter = 'exercises/01-timing/monitor.ts';
      writeFileSync(path.join(fork, starter), '// my own attempt\n');
      git('commit', '-qam', 'my attempt');
      const remote = `${fork}.remote.git`;
      git('init', '-q', '--bare', remote);
      git('remote', 'add', 'origin', remote);
      git('push', '-q', 'origin', 'HEAD:refs/heads/main');
      git('fetch', '-q', 'origin');
      git('remote', 'set-head', 'origin', 'main');
      const run = await runCli(fork, ['reset', 'monitor']);
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(path.join(fork, starter), 'utf8')).toBe(readFileSync(path.join(COURSE_ROOT, starter), 'utf8'));
      removeFolder(remote);
    } finally {
      removeFolder(fork);
    }
  });
});

