// The container source: Postgres and Redis started by testcontainers on a Docker-compatible
// runtime. Loaded only when that source is tried, so runs without Docker never pay for it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunningService } from './types.ts';
import { reason } from './probe.ts';

/**
 * Removes the container (an id, or `label=key=value` for every container carrying that label) once
 * this process is gone, however it ends (see reaper.mjs). Returns what stops the reaper, for a
 * caller that removes the containers itself and lives on.
 */
export function reapAfterThisProcess(target: string): () => void {
  const reaper = fileURLToPath(new URL('./reaper.mjs', import.meta.url));
  const child = spawn(process.execPath, [reaper, String(process.pid), target], { detached: true, stdio: 'ignore' });
  child.unref();
  return () => child.kill();
}

/** Null when a container runtime answers, else why not. */
export async function containerRuntimeProblem(): Promise<string | null> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return null;
  } catch (error) {
    return reason(error);
  }
}

export async function startPostgresContainer(image: string): Promise<RunningService> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(image)
    .withDatabase('postgres')
    .withUsername('postgres')
    .withPassword('workbook')
    .start();
  reapAfterThisProcess(container.getId());
  return {
    url: container.getConnectionUri(),
    source: `container ${image}`,
    stop: async () => {
      await container.stop();
    },
  };
}

export async function startRedisContainer(image: string): Promise<RunningService> {
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer(image).start();
  reapAfterThisProcess(container.getId());
  return {
    url: container.getConnectionUrl(),
    source: `container ${image}`,
    stop: async () => {
      await container.stop();
    },
  };
}
