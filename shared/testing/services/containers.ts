// The container source: Postgres and Redis started by testcontainers on a Docker-compatible
// runtime. Loaded only when that source is tried, so runs without Docker never pay for it.
import type { RunningService } from './types.ts';
import { reason } from './probe.ts';

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
  return {
    url: container.getConnectionUrl(),
    source: `container ${image}`,
    stop: async () => {
      await container.stop();
    },
  };
}
