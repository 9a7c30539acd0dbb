// The process the pool suite starts (not the learner's code): it loads the pool module under test
// (WORKBOOK_POOL, a path), creates one pool (options in WORKBOOK_POOL_OPTIONS, or none), and takes
// orders from the suite over HTTP on loopback. It counts every worker thread created, so a thread
// per task or a pool larger than maxThreads shows, whatever library the pool is built on.
// It is started from another working directory than the course's, as a deployed app may be.
import http from 'node:http';
import os from 'node:os';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { getEventListeners } from 'node:events';
import { setImmediate as yieldOnce } from 'node:timers/promises';
import { eventLoopDelayDuring } from '../../shared/testing/measure.ts';
import type * as PoolModule from './pool.ts';

// Count threads before the pool module (and the library it uses) is loaded. A pool that starts a
// thread per task would start hundreds in a burst (gigabytes): past THREAD_CAP alive at once, a
// new one fails instead (WORKBOOK_THREAD_CAP), and the suite says why.
const THREAD_CAP = Number(process.env.WORKBOOK_THREAD_CAP);
const threads = { created: 0, alive: 0, peak: 0, refused: 0 };
const workerThreads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
class CountedWorker extends workerThreads.Worker {
  constructor(...args: ConstructorParameters<typeof workerThreads.Worker>) {
    if (threads.alive >= THREAD_CAP) {
      threads.refused += 1;
      throw new Error(`the suite's limit: ${THREAD_CAP} worker threads alive at once`);
    }
    super(...args);
    threads.created += 1;
    threads.alive += 1;
    threads.peak = Math.max(threads.peak, threads.alive);
    this.once('exit', () => (threads.alive -= 1));
  }
}
workerThreads.Worker = CountedWorker;
syncBuiltinESMExports();

const target = (await import(pathToFileURL(process.env.WORKBOOK_POOL!).href)) as typeof PoolModule;
const options = process.env.WORKBOOK_POOL_OPTIONS ? (JSON.parse(process.env.WORKBOOK_POOL_OPTIONS) as PoolModule.PoolOptions) : undefined;
const pool = options === undefined ? target.createHashPool() : target.createHashPool(options);

export interface Outcome {
  ok: boolean;
  hash?: string;
  /** The rejection: its name, message, and whether it is the module's PoolBusyError. */
  error?: { name: string; message: string; busy: boolean };
  /** The order in which this task settled among all tasks of this process (1, 2, …). */
  settledAs: number;
  /** run() threw instead of returning a promise. */
  threw: boolean;
}

const tasks = new Map<string, { controller: AbortController; outcome: Promise<Outcome> }>();
let settled = 0;
/** One signal several tasks share, to see whether the pool leaves listeners on it. */
const shared = new AbortController();

/** How a task's signal behaves: 'none' calls run() without one, 'never' gives one that never aborts. */
type Abort = 'before' | 'shared' | 'never' | 'none' | number;

function start(id: string, input: PoolModule.StretchInput, abort: Abort) {
  const controller = abort === 'shared' ? shared : new AbortController();
  if (abort === 'before') controller.abort();
  if (typeof abort === 'number') setTimeout(() => controller.abort(), abort);
  // Called directly, as a caller would: a run that throws instead of returning a rejected promise shows.
  let running: Promise<string>;
  let threw = false;
  try {
    running = abort === 'none' ? pool.run(input) : pool.run(input, controller.signal);
  } catch (error) {
    threw = true;
    running = Promise.reject(error);
  }
  const outcome = running
    .then(
      (hash): Outcome => ({ ok: true, hash, settledAs: (settled += 1), threw }),
      (error: Error): Outcome => ({
        ok: false,
        error: { name: String(error?.name), message: String(error?.message), busy: error instanceof target.PoolBusyError },
        settledAs: (settled += 1),
        threw,
      }),
    );
  tasks.set(id, { controller, outcome });
}

const orders: Record<string, (body: any) => Promise<unknown> | unknown> = {
  /** Starts tasks (all in the same tick, as a burst of requests would) and answers at once. */
  start: ({ tasks: list }: { tasks: { id: string; input: PoolModule.StretchInput; abort?: Abort }[] }) => {
    for (const task of list) start(task.id, task.input, task.abort ?? 'never');
    return { started: list.length };
  },
  outcomes: async ({ ids }: { ids: string[] }) => Promise.all(ids.map((id) => tasks.get(id)!.outcome)),
  abort: ({ id }: { id: string }) => {
    tasks.get(id)!.controller.abort();
    return {};
  },
  /** Runs the tasks on this thread, one after the other (the loop turns between them), as a server without a pool would. */
  inline: async ({ inputs }: { inputs: PoolModule.StretchInput[] }) =>
    eventLoopDelayDuring(async () => {
      const hashes: string[] = [];
      for (const input of inputs) {
        await yieldOnce();
        hashes.push(target.default(input));
      }
      return hashes;
    }),
  /** Runs the tasks in the pool at once and measures this thread's event-loop delay meanwhile. */
  pooled: async ({ inputs }: { inputs: PoolModule.StretchInput[] }) =>
    eventLoopDelayDuring(() => Promise.all(inputs.map((input) => pool.run(input)))),
  threads: () => ({ ...threads, availableParallelism: os.availableParallelism(), sharedSignalListeners: getEventListeners(shared.signal, 'abort').length }),
  destroy: async () => {
    await pool.destroy();
    // When destroy() resolves, every thread should have exited (terminate() resolves on exit).
    const aliveWhenDestroyed = threads.alive;
    for (let turns = 0; turns < 200 && threads.alive > 0; turns += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    return { ...threads, aliveWhenDestroyed };
  },
};

const server = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk));
  request.on('end', async () => {
    const order = orders[request.url!.slice(1)];
    try {
      if (!order) throw new Error(`no order ${request.url}`);
      const answer = await order(JSON.parse(body || '{}'));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error)?.stack ?? error));
    }
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`@@fixture listening ${(server.address() as AddressInfo).port}\n`));
