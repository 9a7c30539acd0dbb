// grade --sandbox, tried with the tricks a sandbox exists for. Each exercise of lesson 05 in a
// learner's checkout gets one, and the checkout is graded the way an instructor grades another
// one (the sandbox is the default when a container runtime answers):
// - dedupe: reads the course's own solution through the course's path and runs it;
// - warmer: reads a file outside the checkout and the instructor's environment, overwrites its
//   own file, connects to a server on the instructor's loopback, signals the grader (to open its
//   inspector) and writes to its output; it reports what it saw;
// - products: a detached helper prints forged result lines, all points, while the run goes on;
// - cache: a module-load hook (caught by the scan, sandbox or not).
// Runs where a container runtime answers (CI's container step); skipped elsewhere.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';
import { containerRuntimeProblem } from '../../../shared/testing/services/containers.ts';
import type { Grade, GradedExercise } from '../grading.ts';
import { CHECKOUT_LABEL } from '../sandbox.ts';
import { RESULT_PREFIX } from '../sandbox-result.ts';
import { makeCheckout, runCli, type CliRun } from './fixture.ts';

const runtimeProblem = await containerRuntimeProblem();

describe.skipIf(runtimeProblem !== null)(`grade in a sandbox${runtimeProblem ? ` (skipped: ${runtimeProblem})` : ''}`, () => {
  const secret = `secret-${randomBytes(6).toString('hex')}`;
  let secretDir: string;
  let checkout: string;
  let server: Server;
  let connections = 0;
  let run: CliRun;
  let grade: Grade;
  const exercise = (name: string) => grade.exercises.find((candidate) => candidate.id === `05-caching/${name}`) as GradedExercise;

  beforeAll(async () => {
    secretDir = mkdtempSync(path.join(tmpdir(), 'workbook-instructor-'));
    writeFileSync(path.join(secretDir, 'secret.txt'), secret);
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    checkout = makeCheckout();
    const file = (name: string) => path.join(checkout, 'exercises/05-caching', name);
    writeFileSync(
      file('dedupe.ts'),
      [
        "import { readFileSync, writeFileSync } from 'node:fs';",
        "import { tmpdir } from 'node:os';",
        "import path from 'node:path';",
        '// The tests run from the course: its solutions are one folder away.',
        "const copy = path.join(tmpdir(), 'dedupe-copy.ts');",
        "writeFileSync(copy, readFileSync(path.join(process.cwd(), 'solutions/05-caching/dedupe.ts'), 'utf8'));",
        'export const { Deduplicator } = await import(copy);',
        '',
      ].join('\n'),
    );
    writeFileSync(
      file('warmer.ts'),
      [
        "import { readdirSync, readFileSync, writeFileSync } from 'node:fs';",
        "import { connect } from 'node:net';",
        'const attempt = (what: string, work: () => string) => { try { return `${what}: ${work()}`; } catch (error) { return `${what}: ${(error as NodeJS.ErrnoException).code}`; } };',
        'const seen = [',
        `  attempt('secret', () => readFileSync(${JSON.stringify(path.join(secretDir, 'secret.txt'))}, 'utf8')),`,
        "  attempt('token', () => String(process.env.INSTRUCTOR_TOKEN)),",
        // vitest's module cache in node_modules holds every solution it has transformed.
        "  attempt('cached files', () => String(readdirSync('/course/node_modules').filter((name) => name.startsWith('.') && name !== '.bin').flatMap((name) => { try { return readdirSync(`/course/node_modules/${name}`); } catch { return []; } }).length)),",
        "  attempt('write', () => { writeFileSync(new URL(import.meta.url), 'overwritten'); return 'written'; }),",
        // The judge's processes: opening the grader's inspector, writing to its output.
        "  attempt('signal the grader', () => { process.kill(1, 'SIGUSR1'); return 'sent'; }),",
        "  attempt(\"write the grader's output\", () => { writeFileSync('/proc/1/fd/1', 'forged'); return 'written'; }),",
        `  await new Promise<string>((resolve) => { const socket = connect(${port}, '127.0.0.1', () => { socket.destroy(); resolve('connect: connected'); }); socket.on('error', (error: NodeJS.ErrnoException) => resolve(\`connect: \${error.code}\`)); }),`,
        '];',
        "throw new Error(`saw ${seen.join('; ')}`);",
        '',
      ].join('\n'),
    );
    const forged = `${RESULT_PREFIX}${JSON.stringify({ grade: { total: { points: 999, maxPoints: 65 }, exercises: [] }, junit: '', suiteSources: {} })}`;
    writeFileSync(
      file('products.ts'),
      readFileSync(file('products.ts'), 'utf8') +
        [
          '',
          "import { spawn } from 'node:child_process';",
          `const forged = ${JSON.stringify(forged)};`,
          "const helper = `const fs = require('node:fs'); const until = Date.now() + 60000; (function forge() { for (const fd of ['/proc/1/fd/1', '/proc/1/fd/2']) { try { fs.appendFileSync(fd, '\\\\n' + ${JSON.stringify(forged)} + '\\\\n'); } catch {} } if (Date.now() < until) setTimeout(forge, 5); })();`;",
          "spawn(process.execPath, ['-e', helper], { detached: true, stdio: 'inherit' }).unref();",
          'console.log(`\\n${forged}`);',
          '',
        ].join('\n'),
    );
    writeFileSync(
      file('cache.ts'),
      readFileSync(file('cache.ts'), 'utf8') +
        "\nimport { register } from 'node:module';\nregister('data:text/javascript,export async function load(url, context, next) { return next(url, context); }');\n",
    );
    // As an instructor grades a class: another checkout, no --sandbox or --unsafe said.
    run = await runCli(COURSE_ROOT, ['grade', checkout, '--lesson', '05', '--format', 'json'], { INSTRUCTOR_TOKEN: 'hunter2' });
    expect(run.code, run.stderr).toBe(0);
    grade = JSON.parse(run.stdout) as Grade;
  }, 600_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    for (const dir of [checkout, secretDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('another checkout is graded in a sandbox by default when a container runtime answers', () => {
    expect(run.stderr).toContain('grading in a sandbox');
    expect(run.stderr).not.toContain('unsandboxed');
  });

  test('no trick gains a point', () => {
    expect(grade.total.points).toBe(0);
    expect(grade.exercises.map((graded) => graded.status)).not.toContain('passed');
    expect(grade.exercises).toHaveLength(4);
  });

  test("the course's solutions are not in the sandbox: a learner who copies one at run time gets nothing", () => {
    const dedupe = exercise('dedupe');
    expect(dedupe.points).toBe(0);
    expect(JSON.stringify(dedupe)).toContain('ENOENT');
    expect(JSON.stringify(dedupe)).toContain('solutions/05-caching/dedupe.ts');
  });

  test("learner code cannot read outside its checkout, see the instructor's environment, write, connect out, or reach the judge", () => {
    const warmer = exercise('warmer');
    const said = JSON.stringify(warmer);
    expect(said, 'the module ran and reported what it saw').toContain('saw secret: ENOENT');
    expect(said).toContain('token: undefined');
    expect(said).toContain('cached files: 0');
    expect(said, 'its own file: not its to write (nobody), on a read-only mount').toMatch(/write: (EACCES|EROFS)/);
    expect(said).toContain('connect: ECONNREFUSED');
    expect(said).toContain('signal the grader: EPERM');
    expect(said).toContain("write the grader's output: EACCES");
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain('hunter2');
    expect(connections, 'connections that reached a server on the instructor\'s loopback').toBe(0);
    expect(readFileSync(path.join(checkout, 'exercises/05-caching/warmer.ts'), 'utf8')).not.toBe('overwritten');
  });

  test('forged result lines printed during the run are not the result', () => {
    expect(exercise('products')).toMatchObject({ status: 'failed', points: 0 });
    expect(grade.total.maxPoints).toBe(grade.exercises.reduce((sum, graded) => sum + graded.maxPoints, 0));
    expect(grade.checkout).toBe(checkout);
  });

  test('a module-load hook is tampering, in the sandbox too', () => {
    expect(exercise('cache')).toMatchObject({ status: 'tampered', points: 0 });
    expect(exercise('cache').tampering).toContain('cache.ts imports node:module (module-load hooks can rewrite the tests)');
  });

  test("a checkout whose exercises/ is a symbolic link is not graded: the sandbox would mount what it points to", async () => {
    const linked = mkdtempSync(path.join(tmpdir(), 'workbook-linked-'));
    try {
      symlinkSync(path.join(COURSE_ROOT, 'solutions'), path.join(linked, 'exercises'));
      const refused = await runCli(COURSE_ROOT, ['grade', linked, '--sandbox', '--lesson', 'dedupe', '--format', 'json']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('its exercises/ holds symbolic links (exercises): only real files are graded');
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  test('a checkout that runs past the time limit is stopped and reported, and its containers removed', async () => {
    writeFileSync(path.join(checkout, 'exercises/05-caching/dedupe.ts'), 'while (true) {}\n');
    const grading = runCli(COURSE_ROOT, ['grade', checkout, '--sandbox', '--lesson', 'dedupe', '--format', 'json'], { WORKBOOK_SANDBOX_MINUTES: '0.5' });
    // Its three containers, seen while it runs (they carry the checkout's label).
    let seen = 0;
    let done = false;
    void grading.finally(() => (done = true));
    while (!done) {
      seen = Math.max(seen, (await sandboxContainers(checkout)).length);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const stopped = await grading;
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toContain('the sandbox did not finish within 0.5 min (WORKBOOK_SANDBOX_MINUTES); it was stopped');
    expect(seen, 'containers of this sandbox seen while it ran').toBe(3);
    expect(await sandboxContainers(checkout)).toEqual([]);
  }, 300_000);

  test('no container of a sandbox is left after grading', async () => {
    expect(await sandboxContainers(checkout)).toEqual([]);
  });
});

/** The containers of sandboxes that graded `checkout` (other sandboxes may run on the machine). */
async function sandboxContainers(checkout: string): Promise<string[]> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const containers = await client.container.dockerode.listContainers({ all: true, filters: { label: [`${CHECKOUT_LABEL}=${checkout}`] } });
  return containers.map((container) => `${container.Id.slice(0, 12)} ${container.Image} ${container.State}`);
}
