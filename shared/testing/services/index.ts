// Where the suites' Postgres and Redis come from. For each service, the first source that
// works wins: the URL the user set → a container (testcontainers) → a server on the default
// local port. When none works the run stops with one message naming all three fixes.
// Nothing else in the project knows where services come from.
import { readServiceSettings, type ServiceSettings } from './settings.ts';
import { probePostgres, probeRedis, reason, redact } from './probe.ts';
import type { RunningService, ServiceName } from './types.ts';

export type { RunningService, ServiceName } from './types.ts';
export { readServiceSettings } from './settings.ts';

export type Services = Record<ServiceName, RunningService>;

export class ServicesUnavailableError extends Error {
  override name = 'ServicesUnavailableError';
}

interface Attempt {
  label: string;
  /** A running service, or the reason this source was skipped. */
  run(): Promise<RunningService | string>;
}

const ENV_NAMES: Record<ServiceName, string> = { postgres: 'DATABASE_URL', redis: 'REDIS_URL' };

export async function provideServices(
  settings: ServiceSettings = readServiceSettings(),
  say: (line: string) => void = (line) => console.log(line),
): Promise<Services> {
  const runtime = lazy(async () => (await import('./containers.ts')).containerRuntimeProblem());
  const outcomes = await Promise.all(
    (['postgres', 'redis'] as const).map((name) => firstWorking(attemptsFor(name, settings, runtime))),
  );
  const [postgres, redis] = outcomes;
  if (postgres?.service && redis?.service) {
    say(`[workbook] postgres: ${postgres.service.source}`);
    say(`[workbook] redis: ${redis.service.source}`);
    return { postgres: postgres.service, redis: redis.service };
  }
  await Promise.all(outcomes.map((outcome) => outcome.service?.stop()));
  throw new ServicesUnavailableError(unavailableMessage(settings, { postgres: postgres!.skipped, redis: redis!.skipped }));
}

export function attemptsFor(name: ServiceName, settings: ServiceSettings, runtime: () => Promise<string | null>): Attempt[] {
  const probe = name === 'postgres' ? probePostgres : probeRedis;
  const envName = ENV_NAMES[name];
  const envUrl = name === 'postgres' ? settings.postgresUrl : settings.redisUrl;
  const image = name === 'postgres' ? settings.postgresImage : settings.redisImage;
  const port = name === 'postgres' ? settings.localPostgresPort : settings.localRedisPort;
  const localUrl = name === 'postgres'
    ? `postgres://postgres@${settings.localHost}:${port}/postgres`
    : `redis://${settings.localHost}:${port}`;
  const found = (url: string, source: string): RunningService => ({ url, source, stop: async () => {} });

  return [
    {
      label: envName,
      run: async () => {
        if (!envUrl) return 'not set';
        const problem = await probe(envUrl);
        return problem ? `set, but ${redact(envUrl)} did not answer: ${problem}` : found(envUrl, `${envName} (${redact(envUrl)})`);
      },
    },
    {
      label: 'container',
      run: async () => {
        const problem = await runtime();
        if (problem) return `no container runtime reachable (${problem})`;
        const containers = await import('./containers.ts');
        try {
          return await (name === 'postgres' ? containers.startPostgresContainer(image) : containers.startRedisContainer(image));
        } catch (error) {
          return `the runtime answered, but ${image} did not start: ${reason(error)}`;
        }
      },
    },
    {
      label: `local server`,
      run: async () => {
        const problem = await probe(localUrl);
        return problem ? `nothing answered at ${settings.localHost}:${port} (${problem})` : found(localUrl, `local server at ${settings.localHost}:${port}`);
      },
    },
  ];
}

async function firstWorking(attempts: Attempt[]): Promise<{ service?: RunningService; skipped: string[] }> {
  const skipped: string[] = [];
  for (const attempt of attempts) {
    const outcome = await attempt.run();
    if (typeof outcome !== 'string') return { service: outcome, skipped };
    skipped.push(`${attempt.label}: ${outcome}`);
  }
  return { skipped };
}

function unavailableMessage(settings: ServiceSettings, skipped: Record<ServiceName, string[]>): string {
  const missing = (Object.keys(skipped) as ServiceName[]).filter((name) => skipped[name].length === 3);
  const lines = [`The workbook's tests need a real PostgreSQL and Redis; no ${missing.join(' or ')} server could be found.`];
  for (const name of missing) {
    lines.push(`  ${name}:`, ...skipped[name].map((line) => `    - ${line}`));
  }
  lines.push(
    'Fix it in one of three ways:',
    '  1. Point the tests at servers you have:',
    '       DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 npm test',
    `  2. Start Docker (or another Docker-compatible runtime): the tests start ${settings.postgresImage} and ${settings.redisImage} themselves`,
    '     (set WORKBOOK_POSTGRES_IMAGE / WORKBOOK_REDIS_IMAGE to use other images, e.g. from a mirror).',
    `  3. Run PostgreSQL on ${settings.localHost}:${settings.localPostgresPort} (user postgres) and Redis on ${settings.localHost}:${settings.localRedisPort}.`,
  );
  return lines.join('\n');
}

function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
