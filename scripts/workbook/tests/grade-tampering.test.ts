// Learners who want the points without the work: each trick below, added to an untouched starter,
// must be reported as tampered with 0 points, and honest failing code must not be.
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';
import { limitFor, makeCheckout, runCli, servicesEnv } from './fixture.ts';

let checkout: string;
let graded: { id: string; status: string; points: number; tampering?: string[]; tests: unknown[] }[];
let markdown: string;

beforeAll(async () => {
  checkout = makeCheckout();
  const starter = (name: string) => path.join(checkout, 'exercises/05-caching', name);
  // The trick from the report: the assertion library's prototype, patched from the learner's module.
  appendFileSync(starter('dedupe.ts'), "\nimport { chai } from 'vitest';\n(chai.Assertion.prototype as any).assert = () => {};\n");
  // The same, hidden from a reader of the source: only the canary can see it.
  appendFileSync(
    starter('warmer.ts'),
    "\nconst hidden = (await import(['vi', 'test'].join(''))) as any;\nhidden.chai.Assertion.prototype.assert = () => {};\n",
  );
  // Ending the run from inside: a test process that exits early reports no failure.
  appendFileSync(starter('products.ts'), '\nif (process.env.VITEST) process.exit(0);\n');
  // cache.ts stays the untouched starter: failing honestly is not tampering.
  const run = await runCli(COURSE_ROOT, ['grade', checkout, '--unsafe', '--lesson', '05', '--format', 'json,markdown', '--out', path.join(checkout, 'grades')], servicesEnv());
  expect(run.code, run.stderr).toBe(0);
  graded = JSON.parse(readFileSync(path.join(checkout, 'grades/grade.json'), 'utf8')).exercises;
  markdown = readFileSync(path.join(checkout, 'grades/grade.md'), 'utf8');
}, limitFor({ suites: 2 }).timeout); // lesson 05 whole: four suites

afterAll(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

const exercise = (name: string) => graded.find((candidate) => candidate.id === `05-caching/${name}`)!;

test('a patched assertion prototype is tampering: found in the source and by the canary, 0 points', () => {
  expect(exercise('dedupe')).toMatchObject({ status: 'tampered', points: 0 });
  expect(exercise('dedupe').tampering).toEqual([
    'dedupe.ts imports the test framework (vitest, chai or @vitest/*)',
    'dedupe.ts reaches into the assertion library',
    'a false assertion passed before the tests: assertions were neutralised',
    'a false assertion passed after the tests: assertions were neutralised',
  ]);
});

test('the same patch hidden behind a computed import is caught by the canary alone', () => {
  expect(exercise('warmer')).toMatchObject({ status: 'tampered', points: 0 });
  expect(exercise('warmer').tampering).toContain('a false assertion passed before the tests: assertions were neutralised');
});

test('process.exit in the learner module is tampering', () => {
  expect(exercise('products')).toMatchObject({ status: 'tampered', points: 0 });
  expect(exercise('products').tampering).toContain('products.ts exits the process (a test run that ends early reports nothing wrong)');
});

test('an untouched starter fails honestly: not tampered, and the canary is not among its tests', () => {
  expect(exercise('cache')).toMatchObject({ status: 'failed', points: 0 });
  expect(exercise('cache').tampering).toBeUndefined();
  const titles = (exercise('cache').tests as { name: string }[]).map((result) => result.name);
  expect(titles.some((title) => title.includes('workbook canary'))).toBe(false);
});

test('the report shows the tampering at a glance', () => {
  expect(markdown).toContain('| 05-caching/dedupe | ⛔ tampered |');
  expect(markdown).toContain('## Tampering (0 points for these exercises)');
});

test('an exercise that re-exports the course\'s solution is reported, not graded passed', async () => {
  const copier = makeCheckout();
  try {
    writeFileSync(path.join(copier, 'exercises/05-caching/dedupe.ts'), "export * from '../../solutions/05-caching/dedupe.ts';\n");
    const run = await runCli(COURSE_ROOT, ['grade', copier, '--unsafe', '--lesson', 'dedupe', '--format', 'json'], servicesEnv());
    expect(run.code, run.stderr).toBe(0);
    const [dedupe] = JSON.parse(run.stdout).exercises as { status: string; points: number; tampering?: string[] }[];
    expect(dedupe).toMatchObject({ status: 'tampered', points: 0, tampering: ['imports a solution of the course instead of solving the exercise'] });
  } finally {
    rmSync(copier, { recursive: true, force: true });
  }
}, limitFor({ suites: 1, checkouts: 1 }).timeout);

test('results rewritten on their way out of the test worker are caught by the canary that must fail', async () => {
  const flipper = makeCheckout();
  try {
    // Every failed test in the worker's messages to vitest's main process turned into a pass,
    // spelt so that the scan does not see it: the canary alone must.
    const flip = [
      "const name = ['_se', 'nd'].join('');",
      'const channel = process as unknown as Record<string, (...args: any[]) => unknown>;',
      'const send = channel[name]!;',
      'channel[name] = function (this: unknown, message: any, ...rest: unknown[]) {',
      "  if (message?.m === ['onTask', 'Update'].join('')) for (const pack of message.a?.[0] ?? []) if (pack?.[1]?.state === 'fail') pack[1] = { ...pack[1], state: 'pass', errors: undefined };",
      '  return send.call(this, message, ...rest);',
      '};',
      '',
    ].join('\n');
    const file = path.join(flipper, 'exercises/05-caching/dedupe.ts');
    writeFileSync(file, flip + readFileSync(file, 'utf8'));
    const run = await runCli(COURSE_ROOT, ['grade', flipper, '--unsafe', '--lesson', 'dedupe', '--format', 'json'], servicesEnv());
    expect(run.code, run.stderr).toBe(0);
    const [dedupe] = JSON.parse(run.stdout).exercises as { status: string; points: number; tampering?: string[] }[];
    expect(dedupe).toMatchObject({
      status: 'tampered',
      points: 0,
      tampering: ['a failing test was reported as passed: the results were rewritten on their way to the grader'],
    });
  } finally {
    rmSync(flipper, { recursive: true, force: true });
  }
}, limitFor({ suites: 1, checkouts: 1 }).timeout);

test('a matcher replaced through vitest\'s global expect, a module-load hook, and forged report files gain nothing', async () => {
  const trickster = makeCheckout();
  try {
    const file = (name: string) => path.join(trickster, 'exercises/01-timing', name);
    // No import of vitest to scan for: toBe made to pass whatever it compares.
    appendFileSync(
      file('slow-requests.ts'),
      "\nconst judge = (globalThis as any)[Symbol.for('expect-global')];\njudge?.extend({ toBe: () => ({ pass: true, message: () => '' }) });\n",
    );
    appendFileSync(
      file('monitor.ts'),
      "\nimport { register } from 'node:module';\nregister('data:text/javascript,export async function load(url, context, next) { return next(url, context); }');\n",
    );
    // A report that says everything passed, written wherever a report file might be read.
    const forged = JSON.stringify({ numTotalTests: 1, numPassedTests: 1, numFailedTests: 0, testResults: [] });
    appendFileSync(
      file('server-timing.ts'),
      `\nimport { readdirSync as list, writeFileSync as write } from 'node:fs';\nimport { tmpdir as temp } from 'node:os';\nfor (const dir of list(temp())) if (dir.startsWith('workbook-')) for (const name of ['report.json', 'junit.xml']) try { write(\`\${temp()}/\${dir}/\${name}\`, ${JSON.stringify(forged)}); } catch {}\n`,
    );
    const run = await runCli(COURSE_ROOT, ['grade', trickster, '--unsafe', '--lesson', '01', '--format', 'json'], servicesEnv());
    expect(run.code, run.stderr).toBe(0);
    const graded = JSON.parse(run.stdout) as { total: { points: number }; exercises: { id: string; status: string; points: number; tampering?: string[] }[] };
    const byName = (name: string) => graded.exercises.find((exercise) => exercise.id === `01-timing/${name}`)!;
    expect(graded.total.points).toBe(0);
    expect(byName('slow-requests')).toMatchObject({ status: 'tampered', points: 0 });
    expect(byName('slow-requests').tampering).toContain('a false assertion passed before the tests: assertions were neutralised');
    expect(byName('monitor')).toMatchObject({ status: 'tampered', points: 0 });
    expect(byName('monitor').tampering).toContain('monitor.ts imports node:module (module-load hooks can rewrite the tests)');
    expect(byName('server-timing')).toMatchObject({ status: 'failed', points: 0 });
  } finally {
    rmSync(trickster, { recursive: true, force: true });
  }
}, limitFor({ suites: 1, checkouts: 1 }).timeout);
