// The watchdog reads beacons from a folder that, in a sandbox, learner code can write too: it
// must read only a worker's small regular file, and stop only the workers of its own run.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { startWatchdog } from '../watchdog.ts';
import { processExists } from '../../../shared/testing/processes.ts';

const sleepers: number[] = [];
afterEach(() => {
  for (const pid of sleepers.splice(0)) if (processExists(pid)) process.kill(pid, 'SIGKILL');
});

/** A process that waits 60 s: a child of this one. */
function sleeper(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  sleepers.push(child.pid!);
  return child.pid!;
}

const staleBeacon = (dir: string, pid: number) =>
  writeFileSync(path.join(dir, `${pid}.json`), JSON.stringify({ file: 'x.test.ts', test: 't', startedAt: 0, aliveAt: 0 }));

test("a stale beacon stops the run's own worker, not a process of someone else's", async () => {
  const watchdog = startWatchdog(100, 1_000, true);
  try {
    watchdog.watch(process.pid); // this process stands for vitest: its children are the workers
    const worker = sleeper();
    const foreign = Number(spawnSync('sh', ['-c', 'sleep 60 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).stdout.trim());
    sleepers.push(foreign);
    staleBeacon(watchdog.env.WORKBOOK_WATCHDOG_DIR, worker);
    staleBeacon(watchdog.env.WORKBOOK_WATCHDOG_DIR, foreign);
    await sleep(2_500);
    expect(processExists(worker), 'the run\'s own worker, stale, is stopped').toBe(false);
    expect(processExists(foreign), 'a process that is not a worker of this run is left alone').toBe(true);
    expect(watchdog.hung.map((hung) => hung.file)).toEqual(['x.test.ts']);
  } finally {
    watchdog.stop();
  }
});

test('a FIFO or a file with a name that is no pid is not read: the watchdog never blocks', async () => {
  const watchdog = startWatchdog(100, 1_000, true);
  try {
    const dir = watchdog.env.WORKBOOK_WATCHDOG_DIR;
    expect(spawnSync('mkfifo', [path.join(dir, `${sleeper()}.json`)]).status).toBe(0);
    writeFileSync(path.join(dir, 'not-a-pid.json'), '{}');
    // A blocked read would stop this process's event loop: these ticks would not happen.
    let ticks = 0;
    const ticking = setInterval(() => (ticks += 1), 100);
    await sleep(2_500);
    clearInterval(ticking);
    expect(ticks).toBeGreaterThan(10);
    expect(watchdog.hung).toEqual([]);
  } finally {
    watchdog.stop();
  }
});

test('a worker whose loop stopped is stopped once it has burnt the deadline in CPU time; one that only waits (a busy machine) is not', async () => {
  const watchdog = startWatchdog(500, 60_000, true);
  try {
    watchdog.watch(process.pid);
    const dir = watchdog.env.WORKBOOK_WATCHDOG_DIR;
    const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }).pid!;
    sleepers.push(spinner);
    const waiter = sleeper();
    const beacon = (pid: number, file: string) =>
      writeFileSync(path.join(dir, `${pid}.json`), JSON.stringify({ file, test: 't', startedAt: Date.now(), aliveAt: Date.now() - 30_000 }));
    beacon(spinner, 'spins.test.ts');
    beacon(waiter, 'waits.test.ts');
    // Polls: the spinner needs 0.5 s of CPU after its beacon is first read, longer on a loaded machine.
    for (let poll = 0; poll < 120 && processExists(spinner); poll += 1) await sleep(500);
    expect(processExists(spinner), 'a loop that never yields, burning CPU since its last tick, is stopped').toBe(false);
    expect(processExists(waiter), 'a worker that has not ticked for 30 s but burnt no CPU is left to go on').toBe(true);
    expect(watchdog.hung.map((hung) => [hung.file, hung.blocked])).toEqual([['spins.test.ts', true]]);
  } finally {
    watchdog.stop();
  }
}, 90_000);

test('a worker stopped for waiting too long whose loop had stopped ticking while it burnt CPU is reported as blocked, not as waiting', async () => {
  // Its CPU deadline is out of reach (60 s), so the wait deadline stops it: a loop that never
  // yields on a machine too busy to give it 60 s of CPU. Busy 30 ms in every 100 (Atomics.wait
  // blocks the loop as surely as a busy loop, and leaves the cores to the rest of the run). The
  // wait deadline leaves it time to burn the 0.5 s of CPU a blocked verdict needs on a machine
  // that gives it a tenth of its demand: 20 s × 30 % × 1/10 = 0.6 s.
  const watchdog = startWatchdog(60_000, 20_000, true);
  try {
    watchdog.watch(process.pid);
    const spin = 'const pause = new Int32Array(new SharedArrayBuffer(4)); for (;;) { const end = Date.now() + 30; while (Date.now() < end) {} Atomics.wait(pause, 0, 0, 70); }';
    const spinner = spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }).pid!;
    sleepers.push(spinner);
    writeFileSync(path.join(watchdog.env.WORKBOOK_WATCHDOG_DIR, `${spinner}.json`), JSON.stringify({ file: 'spins.test.ts', test: 't', startedAt: Date.now(), aliveAt: Date.now() }));
    for (let poll = 0; poll < 120 && processExists(spinner); poll += 1) await sleep(500);
    expect(processExists(spinner)).toBe(false);
    expect(watchdog.hung.map((hung) => [hung.file, hung.blocked])).toEqual([['spins.test.ts', true]]);
  } finally {
    watchdog.stop();
  }
}, 90_000);
