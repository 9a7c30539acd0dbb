// Runs vitest as a child process (never through a shell) and takes its JSON report over the
// child's IPC channel (see channel-reporter.ts): used by the checks, grading and the harness's
// own tests, which need whole runs to observe.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COURSE_ROOT } from './catalog.ts';
import { isReportMessage, type ReportFormat } from './report-message.ts';
import { startWatchdog, type HungFile } from './watchdog.ts';

export const VITEST_BIN = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const CHANNEL_REPORTER = fileURLToPath(new URL('./channel-reporter.ts', import.meta.url));

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
  /** vitest's JUnit XML, when `junit` was asked for. */
  junit?: string;
  /**
   * Reports beyond the one vitest sends, by format: something else in the run wrote to the
   * channel (a forgery; the first report is kept, and a grader treats the run as tampered).
   */
  extraReports: ReportFormat[];
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
  /** Also take vitest's JUnit XML (see VitestRun.junit). */
  junit?: boolean;
}

/** Characters of a run's output kept (its end). */
const MAX_OUTPUT = 8_000_000;

/** What a run needs of this process's environment when it inherits nothing else. */
const BASE_ENVIRONMENT = ['PATH', 'TMPDIR', 'LANG', 'LC_ALL', 'TERM', 'NO_COLOR', 'CI'];
const baseEnvironment = (): NodeJS.ProcessEnv =>
  Object.fromEntries(BASE_ENVIRONMENT.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));

export async function runVitest(options: VitestRunOptions = {}): Promise<VitestRun> {
  const started = Date.now();
  const watchdog = startWatchdog(options.hungAfterMs, options.stuckAfterMs, options.env?.WORKBOOK_WORKER_USER !== undefined);
  try {
    const args = [VITEST_BIN, 'run', '--reporter=default', `--reporter=${CHANNEL_REPORTER}`, ...(options.args ?? [])];
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? COURSE_ROOT,
      env: {
        ...(options.inheritEnv === false ? baseEnvironment() : process.env),
        ...watchdog.env,
        FORCE_COLOR: options.echo && process.stdout.isTTY && !process.env.NO_COLOR ? '1' : '0',
        WORKBOOK_REPORT_JUNIT: options.junit ? '1' : '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    if (child.pid !== undefined) watchdog.watch(child.pid);
    const reports = new Map<ReportFormat, string>();
    const extraReports: ReportFormat[] = [];
    child.on('message', (message) => {
      if (!isReportMessage(message)) return;
      if (reports.has(message.format)) extraReports.push(message.format);
      else reports.set(message.format, message.body);
    });
    let output = '';
    let interrupted = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      // A run that prints without end (a learner's loop) keeps its last megabytes, not all of them.
      if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT / 2);
      if (options.echo) process.stdout.write(chunk.toString());
      if (!interrupted && options.interruptWhen?.(output)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
    }).finally(() => clearTimeout(timer));
    const json = reports.get('json');
    const report = json === undefined ? undefined : parseReport(json);
    return { code, output, report, junit: reports.get('junit'), extraReports, seconds: (Date.now() - started) / 1000, hung: [...watchdog.hung] };
  } finally {
    watchdog.stop();
  }
}

function parseReport(text: string): VitestReport | undefined {
  try {
    return JSON.parse(text) as VitestReport;
  } catch {
    return undefined;
  }
}
