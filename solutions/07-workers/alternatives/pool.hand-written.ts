// Another correct pool, written by hand: a fixed set of worker_threads and a bounded queue.
// CPU work off the event loop: the task (a password stretched by many rounds of SHA-256) and a
// bounded pool of worker threads that runs it. Its threads run the JavaScript in THREAD, a
// copy of the task (see there why).
import os from 'node:os';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface StretchInput {
  password: string;
  salt: string;
  /** SHA-256 applications: 1 hashes password + salt once, each further round hashes the digest + salt. */
  rounds: number;
}

/** The task, as each worker thread runs it: seconds of CPU for a large `rounds`, and no I/O to wait for. */
export default function stretch({ password, salt, rounds }: StretchInput): string {
  let digest = createHash('sha256').update(password).update(salt).digest();
  for (let round = 1; round < rounds; round += 1) digest = createHash('sha256').update(digest).update(salt).digest();
  return digest.toString('hex');
}

export interface PoolOptions {
  /** Threads at most; os.availableParallelism() when left out. */
  maxThreads?: number;
  /** Tasks waiting for a thread at most; QUEUE_PER_THREAD × maxThreads when left out. */
  maxQueue?: number;
}

export interface HashPool {
  /** The stretched hash in hex. Rejects with PoolBusyError when the queue is full, and with an AbortError once `signal` aborts. */
  run(input: StretchInput, signal?: AbortSignal): Promise<string>;
  /** Ends every thread; tasks not finished are rejected. */
  destroy(): Promise<void>;
}

/** Every thread is busy and the queue is full: the caller should answer 503, not wait. */
export class PoolBusyError extends Error {
  override name = 'PoolBusyError';
  constructor() {
    super('every worker thread is busy and the queue is full');
  }
}

export const QUEUE_PER_THREAD = 4;

interface Job {
  input: StretchInput;
  signal: AbortSignal | undefined;
  resolve(hash: string): void;
  reject(error: Error): void;
  onAbort(): void;
}

type Reply = { hash: string } | { error: { name: string; message: string } };

// The thread's code, as JavaScript: on Node 20 a thread cannot load a .ts file, even under tsx
// (piscina gets there through a .js file of its own). It repeats the task above.
const THREAD = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ password, salt, rounds }) => {
  try {
    let digest = createHash('sha256').update(password).update(salt).digest();
    for (let round = 1; round < rounds; round += 1) digest = createHash('sha256').update(digest).update(salt).digest();
    parentPort.postMessage({ hash: digest.toString('hex') });
  } catch (error) {
    parentPort.postMessage({ error: { name: error.name, message: error.message } });
  }
});
`;

const abortError = () => new DOMException('The task was aborted', 'AbortError');

export function createHashPool(options: PoolOptions = {}): HashPool {
  const maxThreads = options.maxThreads ?? os.availableParallelism();
  const maxQueue = options.maxQueue ?? QUEUE_PER_THREAD * maxThreads;
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const waiting: Job[] = [];

  function settle(job: Job) {
    job.signal?.removeEventListener('abort', job.onAbort);
  }

  function start() {
    const worker = new Worker(THREAD, { eval: true });
    worker.on('message', (reply: Reply) => {
      const job = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      if (job) {
        settle(job);
        if ('hash' in reply) job.resolve(reply.hash);
        else job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
      }
      dispatch();
    });
    // A thread that dies takes its task with it; another takes its place.
    worker.on('error', (error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      if (job) {
        settle(job);
        job.reject(error);
      }
      start();
      dispatch();
    });
    idle.push(worker);
  }

  function dispatch() {
    while (idle.length > 0 && waiting.length > 0) {
      const worker = idle.pop()!;
      const job = waiting.shift()!;
      busy.set(worker, job);
      worker.postMessage(job.input);
    }
  }

  function abort(job: Job) {
    const queued = waiting.indexOf(job);
    if (queued !== -1) waiting.splice(queued, 1);
    for (const [worker, running] of busy) {
      if (running !== job) continue;
      // A thread cannot be interrupted mid-task: end it and start another.
      busy.delete(worker);
      void worker.terminate();
      start();
    }
    settle(job);
    job.reject(abortError());
    dispatch();
  }

  for (let count = 0; count < maxThreads; count += 1) start();

  return {
    run(input, signal) {
      if (signal?.aborted) return Promise.reject(abortError());
      if (busy.size + waiting.length >= maxThreads + maxQueue) return Promise.reject(new PoolBusyError());
      return new Promise<string>((resolve, reject) => {
        const job: Job = { input, signal, resolve, reject, onAbort: () => abort(job) };
        signal?.addEventListener('abort', job.onAbort, { once: true });
        waiting.push(job);
        dispatch();
      });
    },
    async destroy() {
      const workers = [...idle, ...busy.keys()];
      for (const job of [...waiting.splice(0), ...busy.values()]) {
        settle(job);
        job.reject(new Error('the pool was destroyed'));
      }
      busy.clear();
      idle.length = 0;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
