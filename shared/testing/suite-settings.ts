// The settings every exercise suite runs with, whichever config runs it (vitest.config.ts,
// verify's rows, mutation testing). Suites talk to real servers and measure real time:
// generous, fixed bounds; the setup file lets verify stop a must-be-red file at its first failure.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Every suite runs in this time zone, whatever the machine's: a verdict must not depend on where
 * the learner lives, and code that reads UTC timestamps as local time fails everywhere, not only
 * east or west of Greenwich (+12:45/+13:45: no whole-hour mistake cancels out).
 */
export const SUITE_TIME_ZONE = 'Pacific/Chatham';

export const suiteSettings = {
  testTimeout: 30_000,
  env: { TZ: SUITE_TIME_ZONE },
  hookTimeout: 60_000,
  setupFiles: ['./shared/testing/only-named-tests.ts', './shared/testing/stop-at-first-failure.ts', './shared/testing/watchdog-beacon.ts', './shared/testing/failure-messages.ts', './shared/testing/canary.ts'],
};

/**
 * Node flags of every suite worker: --expose-gc lets memory suites measure a settled heap (worker
 * threads refuse it as execArgv); with WORKBOOK_WORKER_USER (grade --sandbox) the worker first
 * gives up root for that user (worker-user.mjs).
 */
export const workerFlags = {
  execArgv: ['--expose-gc', ...(process.env.WORKBOOK_WORKER_USER ? ['--import', fileURLToPath(new URL('./worker-user.mjs', import.meta.url))] : [])],
};

/**
 * Suite files run side by side, two per core (at most 8): they wait on Postgres, Redis and timers
 * more than they compute. vitest's own default, one less than the cores, runs one file at a time on
 * a two-core machine (lesson 05's verify rows there: 136 s with 2 workers, 77 s with 4, 6 no faster).
 * WORKBOOK_WORKERS overrides it.
 */
export const suiteWorkers = (): number => Number(process.env.WORKBOOK_WORKERS) || Math.min(8, 2 * availableParallelism());
