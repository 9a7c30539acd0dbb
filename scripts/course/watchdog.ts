// The parent's side of shared/testing/watchdog-beacon.ts: reads the beacons of a vitest run's
// workers every second and kills a worker whose file has been stuck in one place for longer than
// the deadline. vitest then reports that file as failed and goes on with the others, so every
// other file's results are kept; the caller names the stuck file as hung.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Far past any test's or hook's own timeout (30 s, 60 s): only a blocked event loop gets here. */
export const HUNG_AFTER_MS = 90_000;
/**
 * Loading a file (importing it and the learner's module, transformed per project) has no timeout
 * of its own and can be slow when a busy machine transforms many projects at once: it gets longer.
 */
const LOADING_FACTOR = 4;
export const LOADING_PHASE = '(loading the file)';

export interface HungFile {
  /** Absolute path of the suite file. */
  file: string;
  /** The vitest project it ran in, once known (not while the file loads). */
  project?: string;
  /** The test (or phase, e.g. "(loading the file)") it was stuck in. */
  test: string;
}

export interface Watchdog {
  /** For the child's environment. */
  env: { WORKBOOK_WATCHDOG_DIR: string };
  hung: HungFile[];
  stop(): void;
}

export function startWatchdog(deadlineMs = HUNG_AFTER_MS): Watchdog {
  const dir = mkdtempSync(path.join(tmpdir(), 'workbook-watchdog-'));
  const hung: HungFile[] = [];
  const timer = setInterval(() => {
    for (const name of readdirSync(dir)) {
      const pid = Number(path.basename(name, '.json'));
      let beacon: HungFile & { startedAt: number };
      try {
        beacon = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
      } catch {
        continue; // being written or removed right now; read it next time
      }
      const allowed = beacon.test === LOADING_PHASE ? deadlineMs * LOADING_FACTOR : deadlineMs;
      if (Date.now() - beacon.startedAt < allowed) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(path.join(dir, name), { force: true });
      hung.push({ file: beacon.file, project: beacon.project, test: beacon.test });
    }
  }, 1_000);
  timer.unref();
  return {
    env: { WORKBOOK_WATCHDOG_DIR: dir },
    hung,
    stop() {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a learner reads for a file the watchdog stopped. */
export function hungMessage(hung: HungFile, deadlineMs = HUNG_AFTER_MS): string {
  const seconds = Math.round((hung.test === LOADING_PHASE ? deadlineMs * LOADING_FACTOR : deadlineMs) / 1000);
  return (
    `hung — an endless loop or a blocked event loop? The file was stuck in "${hung.test}" for ` +
    `${seconds} s and was stopped. Look for a loop that never ends or synchronous work that never yields.`
  );
}
