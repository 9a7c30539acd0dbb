// The settings every exercise suite runs with, whichever config runs it (vitest.config.ts,
// verify's rows, mutation testing). Suites talk to real servers and measure real time:
// generous, fixed bounds; the setup file lets verify stop a must-be-red file at its first failure.
export const suiteSettings = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  setupFiles: ['./shared/testing/stop-at-first-failure.ts', './shared/testing/watchdog-beacon.ts'],
};

/** --expose-gc lets memory suites measure a settled heap (worker threads refuse it as execArgv). */
export const exposeGc = { execArgv: ['--expose-gc'] };
