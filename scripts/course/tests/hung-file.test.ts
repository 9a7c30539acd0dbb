// A learner's code that blocks the event loop forever: the watchdog stops that file's worker,
// the file is reported as hung (never as passed), every other file's results are kept, and no
// process is left behind.
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, expect, test } from 'vitest';
import { COURSE_ROOT } from '../catalog.ts';
import { runSuites } from '../suite-runs.ts';
import { servicesEnv } from '../../workbook/tests/fixture.ts';

const checkout = mkdtempSync(path.join(tmpdir(), 'workbook-hung-'));
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

test('a file stuck in an endless loop, or on a promise that never settles, is stopped and reported as hung; the other files still report', async () => {
  for (const lesson of ['05-caching', '02-queries']) {
    cpSync(path.join(COURSE_ROOT, 'exercises', lesson), path.join(checkout, 'exercises', lesson), { recursive: true });
  }
  writeFileSync(
    path.join(checkout, 'exercises/05-caching/dedupe.ts'),
    'export class Deduplicator<T> {\n  run(_key: string, load: () => Promise<T>): Promise<T> {\n    while (Date.now() > 0) {}\n    return load();\n  }\n  get size(): number {\n    return 0;\n  }\n}\n',
  );
  // Alive (its event loop turns) but waiting forever while it loads: no vitest timeout covers that.
  writeFileSync(path.join(checkout, 'exercises/05-caching/cache.ts'), 'await new Promise(() => {});\nexport {};\n');
  // Ends normally but reports tampering from an after-hook that throws (a graded run's canary):
  // its worker's beacon must not be taken for a hang once the worker is gone.
  appendFileSync(path.join(checkout, 'exercises/02-queries/public-users.ts'), "\nimport { chai } from 'vitest';\n(chai.Assertion.prototype as any).assert = () => {};\n");
  const vitestsBefore = vitestProcesses();
  const result = await runSuites({
    project: 'exercises',
    files: ['exercises/05-caching/dedupe.test.ts', 'exercises/05-caching/cache.test.ts', 'exercises/02-queries/public-users.test.ts'],
    env: { WORKBOOK_TARGET: path.join(checkout, 'exercises'), WORKBOOK_CANARY: 'c0ffee', ...servicesEnv() },
    // The loop is judged by the CPU it burns without a tick (5 s), not by time passed, and the
    // wait by 40 s in one place: a file starved by a busy machine reaches neither.
    hungAfterMs: 5_000,
    stuckAfterMs: 40_000,
    timeoutMs: 150_000,
  });
  const hung = result.suites.get('exercises/05-caching/dedupe.test.ts');
  expect(hung?.passed).toBe(false);
  expect(hung?.hung).toBe(true);
  expect(hung?.message).toMatch(/^hung — an endless loop or a blocked event loop\? The file's event loop did not turn for \d+ s/);
  const waiting = result.suites.get('exercises/05-caching/cache.test.ts');
  expect(waiting?.hung, 'the file waiting on a promise that never settles is stopped too').toBe(true);
  expect(waiting?.message).toMatch(/^hung — a promise that never settles\? The file waited in "\(loading the file\)" for [4-9]\d s/); // 40 s, and the watchdog polls once a second (later on a busy machine)
  const other = result.suites.get('exercises/02-queries/public-users.test.ts');
  expect(other, 'the other file still has its results').toBeDefined();
  expect(other?.hung, `a file whose worker ended is not hung: ${other?.message}`).toBeFalsy();
  expect(other?.tests).toBeGreaterThan(0);
  expect(vitestProcesses(), 'no vitest process is left behind').toBeLessThanOrEqual(vitestsBefore);
}, 180_000);

/** vitest processes whose command line names this test's checkout. */
function vitestProcesses(): number {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(checkout)).length;
}
