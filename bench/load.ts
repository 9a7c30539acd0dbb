// Load for a benchmark, generated in a process of its own: a generator sharing the server's
// process takes its CPU and measures itself as much as the server. The result says how much of
// a core the generator used; near a whole core, the generator was the limit (saturated).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadOptions, LoadResult } from '../shared/testing/load.ts';

export interface ChildLoadResult extends LoadResult {
  /** The generator process's CPU time over its wall time: 1 is one core, busy throughout. */
  generatorCpu: number;
}

/** CPU time over wall time: 1 is one core busy throughout. */
export const cpuShare = (usage: NodeJS.CpuUsage, seconds: number) => (usage.user + usage.system) / 1000 / (seconds * 1000);

/** At or above this share of a core, the generator, not the server, limits the rate. */
export const SATURATED_CPU = 0.9;

const child = fileURLToPath(new URL('./load-child.ts', import.meta.url));

export function loadInChild(options: LoadOptions): Promise<ChildLoadResult> {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The load itself is capped in seconds (shared/testing/load.ts); this only catches a stuck child.
    const timer = setTimeout(() => run.kill('SIGKILL'), 120_000);
    run.once('error', reject);
    run.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`the load generator exited with ${code}`));
      resolve(JSON.parse(output) as ChildLoadResult);
    });
  });
}
