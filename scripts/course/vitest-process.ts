// Runs vitest as a child process (never through a shell) and reads its JSON report: used by
// the maintainers' checks and the harness's own tests, which need whole runs to observe.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COURSE_ROOT } from './catalog.ts';
import { startWatchdog, type HungFile } from './watchdog.ts';

export const VITEST_BIN = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/** The part of vitest's JSON reporter output the checks read. */
export interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    status: 'passed' | 'failed';
    message: string;
    /** Epoch milliseconds. */
    startTime: number;
    endTime: number;
    assertionResults: { title: string; fullName: string; ancestorTitles: string[]; status: string; failureMessages: string[] }[];
  }[];
}

export interface VitestRun {
  code: number;
  output: string;
  /** Undefined when vitest stopped before reporting (e.g. globalSetup failed). */
  report?: VitestReport;
  seconds: number;
  /** Suite files whose worker the watchdog stopped (a blocked event loop). */
  hung: HungFile[];
}

export interface VitestRunOptions {
  /** Arguments after `vitest run`: filters, --project, --config … */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Pass this process's environment on (default); false passes only BASE_ENVIRONMENT and `env`. */
  inheritEnv?: boolean;
  /** Hard stop: the child is killed after it. None unless given (a learner's run is never cut silently). */
  timeoutMs?: number;
  /** Also print the child's output as it comes (the learner watches the run). */
  echo?: boolean;
  /** Stop a worker whose event loop has not turned for this long (a blocked loop); see watchdog.ts. */
  hungAfterMs?: number;
  /** Stop a worker that ticks but waits this long in one place (default: 10 × hungAfterMs). */
  stuckAfterMs?: number;
  /** Sends SIGINT (as Ctrl-C would) the first time the output so far satisfies this. */
  interruptWhen?: (output: string) => boolean;
}

/** What a run needs of this process's environment when it inherits nothing else. */
const BASE_ENVIRONMENT = ['PATH', 'TMPDIR', 'LANG', 'LC_ALL', 'TERM', 'NO_COLOR', 'CI'];
const baseEnvironment = (): NodeJS.ProcessEnv =>
  Object.fromEntries(BASE_ENVIRONMENT.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));

export async function runVitest(options: VitestRunOptions = {}): Promise<VitestRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'workbook-vitest-'));
  const reportFile = path.join(dir, 'report.json');
  const started = Date.now();
  const watchdog = startWatchdog(options.hungAfterMs, options.stuckAfterMs);
  try {
    const args = [VITEST_BIN, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...(options.args ?? [])];
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? COURSE_ROOT,
      env: { ...(options.inheritEnv === false ? baseEnvironment() : process.env), ...watchdog.env, FORCE_COLOR: options.echo && process.stdout.isTTY && !process.env.NO_COLOR ? '1' : '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let interrupted = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      // The JSON report is ours to read, not the learner's: drop vitest's line about it.
      if (options.echo) process.stdout.write(chunk.toString().replace(/^JSON report written to .*\n/m, ''));
      if (!interrupted && options.interruptWhen?.(output)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
    }).finally(() => clearTimeout(timer));
    const report = await readFile(reportFile, 'utf8').then((text) => JSON.parse(text) as VitestReport, () => undefined);
    return { code, output, report, seconds: (Date.now() - started) / 1000, hung: [...watchdog.hung] };
  } finally {
    watchdog.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
