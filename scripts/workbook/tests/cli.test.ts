// The workbook CLI, run as a process on a learner's checkout: one exercise solved (the solution
// copied in), one test file edited so that it passes, one exercise reset after solving it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';
import { commands } from '../commands.ts';
import { makeCheckout, runCli } from './fixture.ts';

let checkout: string;
/** The same servers as this run, whichever source they came from. */
const services = () => ({ WORKBOOK_SOURCE: 'env', DATABASE_URL: inject('postgresUrl'), REDIS_URL: inject('redisUrl') });
const EDITED_TEST = 'exercises/01-timing/monitor.test.ts';
/** How many tests the course's own suite for an exercise of lesson 01 has (suites grow; counts here follow). */
const testsIn = (name: string) =>
  readFileSync(path.join(COURSE_ROOT, `exercises/01-timing/${name}.test.ts`), 'utf8').match(/^\s*test\(/gm)?.length ?? 0;
const [TIMING_TESTS, SLOW_TESTS, MONITOR_TESTS] = ['server-timing', 'slow-requests', 'monitor'].map(testsIn) as [number, number, number];

beforeAll(() => {
  checkout = makeCheckout();
  const copy = (from: string, to: string) => writeFileSync(path.join(checkout, to), readFileSync(path.join(COURSE_ROOT, from)));
  copy('solutions/01-timing/slow-requests.ts', 'exercises/01-timing/slow-requests.ts');
  copy('solutions/01-timing/server-timing.ts', 'exercises/01-timing/server-timing.ts'); // solved, then reset below
  // The learner "fixes" an unsolved exercise by gutting its test.
  writeFileSync(path.join(checkout, EDITED_TEST), "import { test } from 'vitest';\ntest('fine', () => {});\n");
});

afterAll(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

// These tests run whole lessons' suites in a child process: their time is the suites' work,
// which a busy machine stretches; the bound is the CLI child's own kill timer (fixture.ts).
const RUNS_SUITES = { timeout: 180_000 };

describe('workbook CLI on a learner checkout', RUNS_SUITES, () => {
  test('reset restores the starter and keeps a backup of the learner\'s file', async () => {
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

  test('check runs one lesson, prints a summary, and the overview shows the states it recorded', async () => {
    const checked = await runCli(checkout, ['check', '01'], services());
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

  test('npm test started inside a lesson folder runs just that lesson', async () => {
    const run = await runCli(checkout, ['test'], { ...services(), INIT_CWD: path.join(checkout, 'exercises/05-caching') });
    expect(run.code, 'the lesson is unsolved: red').toBe(1);
    expect(run.stdout).toContain('exercises/05-caching/dedupe.test.ts');
    expect(run.stdout).not.toContain('exercises/01-timing/');
  });

  test('doctor names the source the tests would use', async () => {
    const run = await runCli(checkout, ['doctor'], services());
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/✓ postgres: DATABASE_URL/);
    expect(run.stdout).toMatch(/✓ Prisma client generated/);
  });

  test('hint gives the next hint each time it is asked', async () => {
    const first = await runCli(checkout, ['hint', 'monitor']);
    const second = await runCli(checkout, ['hint', '01-timing/monitor']);
    expect(first.stdout).toContain('Hint 1 of 3 for 01-timing/monitor');
    expect(second.stdout).toContain('Hint 2 of 3 for 01-timing/monitor');
  });

  test('diff asks before showing a solution to a failing exercise, and shows it with --yes', async () => {
    const refused = await runCli(checkout, ['diff', 'server-timing']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('does not pass yet');
    const shown = await runCli(checkout, ['diff', 'server-timing', '--yes']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('+import onHeaders from');
  });
});

describe('workbook grade', RUNS_SUITES, () => {
  const grade = (format: string) => runCli(COURSE_ROOT, ['grade', checkout, '--lesson', '01', '--format', format], services());

  test('json: the documented shape; the edited test is reported and not used', async () => {
    const run = await grade('json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ version: 1, checkout, gradedAt: expect.any(String), total: { points: 10, maxPoints: 30 } });
    expect(Number.isNaN(Date.parse(String(report.gradedAt)))).toBe(false);
    const exercises = report.exercises as Record<string, unknown>[];
    expect(exercises.map((exercise) => [exercise.id, exercise.status, exercise.points, exercise.maxPoints])).toEqual([
      ['01-timing/server-timing', 'failed', 0, 10],
      ['01-timing/slow-requests', 'passed', 10, 10],
      ['01-timing/monitor', 'failed', 0, 10],
    ]);
    for (const exercise of exercises) {
      expect(Object.keys(exercise).sort()).toEqual(['id', 'lesson', 'maxPoints', 'points', 'status', 'tests', 'title']);
      for (const result of exercise.tests as Record<string, unknown>[]) {
        expect(typeof result.name).toBe('string');
        expect(['passed', 'failed']).toContain(result.status);
        if (result.status === 'failed') expect(typeof result.message).toBe('string');
      }
    }
    // The course's monitor suite ran, not the learner's one-line version.
    expect((exercises[2]!.tests as unknown[]).length).toBe(MONITOR_TESTS);
    expect(report.editedTests).toEqual([{ file: EDITED_TEST, change: 'modified' }]);
  });

  test('junit: vitest\'s own JUnit XML', async () => {
    const run = await grade('junit');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^<\?xml/);
    expect(run.stdout).toMatch(new RegExp(`<testsuites [^>]*tests="${TIMING_TESTS + SLOW_TESTS + MONITOR_TESTS}"`));
    expect(run.stdout).toContain('<testsuite name="exercises/01-timing/monitor.test.ts"');
    expect(run.stdout).toContain('<failure');
  });

  test('markdown: a table for people, with the edited test listed', async () => {
    const run = await grade('markdown');
    expect(run.stdout).toContain('# Grade: 10 / 30');
    expect(run.stdout).toContain(`| 01-timing/slow-requests | ✅ passed | ${SLOW_TESTS} / ${SLOW_TESTS} | 10 / 10 |`);
    expect(run.stdout).toContain(`- \`${EDITED_TEST}\`: modified`);
  });

  test('exercism: results.json version 3', async () => {
    const out = path.join(checkout, 'results.json');
    const run = await runCli(COURSE_ROOT, ['grade', checkout, '--lesson', '01', '--format', 'exercism', '--out', out], services());
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { version: number; status: string; tests: Record<string, unknown>[] };
    expect(results.version).toBe(3);
    expect(results.status).toBe('fail');
    expect(results.tests).toHaveLength(TIMING_TESTS + SLOW_TESTS + MONITOR_TESTS);
    // The published v3 fields (exercism.org/docs/building/tooling/test-runners/interface).
    expect(Object.keys(results).every((key) => ['version', 'status', 'message', 'tests'].includes(key))).toBe(true);
    for (const result of results.tests) {
      expect(Object.keys(result).every((key) => ['name', 'test_code', 'status', 'message', 'output', 'task_id'].includes(key)), Object.keys(result).join()).toBe(true);
      expect(typeof result.name).toBe('string');
      expect(['pass', 'fail', 'error']).toContain(result.status);
      expect(typeof result.test_code, `test_code of ${String(result.name)}`).toBe('string');
      expect(String(result.test_code)).toMatch(/^\s*test\(/);
      if (result.status !== 'pass') expect(typeof result.message).toBe('string');
      expect(Number.isInteger(result.task_id)).toBe(true);
    }
    const text = readFileSync(out, 'utf8');
    expect(text, 'no colour codes in a report').not.toMatch(/\\u001b|\u001b/);
    expect(text, 'no absolute paths into the course in a report').not.toContain(COURSE_ROOT);
  });
});

describe('reset in a learner\'s own repository', () => {
  test('after the learner commits and pushes their version, reset still restores the course\'s starter', async () => {
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
      rmSync(remote, { recursive: true, force: true });
    } finally {
      rmSync(fork, { recursive: true, force: true });
    }
  });
});

describe('help and mistakes', () => {
  test('every command has --help', async () => {
    for (const command of commands) {
      const run = await runCli(COURSE_ROOT, [command.name, '--help']);
      expect(run.code, command.name).toBe(0);
      expect(run.stdout).toContain(`usage: workbook ${command.usage}`);
    }
  });

  test('unknown input gets one line naming the nearest valid name', async () => {
    const command = await runCli(COURSE_ROOT, ['chek', '01']);
    expect(command.code).toBe(2);
    expect(command.stderr.trim()).toBe('workbook: unknown command "chek"; did you mean "check"? (workbook --help lists them)');
    const option = await runCli(COURSE_ROOT, ['grade', '--formt', 'json']);
    expect(option.stderr.trim()).toBe('workbook grade: unknown option --formt; did you mean --format?');
    const exercise = await runCli(COURSE_ROOT, ['hint', 'monitr']);
    expect(exercise.stderr.trim()).toBe('workbook hint: No lesson or exercise "monitr"; did you mean "monitor"?');
    for (const run of [command, option, exercise]) expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
