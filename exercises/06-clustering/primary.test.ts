// Exercise 06 · primary: fork the right number of workers, replace the ones that die without
// crash-looping, and take the cluster down without dropping a request.
// Run it with: npm test -- 06-clustering/primary
//
// Each test starts a real cluster in a process of its own: your primary, with workers that run a
// small server of the suite's (primary.fixture-worker.ts). Nothing here depends on how fast the
// machine is: forks and exits are timed by the primary's own clock, waits are bounded from below
// by that clock (a timer can fire late on a busy machine, never early) and from above by a timer
// of the suite's in the same process (primary.fixture-observer.ts: a later timer fires later),
// and every wait for something to happen is a generous bound that fails with what was seen.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { get, lessonHint, processRunning, suiteSection, useChildProcesses, type StartedChild } from '../../shared/testing/index.ts';
import primaryFile from './primary.ts?workbook-file';
import type { PrimaryOptions } from './primary.ts';

const FORKING = suiteSection('06-clustering', '2. The primary: how many workers');
const RESTARTS = lessonHint('06-clustering', '3. Replacing workers, with backoff');
const SHUTDOWN = lessonHint('06-clustering', '4. Shutting down without dropping requests');

const CLUSTER = fileURLToPath(new URL('./primary.fixture-cluster.ts', import.meta.url));
const OBSERVER = fileURLToPath(new URL('./primary.fixture-observer.ts', import.meta.url));
/** Far longer than starting a process takes on a busy machine. */
const START_MS = 20_000;
const children = useChildProcesses();

interface Event {
  pid: number;
  at: number;
}
interface Exit extends Event {
  code: string;
  signal: string;
}

interface Cluster {
  child: StartedChild;
  forks(): Event[];
  exits(): Exit[];
  /** Workers that said they listen: pid → port. */
  listening(): Map<number, number>;
  /** Deaths after which no worker was forked, and the primary had not exited, within the time WORKBOOK_FIXTURE_OVERDUE_MS gave them. */
  overdue(): number[];
  /** The primary's own log lines (everything that is not the suite's). */
  logLines(): string[];
  /** Waits until `done()` holds; fails with `what` and the output otherwise. */
  until(done: () => boolean, what: string, withinMs?: number): Promise<void>;
}

function startCluster(options: Omit<PrimaryOptions, 'exec' | 'log'>, env: Record<string, string> = {}): Cluster {
  const child = children.start(CLUSTER, {
    preload: [OBSERVER],
    env: { WORKBOOK_PRIMARY: primaryFile, WORKBOOK_PRIMARY_OPTIONS: JSON.stringify(options), ...env },
  });
  const parsed = <T>(pattern: RegExp, make: (match: RegExpMatchArray) => T): T[] =>
    child.lines.map((line) => line.match(pattern)).filter((match) => match !== null).map(make);
  const cluster: Cluster = {
    child,
    forks: () => parsed(/^@@cluster fork (\d+) (\d+)$/, (m) => ({ pid: Number(m[1]), at: Number(m[2]) })),
    exits: () =>
      parsed(/^@@cluster exit (\d+) (\S+) (\S+) (\d+)$/, (m) => ({ pid: Number(m[1]), code: m[2]!, signal: m[3]!, at: Number(m[4]) })),
    overdue: () => parsed(/^@@cluster overdue (\d+) \d+$/, (m) => Number(m[1])),
    listening: () => new Map(parsed(/^@@fixture listening (\d+) (\d+)$/, (m) => [Number(m[2]), Number(m[1])] as const)),
    logLines: () => child.lines.filter((line) => !line.startsWith('@@cluster ') && !line.startsWith('@@fixture ')),
    async until(done, what, withinMs = START_MS) {
      for (const start = Date.now(); !done(); await sleep(25)) {
        cluster.forks().forEach((fork) => children.track(fork.pid));
        const exit = child.exitSoFar();
        if (exit) throw new Error(`${what}: the primary exited first (code ${exit.code}, signal ${exit.signal}). Its last output:\n${child.tail()}\n${RESTARTS}`);
        if (Date.now() - start > withinMs) throw new Error(`${what}: not seen within ${withinMs / 1000} s. The cluster's last output:\n${child.tail()}`);
      }
      cluster.forks().forEach((fork) => children.track(fork.pid));
    },
  };
  return cluster;
}

/** The port and live workers once `count` workers listen. */
async function serving(cluster: Cluster, count: number): Promise<number> {
  await cluster.until(() => cluster.listening().size >= count, `${count} workers listening`);
  return [...cluster.listening().values()][0]!;
}

/** One request on a connection of its own; rejects with the socket's error (ECONNREFUSED, ECONNRESET). */
const request = (port: number, path: string, withinMs = 15_000) => get(`http://127.0.0.1:${port}${path}`, {}, { withinMs });
const pidOf = (answer: { body: string }) => (JSON.parse(answer.body) as { pid: number }).pid;

/**
 * The primary's exit, failing with its output if it is still running after `withinMs` — or at once
 * when it has forked more than `maxForks` workers (a crash loop left running loads the machine).
 */
async function exitOf(cluster: Cluster, withinMs: number, what: string, maxForks = Infinity) {
  for (const start = Date.now(); Date.now() - start < withinMs; ) {
    const exit = await cluster.child.exitWithin(50);
    if (exit) return exit;
    const forks = cluster.forks().length;
    if (forks > maxForks) {
      throw new Error(
        `${what}, but it had forked ${forks} workers ${((Date.now() - start) / 1000).toFixed(1)} s after it started (at most ${maxForks} allowed). ` +
          `${cluster.exits().length} workers had died. ${RESTARTS}`,
      );
    }
  }
  throw new Error(`${what}, but the primary was still running ${withinMs / 1000} s later. Its last output:\n${cluster.child.tail()}`);
}

/** Worker processes of this cluster that still run. */
const survivors = (cluster: Cluster) => cluster.forks().map((fork) => fork.pid).filter(processRunning);

/** Waits (at most 5 s) for killed workers to be gone: a SIGKILLed process takes a moment to be reaped. */
async function workersGone(cluster: Cluster): Promise<void> {
  for (const start = Date.now(); survivors(cluster).length > 0 && Date.now() - start < 5_000; ) await sleep(25);
}

/** In a one-worker cluster: the wait between each death and the fork that replaced it, by the primary's clock. */
function restartGaps(cluster: Cluster): number[] {
  const forks = cluster.forks();
  return cluster.exits().flatMap((exit, i) => (forks[i + 1] ? [forks[i + 1]!.at - exit.at] : []));
}

describe('the primary', () => {
  test('forks os.availableParallelism() workers when not told how many', async () => {
    // This machine is made to look like one that may use 3 cores out of 5 (a container's CPU limit).
    const cluster = startCluster({}, { WORKBOOK_FIXTURE_CORES: '3', WORKBOOK_FIXTURE_CPUS: '5' });
    await serving(cluster, 1);
    // Forks happen at start-up, together: a wrong count shows at once.
    await sleep(500);
    const forks = cluster.forks().length;
    expect(
      forks,
      `With 3 cores available to the process (of 5 on the machine), the primary should fork 3 workers, and it forked ${forks}. ` +
        `os.cpus().length counts every core of the machine, os.availableParallelism() the ones this process may use. ${FORKING}`,
    ).toBe(3);
    await cluster.until(() => cluster.listening().size === 3, 'all 3 workers listening');
  });
});

// The tests that tell most mistakes apart come first, the slow ones last.
describe('replacing workers', () => {
  test('a worker that crashes at start-up is replaced after waits that double, then the primary gives up and exits non-zero', async () => {
    // The 4th death is the last: the primary should exit, not go on waiting (5 s is far past any wait of its own).
    const cluster = startCluster(
      { workers: 1, restart: { initialDelayMs: 150, maxRestarts: 3 } },
      { WORKBOOK_FIXTURE_MODE: 'crash', WORKBOOK_PRIMARY_LOG: '1', WORKBOOK_FIXTURE_OVERDUE_MS: JSON.stringify({ 3: 5_000 }) },
    );
    const exit = await exitOf(cluster, 40_000, 'Every worker crashes at start-up: after maxRestarts (3) replacements the primary should give up', 4);
    const forks = cluster.forks().length;
    expect(forks, `maxRestarts is 3: the first worker and 3 replacements, 4 forks in all, not ${forks}. ${RESTARTS}`).toBe(4);
    const gaps = restartGaps(cluster);
    const expected = [150, 300, 600];
    for (const [i, wanted] of expected.entries()) {
      expect(
        gaps[i] ?? 0,
        `Replacement ${i + 1} came ${gaps[i]} ms after the death before it; it should wait at least ${wanted} ms ` +
          `(initialDelayMs 150, doubled for each further death). Waits seen: ${gaps.join(', ')} ms. ${RESTARTS}`,
      ).toBeGreaterThanOrEqual(wanted * 0.9);
    }
    expect(exit.code, `A crash loop should end the primary with a non-zero code, so its supervisor sees it. ${RESTARTS}`).not.toBe(0);
    expect(
      cluster.overdue(),
      `The last worker died and none is left: the primary should exit now, not wait for shutdownTimeoutMs (10 s); it still ran 5 s later. ${RESTARTS}`,
    ).toEqual([]);
    const unlogged = cluster.exits().filter((death) => !cluster.logLines().some((line) => line.startsWith('@@log ') && line.includes(String(death.pid))));
    expect(unlogged.map((death) => death.pid), `Every exit should be logged (a line naming the worker), the last one too. ${RESTARTS}`).toEqual([]);
    expect(survivors(cluster), `Worker processes still running after the primary exited. ${SHUTDOWN}`).toEqual([]);
  }, 60_000);

  test('every worker serves the same port, and a killed worker is logged and replaced once', async () => {
    const cluster = startCluster({ workers: 2 });
    const port = await serving(cluster, 2);
    const [first, second] = [...cluster.listening().keys()] as [number, number];
    expect(new Set(cluster.listening().values()).size, 'both workers should listen on one port (the cluster shares it)').toBe(1);

    process.kill(first, 'SIGKILL');
    await cluster.until(() => cluster.exits().some((exit) => exit.pid === first), `the primary seeing worker ${first} exit`);
    // From here on the primary knows: nothing is sent to the dead worker.
    for (let i = 0; i < 10; i += 1) {
      const answer = await request(port, '/pid').catch((error: Error) => ({ status: 0, body: error.message }));
      expect(answer.status, `request ${i + 1} after the primary saw worker ${first} die failed (${answer.body}): ${RESTARTS}`).toBe(200);
      expect(pidOf(answer), 'a dead worker cannot answer').not.toBe(first);
    }
    await cluster.until(() => cluster.listening().size === 3, `a new worker replacing ${first}, listening`);
    const [replacement] = [...cluster.listening().keys()].filter((pid) => pid !== first && pid !== second);
    const seen = new Set<number>();
    for (let i = 0; i < 20; i += 1) {
      const answer = await request(port, '/pid');
      expect(answer.status).toBe(200);
      seen.add(pidOf(answer));
    }
    expect([...seen].sort(), `the new worker ${replacement} and ${second} should share the requests. ${RESTARTS}`).toEqual([replacement, second].sort());
    await sleep(500);
    expect(cluster.forks().length, `one worker died, so one replacement: 2 + 1 forks, not ${cluster.forks().length}. ${RESTARTS}`).toBe(3);
    const logged = cluster.logLines().filter((line) => line.includes(String(first)));
    expect(
      logged.some((line) => line.includes('SIGKILL')),
      `The primary should log the worker's exit with its signal (a line naming ${first} and SIGKILL). It logged:\n${cluster.logLines().join('\n') || '(nothing)'}\n${RESTARTS}`,
    ).toBe(true);
  });

  test("logs an exit's code, through the log function it is given", async () => {
    const cluster = startCluster({ workers: 1 }, { WORKBOOK_PRIMARY_LOG: '1' });
    const port = await serving(cluster, 1);
    const [worker] = [...cluster.listening().keys()] as [number];
    await request(port, '/exit?code=7');
    await cluster.until(() => cluster.listening().size === 2, 'the worker that exited with code 7 replaced');
    const logged = cluster.logLines();
    expect(
      logged.some((line) => line.startsWith('@@log ') && line.includes(String(worker)) && /\b7\b/.test(line.replace(String(worker), ''))),
      `Worker ${worker} exited with code 7: options.log should get a line naming it and its code. The primary wrote:\n${logged.join('\n') || '(nothing)'}\n${RESTARTS}`,
    ).toBe(true);
  });
});

describe('shutting the cluster down', () => {
  test('SIGTERM: the request in flight completes, nothing is restarted, the primary exits 0 and no worker is left', async () => {
    const cluster = startCluster({ workers: 2, shutdownTimeoutMs: 20_000 });
    const port = await serving(cluster, 2);
    const slow = request(port, '/slow?ms=1000').catch((error: Error) => ({ status: 0, body: error.message }));
    await cluster.until(() => cluster.child.lines.some((line) => line.startsWith('@@fixture slow-request')), 'the slow request reaching a worker');
    const forksBefore = cluster.forks().length;
    cluster.child.signal('SIGTERM');
    await sleep(300);
    // A new connection now: refused, or answered (503, or 200 by a worker still finishing), never left hanging.
    const late = await request(port, '/pid', 5_000).then(
      (answer) => `answered ${answer.status}`,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    expect(late, `A request sent after SIGTERM must be refused or answered, not left hanging. ${SHUTDOWN}`).not.toBe('HUNG');
    const answer = await slow;
    expect(answer.status, `The request in flight when SIGTERM came should complete with 200; it got ${answer.status} (${answer.body}). ${SHUTDOWN}`).toBe(200);
    const exit = await exitOf(cluster, 12_000, 'After SIGTERM the workers finish and exit, so the primary should exit too');
    expect(exit.code, `Every worker shut down cleanly: the primary should exit with code 0. ${SHUTDOWN}`).toBe(0);
    expect(cluster.forks().length, `No worker should be started during shutdown (forks ${forksBefore} → ${cluster.forks().length}). ${SHUTDOWN}`).toBe(forksBefore);
    expect(survivors(cluster), `Worker processes still running after the primary exited. ${SHUTDOWN}`).toEqual([]);
  }, 60_000);

  test('SIGINT (Ctrl-C) shuts the cluster down the same way', async () => {
    const cluster = startCluster({ workers: 1, shutdownTimeoutMs: 20_000 });
    await serving(cluster, 1);
    cluster.child.signal('SIGINT');
    const exit = await exitOf(cluster, 10_000, 'After SIGINT the primary should stop its workers and exit');
    expect(exit.code, `SIGINT is a request to stop, like SIGTERM: exit code 0 when the workers stopped cleanly. ${SHUTDOWN}`).toBe(0);
    expect(cluster.forks().length, 'no worker started during shutdown').toBe(1);
    expect(survivors(cluster), `Worker processes still running after the primary exited. ${SHUTDOWN}`).toEqual([]);
  }, 60_000);

  test('a worker that exits non-zero while stopping makes the shutdown unclean: the primary exits non-zero', async () => {
    const cluster = startCluster({ workers: 2, shutdownTimeoutMs: 20_000 }, { WORKBOOK_FIXTURE_MODE: 'dirty', WORKBOOK_PRIMARY_LOG: '1' });
    await serving(cluster, 2);
    cluster.child.signal('SIGTERM');
    const exit = await exitOf(cluster, 12_000, 'After SIGTERM the workers exit (with code 3), so the primary should exit too');
    expect(exit.code, `A worker exited with code 3 during shutdown: report it, exit non-zero. ${SHUTDOWN}`).not.toBe(0);
    for (const worker of cluster.forks()) {
      expect(
        cluster.logLines().some((line) => line.startsWith('@@log ') && line.includes(String(worker.pid)) && /\b3\b/.test(line.replace(String(worker.pid), ''))),
        `Exits during shutdown are logged too, with their code: worker ${worker.pid} exited with code 3. The primary wrote:\n${cluster.logLines().join('\n')}\n${SHUTDOWN}`,
      ).toBe(true);
    }
    expect(cluster.forks().length, 'no worker started during shutdown').toBe(2);
  }, 60_000);

  test('a replacement still waiting its turn when SIGTERM comes is never started', async () => {
    const cluster = startCluster({ workers: 2, restart: { initialDelayMs: 1_000 }, shutdownTimeoutMs: 20_000 });
    const port = await serving(cluster, 2);
    await request(port, '/exit?code=1');
    await cluster.until(() => cluster.exits().length === 1, 'the primary seeing the worker exit');
    // The other worker is busy for 1.5 s from now: the shutdown lasts past the time the replacement is due.
    const slow = request(port, '/slow?ms=1500').catch((error: Error) => ({ status: 0, body: error.message }));
    await cluster.until(() => cluster.child.lines.some((line) => line.startsWith('@@fixture slow-request')), 'the slow request reaching the other worker');
    cluster.child.signal('SIGTERM');
    const exit = await exitOf(cluster, 12_000, 'After SIGTERM the primary should stop its last worker and exit');
    expect((await slow).status).toBe(200);
    expect(
      cluster.forks().length,
      `A worker died, its replacement was due 1 s later, and SIGTERM came meanwhile: the pending replacement must be cancelled, not forked during shutdown. ${SHUTDOWN}`,
    ).toBe(2);
    expect(exit.code, `The remaining worker stopped cleanly: exit code 0. ${SHUTDOWN}`).toBe(0);
    expect(survivors(cluster), `Worker processes still running after the primary exited. ${SHUTDOWN}`).toEqual([]);
  }, 60_000);

  test('workers that ignore shutdown are killed at shutdownTimeoutMs, and the primary exits non-zero', async () => {
    const cluster = startCluster({ workers: 2, shutdownTimeoutMs: 1_500 }, { WORKBOOK_FIXTURE_MODE: 'stubborn' });
    const port = await serving(cluster, 2);
    void request(port, '/hang').catch(() => {});
    await cluster.until(() => cluster.child.lines.some((line) => line.startsWith('@@fixture hanging-request')), 'the never-ending request reaching a worker');
    const signalled = Date.now();
    cluster.child.signal('SIGTERM');
    const exit = await exitOf(cluster, 8_000, 'Workers that ignore shutdown should be killed at the deadline (1.5 s)');
    expect(exit.at - signalled, `The primary should wait for its workers until shutdownTimeoutMs (1500 ms). ${SHUTDOWN}`).toBeGreaterThanOrEqual(1_400);
    expect(exit.code, `A shutdown the deadline had to force is not a clean one: exit non-zero. ${SHUTDOWN}`).not.toBe(0);
    await workersGone(cluster);
    expect(survivors(cluster), `At the deadline the primary should kill the workers that are left (SIGKILL). ${SHUTDOWN}`).toEqual([]);
  }, 60_000);

  test('a worker killed by a signal while stopping makes the shutdown unclean too', async () => {
    // A death by signal has no exit code (code is null): it is not a clean exit.
    const cluster = startCluster({ workers: 2, shutdownTimeoutMs: 60_000 }, { WORKBOOK_FIXTURE_MODE: 'stubborn' });
    await serving(cluster, 2);
    cluster.child.signal('SIGTERM');
    await cluster.until(() => cluster.child.lines.filter((line) => line.startsWith('@@fixture stuck')).length === 2, 'both workers acting on the shutdown');
    for (const worker of cluster.forks()) process.kill(worker.pid, 'SIGKILL');
    const exit = await exitOf(cluster, 10_000, 'Both workers were killed (SIGKILL) during shutdown and none is left: the primary should exit now, not at the 60 s deadline');
    expect(
      exit.code,
      `Both workers died by SIGKILL during shutdown (exit code null, signal SIGKILL): that is not a clean stop, so the primary should exit non-zero. ${SHUTDOWN}`,
    ).not.toBe(0);
    expect(cluster.forks().length, 'no worker started during shutdown').toBe(2);
  }, 60_000);

  test('a second signal forces the exit at once', async () => {
    const cluster = startCluster({ workers: 2, shutdownTimeoutMs: 60_000 }, { WORKBOOK_FIXTURE_MODE: 'stubborn' });
    const port = await serving(cluster, 2);
    void request(port, '/hang').catch(() => {});
    await cluster.until(() => cluster.child.lines.some((line) => line.startsWith('@@fixture hanging-request')), 'the never-ending request reaching a worker');
    cluster.child.signal('SIGTERM');
    await sleep(500);
    expect(await cluster.child.exitWithin(0), 'The first SIGTERM should start a shutdown that waits for the workers, not end the primary at once').toBeUndefined();
    cluster.child.signal('SIGINT');
    const exit = await exitOf(cluster, 6_000, 'A second signal (Ctrl-C twice) should force the exit at once, not wait for the 60 s deadline');
    expect(exit.code, `A forced exit is not a clean one: exit non-zero. ${SHUTDOWN}`).not.toBe(0);
    await workersGone(cluster);
    expect(survivors(cluster), `A forced exit should take the workers with it (SIGKILL). ${SHUTDOWN}`).toEqual([]);
  }, 60_000);
});

describe('replacing workers, over time', () => {
  test('the wait stops growing at maxDelayMs', async () => {
    const cluster = startCluster(
      { workers: 1, restart: { initialDelayMs: 200, maxDelayMs: 250, maxRestarts: 4, windowMs: 60_000 } },
      { WORKBOOK_FIXTURE_MODE: 'crash', WORKBOOK_FIXTURE_OVERDUE_MS: JSON.stringify({ 2: 750, 3: 750 }) },
    );
    await exitOf(cluster, 40_000, 'maxRestarts is 4: the primary should give up after 4 replacements', 5);
    const gaps = restartGaps(cluster);
    expect(gaps.length, `4 replacements, 4 waits; seen ${gaps.join(', ')} ms`).toBe(4);
    // Doubling without the cap would wait 800 and 1600 ms.
    expect(
      cluster.overdue(),
      `With maxDelayMs 250 no wait should reach 750 ms (doubling past the cap waits 800 and 1600); seen ${gaps.join(', ')} ms. ${RESTARTS}`,
    ).toEqual([]);
    expect(Math.min(...gaps.slice(1))).toBeGreaterThanOrEqual(225);
  }, 60_000);

  test('deaths of different workers count together: a crash loop of two workers is still maxRestarts replacements', async () => {
    const cluster = startCluster({ workers: 2, restart: { initialDelayMs: 100, maxRestarts: 3 } }, { WORKBOOK_FIXTURE_MODE: 'crash' });
    const exit = await exitOf(cluster, 40_000, 'Both workers crash at start-up: after 3 replacements in all the primary should give up', 5);
    expect(
      cluster.forks().length,
      `maxRestarts counts every death within windowMs, whichever worker it was: 2 workers and at most 3 replacements, 5 forks at most, not ${cluster.forks().length}. ${RESTARTS}`,
    ).toBeLessThanOrEqual(5);
    expect(exit.code, `A crash loop should end the primary with a non-zero code, so its supervisor sees it. ${RESTARTS}`).not.toBe(0);
  }, 60_000);

  test('deaths further apart than windowMs are not a crash loop: each is replaced after the first wait', async () => {
    const cluster = startCluster(
      { workers: 1, restart: { initialDelayMs: 500, maxRestarts: 1, windowMs: 700 } },
      { WORKBOOK_FIXTURE_OVERDUE_MS: JSON.stringify({ 0: 950, 1: 950, 2: 950 }) },
    );
    let port = await serving(cluster, 1);
    for (let death = 1; death <= 3; death += 1) {
      await sleep(900);
      await request(port, '/exit?code=1');
      await cluster.until(() => cluster.listening().size === death + 1, `replacement ${death}, listening`);
      port = [...cluster.listening().values()].at(-1)!;
    }
    expect(
      await cluster.child.exitWithin(0),
      `Three deaths, each more than windowMs (700 ms) after the one before, are not a crash loop: the primary should keep running. ${RESTARTS}`,
    ).toBeUndefined();
    const gaps = restartGaps(cluster);
    expect(gaps.length).toBe(3);
    // Forgotten deaths do not make the wait grow: 500 ms each time, not 500, 1000, 2000.
    expect(
      cluster.overdue(),
      `Each death came after the window had forgotten the one before: each wait should be the first one (500 ms), none reaching 950 ms; seen ${gaps.join(', ')} ms. ${RESTARTS}`,
    ).toEqual([]);
  }, 60_000);

  test('the window slides: a death counts for windowMs after it happened, not until a fixed window ends', async () => {
    // Deaths at about 0, 2.5 s and 6 s, windowMs 5 s: at the third death the second is 3.5 s old and
    // still counts, so the third wait is doubled (1600 ms). A window that restarts once its first
    // death is windowMs old forgets the second death too, and waits 800 ms.
    const [initialDelayMs, windowMs] = [800, 5_000];
    const cluster = startCluster({ workers: 1, restart: { initialDelayMs, windowMs } });
    await serving(cluster, 1);
    // With no worker left, the port is given up: each replacement may listen on another one.
    const latestPort = () => [...cluster.listening().values()].at(-1)!;
    await request(latestPort(), '/exit?code=1');
    await cluster.until(() => cluster.listening().size === 2, 'replacement 1, listening');
    for (const [i, after] of [2_500, windowMs + 1_000].entries()) {
      await sleep(Math.max(0, cluster.exits()[0]!.at + after - Date.now()));
      await request(latestPort(), '/exit?code=1');
      await cluster.until(() => cluster.listening().size === i + 3, `replacement ${i + 2}, listening`);
    }
    const deaths = cluster.exits().map((exit) => exit.at);
    const last = deaths[2]!;
    // Only the deaths surely inside the window (300 ms from its edge) are counted: a late request cannot fail the test.
    const counted = deaths.filter((at) => last - at < windowMs - 300).length;
    const wanted = initialDelayMs * 2 ** (counted - 1);
    const gaps = restartGaps(cluster);
    expect(
      gaps[2] ?? 0,
      `Deaths came ${deaths.map((at) => ((at - deaths[0]!) / 1000).toFixed(1)).join(', ')} s after the first, windowMs 5 s: at the third, ${counted} deaths ` +
        `lie within the last 5 s, so the wait should be ${wanted} ms; it was ${gaps[2]} ms (all waits: ${gaps.join(', ')} ms). ` +
        `Count the deaths of the last windowMs at each death (a sliding window), not since a window that started at the first death. ${RESTARTS}`,
    ).toBeGreaterThanOrEqual(wanted * 0.9);
  }, 60_000);

  test('with the default policy, a crash loop is 5 replacements 100, 200, 400, 800 and 1600 ms apart', async () => {
    // Each wait is bounded from above by its own witness, 500 ms past it: a doubled start (200 … 3200) overruns the later ones.
    const limits = { 0: 600, 1: 700, 2: 900, 3: 1_300, 4: 2_100 };
    const cluster = startCluster({ workers: 1 }, { WORKBOOK_FIXTURE_MODE: 'crash', WORKBOOK_FIXTURE_OVERDUE_MS: JSON.stringify(limits) });
    const exit = await exitOf(cluster, 40_000, 'With the default policy (5 restarts within 60 s), the primary should give up on a crash loop', 6);
    expect(cluster.forks().length, `The defaults allow 5 replacements: 6 forks in all. ${RESTARTS}`).toBe(6);
    const gaps = restartGaps(cluster);
    [100, 200, 400, 800, 1_600].forEach((wanted, i) =>
      expect(gaps[i] ?? 0, `Default waits should be 100, 200, 400, 800, 1600 ms; seen ${gaps.join(', ')} ms. ${RESTARTS}`).toBeGreaterThanOrEqual(wanted * 0.9),
    );
    expect(
      cluster.overdue().map((death) => `wait ${death + 1} passed ${limits[death as keyof typeof limits]} ms`),
      `Default waits should be 100, 200, 400, 800, 1600 ms; seen ${gaps.join(', ')} ms. ${RESTARTS}`,
    ).toEqual([]);
    expect(exit.code, `A crash loop should end the primary with a non-zero code, so its supervisor sees it. ${RESTARTS}`).not.toBe(0);
  }, 60_000);
});
