// The settings every exercise suite runs with, whichever config runs it (vitest.config.ts,
// verify's rows, mutation testing). Suites talk to real servers and measure real time:
// generous, fixed bounds; the setup file lets verify stop a must-be-red file at its first failure.
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
  setupFiles: ['./shared/testing/stop-at-first-failure.ts', './shared/testing/watchdog-beacon.ts'],
};

/** --expose-gc lets memory suites measure a settled heap (worker threads refuse it as execArgv). */
export const exposeGc = { execArgv: ['--expose-gc'] };
