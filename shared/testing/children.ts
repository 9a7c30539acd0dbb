// Processes a suite starts itself (a cluster, a server that takes signals): a TypeScript entry run
// under tsx, its output read line by line, and every one of them killed with its whole process
// group when the file ends, whatever the learner's code did. Each starts in its own process
// group, so the processes it forks (cluster workers) go with it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll } from 'vitest';
import { processRunning } from './processes.ts';

const COURSE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Lets code graded from another checkout import the course's packages (as the suites' plugin does). */
const RESOLVE_FROM_COURSE = new URL('./child-resolve.mjs', import.meta.url).href;
/** Takes the process's group down if the test's process dies before it could. */
const GUARD = new URL('./child-guard.mjs', import.meta.url).href;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when it was seen. */
  at: number;
}

export interface StartedChild {
  pid: number;
  /** Every line written to stdout or stderr so far, in order. */
  lines: string[];
  /** The first line (already written or still to come) matching `pattern`; rejects, with the output, after `withinMs` or at exit. */
  waitFor(pattern: RegExp, withinMs: number, what: string): Promise<RegExpMatchArray>;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  /** The exit, or undefined if it is still running after `withinMs`. */
  exitWithin(withinMs: number): Promise<Exit | undefined>;
  /** The exit if it has happened, at once. */
  exitSoFar(): Exit | undefined;
  signal(signal: NodeJS.Signals): void;
  /** The last lines of output, for a failure message. */
  tail(count?: number): string;
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** Modules loaded before the entry (node --import), in this process and in the processes it forks. */
  preload?: string[];
  /** The working directory it starts in; the course's root when left out. */
  cwd?: string;
}

/**
 * Starts suite-owned processes and kills them all (and any process id passed to `track`) after
 * the file, checking that none is left.
 */
export function useChildProcesses() {
  const started: StartedChild[] = [];
  const tracked = new Set<number>();

  afterAll(async () => {
    for (const child of started) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    for (const pid of tracked) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    const all = [...started.map((child) => child.pid), ...tracked];
    for (let tries = 0; tries < 100 && all.some(processRunning); tries += 1) await sleep(50);
    const left = all.filter(processRunning);
    if (left.length > 0) throw new Error(`processes the suite started are still running after SIGKILL: ${left.join(', ')}`);
  });

  function start(entry: string, options: ChildOptions = {}): StartedChild {
    const imports = [GUARD, TSX, RESOLVE_FROM_COURSE, ...(options.preload ?? [])].flatMap((file) => ['--import', file]);
    const child = spawn(process.execPath, [...imports, entry], {
      cwd: options.cwd ?? COURSE_ROOT,
      detached: true,
      // The channel is how the child notices this process is gone (child-guard.mjs).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...mutantEnv(), ...options.env, WORKBOOK_SUITE_CHILD: '1' },
    });
    if (child.pid === undefined) throw new Error(`could not start ${entry}`);
    // Only the guard's channel: nothing is sent on it, and it must not keep this process alive.
    child.channel?.unref();
    child.on('error', () => {});
    const lines: string[] = [];
    const waiters = new Set<() => void>();
    const onData = (() => {
      let partial = '';
      return (chunk: Buffer) => {
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop() ?? '';
        lines.push(...parts);
        waiters.forEach((wake) => wake());
      };
    })();
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    void exited.then(() => waiters.forEach((wake) => wake()));
    let done: Exit | undefined;
    void exited.then((exit) => (done = exit));
    const tail = (count = 15) => lines.slice(-count).join('\n') || '(no output)';

    const handle: StartedChild = {
      pid: child.pid,
      lines,
      exited,
      tail,
      signal: (signal) => {
        if (!done) child.kill(signal);
      },
      exitSoFar: () => done,
      async exitWithin(withinMs) {
        return Promise.race([exited, sleep(withinMs).then(() => undefined)]);
      },
      waitFor(pattern, withinMs, what) {
        return new Promise((resolve, reject) => {
          const check = () => {
            const found = lines.map((line) => line.match(pattern)).find((match) => match !== null);
            if (found) finish(() => resolve(found));
            else if (done) finish(() => reject(new Error(`${what}: the process exited (code ${done!.code}, signal ${done!.signal}) first. Its last output:\n${tail()}`)));
          };
          const timer = setTimeout(() => finish(() => reject(new Error(`${what}: not seen within ${withinMs / 1000} s. Last output:\n${tail()}`))), withinMs);
          const finish = (settle: () => void) => {
            clearTimeout(timer);
            waiters.delete(check);
            settle();
          };
          waiters.add(check);
          check();
        });
      },
    };
    started.push(handle);
    return handle;
  }

  return {
    start,
    /** A process id to kill and check after the file too (e.g. a cluster worker, in case its group changed). */
    track: (pid: number) => void tracked.add(pid),
  };
}

/**
 * Mutation testing switches mutants on with a global in the test's process; a process the suite
 * starts reads the same switch from the environment (Stryker's instrumented code does).
 */
function mutantEnv(): Record<string, string> {
  const active = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__?.activeMutant;
  return active === undefined ? {} : { __STRYKER_ACTIVE_MUTANT__: String(active) };
}
