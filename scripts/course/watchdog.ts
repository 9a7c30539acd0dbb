// The parent's side of shared/testing/watchdog-beacon.ts: reads the beacons of a vitest run's
// workers every second and kills a worker whose event loop stopped turning (or that has waited in
// one place far past any timeout). vitest then reports that file as failed and goes on with the others, so every
// other file's results are kept; the caller names the stuck file as hung.
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuMsOf, parentOf, processExists } from '../../shared/testing/processes.ts';

/**
 * A worker whose event loop has not ticked for this long is blocked (`while (true) {}` in learner
 * code never times out by itself). Far past any pause a busy machine causes: a loaded worker
 * still ticks every few seconds.
 */
export const HUNG_AFTER_MS = 90_000;
/** A worker stopped for waiting too long counts as spinning when its loop had not ticked for this long… */
const SPINNING_AFTER_MS = 10_000;
/** …and it burnt this much CPU since its last tick (a waiting worker burns next to none). */
const SPINNING_CPU_MS = 500;

/**
 * Where the CPU time of a worker can be read (Linux), a shorter deadline counts CPU time used
 * since the last tick, not time passed: a loop that never yields burns CPU the whole time, while
 * a worker starved by a busy machine burns little. A worker blocked without burning CPU (waiting
 * in a synchronous call) is still stopped after HUNG_AFTER_MS.
 */
function blockedFor(sinceTickMs: number, cpuSinceTickMs: number | undefined, deadlineMs: number): boolean {
  if (cpuSinceTickMs === undefined) return sinceTickMs >= deadlineMs;
  return cpuSinceTickMs >= deadlineMs || sinceTickMs >= Math.max(deadlineMs, HUNG_AFTER_MS);
}
/**
 * A worker that ticks but stays in one place: vitest's own timeouts (30 s a test, 60 s a hook)
 * normally end that. Only what has no timeout gets here (a module whose top-level await never
 * settles), and slow set-ups of the harness's own tests must not: hence far longer.
 */
const STUCK_FACTOR = 10;

export interface HungFile {
  /** Absolute path of the suite file. */
  file: string;
  /** The vitest project it ran in, once known (not while the file loads). */
  project?: string;
  /** The test (or phase, e.g. "(loading the file)") it was stuck in. */
  test: string;
  /** Its event loop stopped ticking (rather than waiting in one place too long). */
  blocked: boolean;
  /** How long it was blocked, or waited, before it was stopped. */
  seconds: number;
}

/** What a worker's beacon holds (see shared/testing/watchdog-beacon.ts). */
interface Beacon {
  file: string;
  project?: string;
  test: string;
  /** When it entered `test`. */
  startedAt: number;
  /** Its event loop's last tick. */
  aliveAt: number;
}

export interface Watchdog {
  /** For the child's environment. */
  env: { WORKBOOK_WATCHDOG_DIR: string };
  hung: HungFile[];
  /** The vitest process whose workers are watched (beacons of other processes are left alone). */
  watch(pid: number): void;
  stop(): void;
}

/** `workersAsOtherUser`: suite workers run as another user (grade --sandbox) and must write beacons here. */
export function startWatchdog(deadlineMs = HUNG_AFTER_MS, stuckAfterMs = deadlineMs * STUCK_FACTOR, workersAsOtherUser = false): Watchdog {
  const dir = mkdtempSync(path.join(tmpdir(), 'workbook-watchdog-'));
  if (workersAsOtherUser) chmodSync(dir, 0o1777);
  const hung: HungFile[] = [];
  let runner: number | undefined;
  /** Each worker's CPU time when its newest tick was first seen. */
  const cpuAtTick = new Map<number, { aliveAt: number; cpuMs: number | undefined }>();
  const timer = setInterval(() => {
    for (const name of readdirSync(dir)) {
      // Only what a worker writes is read: <pid>.json, a small regular file (where workers run as
      // another user, a learner's file could be named 0.json, or be a FIFO that blocks a read).
      const pid = Number(/^([1-9]\d*)\.json$/.exec(name)?.[1]);
      if (!(pid > 1)) continue;
      let beacon: Beacon;
      try {
        const stat = lstatSync(path.join(dir, name));
        if (!stat.isFile() || stat.size > 64_000) continue;
        beacon = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
      } catch {
        continue; // being written or removed right now; read it next time
      }
      // Only this run's workers are stopped: vitest's main process is their parent.
      const parent = parentOf(pid);
      if (runner !== undefined && parent !== undefined && parent !== runner) continue;
      // A worker that ended without removing its beacon (an after-hook before it threw, or it
      // crashed) is not hung: vitest reports its file. Its pid may already belong to another process.
      if (!processExists(pid)) {
        rmSync(path.join(dir, name), { force: true });
        cpuAtTick.delete(pid);
        continue;
      }
      const now = Date.now();
      const cpuMs = cpuMsOf(pid);
      let tick = cpuAtTick.get(pid);
      if (tick?.aliveAt !== beacon.aliveAt) cpuAtTick.set(pid, (tick = { aliveAt: beacon.aliveAt, cpuMs }));
      const cpuSinceTick = cpuMs === undefined || tick.cpuMs === undefined ? undefined : cpuMs - tick.cpuMs;
      let blocked = blockedFor(now - beacon.aliveAt, cpuSinceTick, deadlineMs);
      if (!blocked && now - beacon.startedAt < stuckAfterMs) continue;
      // Stopped for waiting too long, but its loop has not ticked for a while and it burnt CPU
      // meanwhile: a loop that never yields, starved by a busy machine before it reached the
      // deadline in CPU time. Say so, not "a promise that never settles".
      blocked ||= now - beacon.aliveAt >= SPINNING_AFTER_MS && (cpuSinceTick === undefined || cpuSinceTick >= SPINNING_CPU_MS);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(path.join(dir, name), { force: true });
      cpuAtTick.delete(pid);
      const seconds = Math.round((now - (blocked ? beacon.aliveAt : beacon.startedAt)) / 1000);
      hung.push({ file: beacon.file, project: beacon.project, test: beacon.test, blocked, seconds });
    }
  }, 1_000);
  timer.unref();
  return {
    env: { WORKBOOK_WATCHDOG_DIR: dir },
    hung,
    watch(pid) {
      runner = pid;
    },
    stop() {
      clearInterval(timer);
      // A worker that is still exiting may write its beacon once more while the folder goes.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}

/** What a learner reads for a file the watchdog stopped. */
export function hungMessage(hung: HungFile): string {
  if (hung.blocked) {
    return (
      `hung — an endless loop or a blocked event loop? The file's event loop did not turn for ` +
      `${hung.seconds} s in "${hung.test}", and it was stopped. Look for a loop that never ends or synchronous work that never yields.`
    );
  }
  return (
    `hung — a promise that never settles? The file waited in "${hung.test}" for ${hung.seconds} s ` +
    `and was stopped. Look for an await at the top of a module, or a promise nothing ever resolves.`
  );
}
