// A learner's checkout for the CLI's tests: a copy of this course (tracked and new files, as in
// the working tree) committed to its own git repository, sharing node_modules and the
// generated Prisma client by symlink.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';

/** A checkout of the course; `withoutSolutions`: as an instructor publishes it to a class. */
export function makeCheckout({ withoutSolutions = false } = {}): string {
  const checkout = mkdtempSync(path.join(tmpdir(), 'workbook-checkout-'));
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: COURSE_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (withoutSolutions && file.startsWith('solutions/')) continue;
    cpSync(path.join(COURSE_ROOT, file), path.join(checkout, file), { recursive: true });
  }
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: checkout, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=Learner', '-c', 'user.email=learner@example.test', 'commit', '-qm', 'course as cloned');
  // After the commit: an install's output, never part of the course's history.
  symlinkSync(path.join(COURSE_ROOT, 'node_modules'), path.join(checkout, 'node_modules'));
  symlinkSync(path.join(COURSE_ROOT, 'shared/db/generated'), path.join(checkout, 'shared/db/generated'));
  return checkout;
}

/**
 * Removes a folder that graded runs worked in. rmSync's own retries only repeat the last rmdir,
 * so one entry written after its walk (CI once saw ENOTEMPTY) fails it: each try here walks
 * again. A folder still gaining entries after ten seconds is a leak, reported with what it held
 * and which processes still work there.
 */
export function removeFolder(dir: string): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || Date.now() > deadline) {
        const left = existsSync(dir) ? readdirSync(dir, { recursive: true }).slice(0, 20).join(', ') : 'nothing';
        throw new Error(`${dir} could not be removed (${(error as Error).message}); it still held: ${left}; processes working there: ${processesIn(dir).join('; ') || 'none'}`);
      }
      process.stderr.write(`${dir}: an entry appeared while it was removed; trying again\n`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

/** Processes whose working directory is inside `dir` (Linux /proc), as "pid command". */
function processesIn(dir: string): string[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      if (!readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) return [];
      return [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 200)}`];
    } catch {
      return [];
    }
  });
}

/** A loopback port nothing listens on (a moment ago nothing did): for "no server answers" runs. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The same servers as this run, whichever source they came from. */
export const servicesEnv = () => ({ WORKBOOK_SOURCE: 'env', DATABASE_URL: inject('postgresUrl'), REDIS_URL: inject('redisUrl') });

/**
 * The services message of a nested run that found no servers, or undefined: asserted first, so a
 * failure shows why (a busy machine's probe, a full server) rather than a long diff of its output.
 */
export const servicesProblem = (output: string): string | undefined =>
  /The workbook's tests need a real PostgreSQL and Redis[\s\S]*?(?=Fix it in one of three ways)/.exec(output)?.[0];

/** The test file the learner of learnerCheckout() guts so that it passes. */
export const EDITED_TEST = 'exercises/01-timing/monitor.test.ts';

/** How many tests the course's own suite for an exercise of lesson 01 has (suites grow; counts follow). */
export const testsIn = (name: string): number =>
  readFileSync(path.join(COURSE_ROOT, `exercises/01-timing/${name}.test.ts`), 'utf8').match(/^\s*test\(/gm)?.length ?? 0;

/** Copies a course file into the checkout, e.g. a solution over its starter. */
export function copyIn(checkout: string, from: string, to: string): void {
  writeFileSync(path.join(checkout, to), readFileSync(path.join(COURSE_ROOT, from)));
}

/** A learner part-way through lesson 01: slow-requests solved, monitor's test gutted, server-timing untouched. */
export function learnerCheckout(): string {
  const checkout = makeCheckout();
  copyIn(checkout, 'solutions/01-timing/slow-requests.ts', 'exercises/01-timing/slow-requests.ts');
  writeFileSync(path.join(checkout, EDITED_TEST), "import { test } from 'vitest';\ntest('fine', () => {});\n");
  return checkout;
}

/**
 * A harness test's time limit, from the processes it starts and waits for. A CLI run is 1–3
 * CPU-seconds and a run of suites 5–30; beside verify's rows on two cores, load average 17, each
 * took ten times that. A checkout made inside the test (makeCheckout: ~500 files copied, git
 * init, add and commit, and the git commands a test runs on it) counts as much as a CLI run. The
 * limit only stops a hang: it never judges speed.
 */
export const limitFor = ({ cli = 0, suites = 0, checkouts = 0 }: { cli?: number; suites?: number; checkouts?: number }): { timeout: number } => ({
  timeout: (cli + checkouts) * 60_000 + suites * 180_000,
});

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `workbook <args>` from `cwd`, with the CLI of `root` (a checkout, or the course). */
export function runCli(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCommand(process.execPath, [path.join(root, 'bin/workbook.mjs'), ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: '0', ...env } });
}

/**
 * Runs a command to its end without blocking this test's event loop (spawnSync would: the
 * watchdog takes a loop that stops turning for a hung file). Killed after `timeoutMs`.
 */
export function runCommand(command: string, args: string[], { cwd, env = process.env, timeoutMs = 180_000 }: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
