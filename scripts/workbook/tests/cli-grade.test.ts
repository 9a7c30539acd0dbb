// `workbook grade` as an instructor runs it: a class of two checkouts (one part-way through lesson
// 01 with a gutted test file, one untouched) graded once into an --out folder in every format,
// then each format read as its consumers read it; and one checkout to stdout.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';
import { EDITED_TEST, closedPort, learnerCheckout, limitFor, makeCheckout, removeFolder, runCli, servicesEnv, testsIn, type CliRun } from './fixture.ts';

const [TIMING_TESTS, SLOW_TESTS, MONITOR_TESTS] = ['server-timing', 'slow-requests', 'monitor'].map(testsIn) as [number, number, number];
const ALL_TESTS = TIMING_TESTS + SLOW_TESTS + MONITOR_TESTS;
let classDir: string;
let ada: string;
let out: string;
let graded: CliRun;
const read = (...parts: string[]) => readFileSync(path.join(out, ...parts), 'utf8');

beforeAll(async () => {
  // A class folder as Classroom's tooling clones it: one sub-folder per learner.
  classDir = mkdtempSync(path.join(tmpdir(), 'workbook-class-'));
  ada = path.join(classDir, 'ada');
  renameSync(learnerCheckout(), ada);
  renameSync(makeCheckout(), path.join(classDir, 'grace'));
  out = path.join(classDir, 'grades');
  graded = await runCli(COURSE_ROOT, ['grade', classDir, '--unsafe', '--lesson', '01', '--format', 'all', '--out', out], servicesEnv());
}, limitFor({ suites: 1 }).timeout);

afterAll(() => {
  if (classDir) removeFolder(classDir);
});

describe('grading a class', () => {
  test('every learner gets a folder with every format; the class gets a summary', () => {
    expect(graded.code, graded.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['ada', 'class.csv', 'class.md', 'grace']);
    for (const learner of ['ada', 'grace']) {
      expect(readdirSync(path.join(out, learner)).sort()).toEqual(['grade.json', 'grade.md', 'junit.xml', 'results.json']);
    }
  });

  test('class.md: points per lesson, total and edited tests per learner; also on stdout', () => {
    const summary = read('class.md');
    expect(summary).toContain('# Class grades: 2 checkouts');
    expect(summary).toContain('| learner | 01-timing | total | edited tests | tampered |');
    expect(summary).toContain(`| ada | 10 / 30 | **10 / 30** | \`${EDITED_TEST}\` (modified) | none |`);
    expect(summary).toContain('| grace | 0 / 30 | **0 / 30** | none | none |');
    expect(graded.stdout).toBe(summary);
  });

  test('class.csv: one row per learner, ready for a spreadsheet', () => {
    expect(read('class.csv').trim().split('\n')).toEqual([
      'learner,01-timing,total,max,edited_tests,tampered,error',
      `ada,10,10,30,${EDITED_TEST},,`,
      'grace,0,0,30,,,',
    ]);
  });

  test('json: the documented shape; the edited test is reported and not used', () => {
    const report = JSON.parse(read('ada', 'grade.json')) as Record<string, unknown>;
    expect(report).toMatchObject({ version: 1, checkout: ada, gradedAt: expect.any(String), total: { points: 10, maxPoints: 30 } });
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

  test('junit: vitest\'s JUnit XML, with each exercise\'s points and edited test as properties', () => {
    const xml = read('ada', 'junit.xml');
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*tests="${ALL_TESTS}"`));
    expect(xml).toContain('<failure');
    const properties = (file: string) => {
      const suite = new RegExp(`<testsuite name="${file}"[^>]*>\\s*<properties>([\\s\\S]*?)</properties>`).exec(xml);
      expect(suite, `properties of ${file}`).not.toBeNull();
      return Object.fromEntries([...suite![1]!.matchAll(/<property name="(\w+)" value="([^"]*)"\/>/g)].map((match) => [match[1], match[2]]));
    };
    expect(properties('exercises/01-timing/slow-requests.test.ts')).toEqual({
      exercise: '01-timing/slow-requests', status: 'passed', points: '10', maxPoints: '10', editedTest: 'none', tampering: 'none',
    });
    expect(properties('exercises/01-timing/monitor.test.ts')).toEqual({
      exercise: '01-timing/monitor', status: 'failed', points: '0', maxPoints: '10', editedTest: `${EDITED_TEST} modified, not used`, tampering: 'none',
    });
  });

  test('markdown: a table for people, with the edited test listed', () => {
    const markdown = read('ada', 'grade.md');
    expect(markdown).toContain('# Grade: 10 / 30');
    expect(markdown).toContain(`| 01-timing/slow-requests | ✅ passed | ${SLOW_TESTS} / ${SLOW_TESTS} | 10 / 10 |`);
    expect(markdown).toContain(`- \`${EDITED_TEST}\`: modified`);
  });

  test('exercism: results.json version 3, with the published fields only', () => {
    const text = read('ada', 'results.json');
    const results = JSON.parse(text) as { version: number; status: string; tests: Record<string, unknown>[] };
    expect(results.version).toBe(3);
    expect(results.status).toBe('fail');
    expect(results.tests).toHaveLength(ALL_TESTS);
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
    expect(text, 'no colour codes in a report').not.toMatch(/\\u001b|\u001b/);
    expect(text, 'no absolute paths into the course in a report').not.toContain(COURSE_ROOT);
  });
});

describe('grading one checkout', () => {
  test('one format goes to stdout', limitFor({ suites: 1 }), async () => {
    const run = await runCli(COURSE_ROOT, ['grade', ada, '--unsafe', '--lesson', 'dedupe', '--format', 'markdown'], servicesEnv());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^# Grade: 0 \/ \d+\n/);
    expect(run.stdout).toContain('| 05-caching/dedupe | ❌ failed |');
  });

  test('a path that does not exist, or several formats without a folder, is a usage error', limitFor({ cli: 2 }), async () => {
    const missing = await runCli(COURSE_ROOT, ['grade', path.join(classDir, 'nobody'), '--unsafe']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(classDir, 'nobody')} does not exist`);
    const noFolder = await runCli(COURSE_ROOT, ['grade', ada, '--unsafe', '--format', 'json,junit']);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('add --out <folder>');
    expect(existsSync(path.join(ada, 'grade.json'))).toBe(false);
  });

  test('with no container runtime, another checkout is graded only with --unsafe, after saying why', limitFor({ cli: 3 }), async () => {
    const noRuntime = { ...servicesEnv(), DOCKER_HOST: `tcp://127.0.0.1:${await closedPort()}` };
    const refused = await runCli(COURSE_ROOT, ['grade', ada, '--lesson', 'dedupe', '--format', 'json'], noRuntime);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/runs its code as you: it can read your files[\s\S]*add\s+--unsafe/);
    expect(refused.stderr).toContain('No container runtime answers, so grade cannot use a sandbox');
    expect(refused.stdout).toBe('');
    const insisted = await runCli(COURSE_ROOT, ['grade', ada, '--sandbox', '--lesson', 'dedupe', '--format', 'json'], noRuntime);
    expect(insisted.code).toBe(2);
    expect(insisted.stderr).toContain('--sandbox needs a container runtime (Docker or podman), and none answers');
    const both = await runCli(COURSE_ROOT, ['grade', ada, '--sandbox', '--unsafe'], noRuntime);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--sandbox and --unsafe exclude each other');
  });

  test("a checkout whose exercises/ is a symbolic link (to a classmate's, or to solutions) is not graded", limitFor({ cli: 1 }), async () => {
    const copycat = path.join(classDir, 'copycat');
    mkdirSync(copycat);
    symlinkSync(path.join(COURSE_ROOT, 'solutions'), path.join(copycat, 'exercises'));
    const run = await runCli(COURSE_ROOT, ['grade', copycat, '--unsafe', '--lesson', 'dedupe', '--format', 'json'], servicesEnv());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('is not graded: its exercises/ holds symbolic links (exercises): only real files are graded');
    expect(run.stdout).toBe('');
    removeFolder(copycat);
  });

  test('graded code gets none of the grader\'s environment', limitFor({ suites: 1, checkouts: 1 }), async () => {
    const nosy = path.join(classDir, 'nosy');
    renameSync(makeCheckout(), nosy);
    writeFileSync(path.join(nosy, 'exercises/05-caching/dedupe.ts'), "throw new Error(`token=${process.env.INSTRUCTOR_TOKEN}; home=${process.env.HOME}`);\n");
    const run = await runCli(COURSE_ROOT, ['grade', nosy, '--unsafe', '--lesson', 'dedupe', '--format', 'json'], { ...servicesEnv(), INSTRUCTOR_TOKEN: 'hunter2' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('grading unsandboxed (--unsafe)');
    expect(run.stdout, 'the learner module ran and reported what it saw').toContain('token=undefined; home=undefined');
    expect(run.stdout).not.toContain('hunter2');
  });
});
