// A benchmark's server in a process of its own, on a free loopback port: started under tsx, ready
// once `readyPath` answers, stopped with its whole process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `entry` with PORT set (and `env`), and waits up to 30 s for GET `readyPath` to answer 2xx. */
export async function startServerProcess(entry: string, readyPath: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; !(await fetch(`${url}${readyPath}`).then((response) => response.ok, () => false)); tries += 1) {
    if (tries > 300) {
      child.kill('SIGKILL');
      throw new Error(`the benchmark server ${entry} did not answer ${readyPath} within 30 s`);
    }
    await sleep(100);
  }
  return {
    url,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      await once(child, 'exit');
    },
  };
}
