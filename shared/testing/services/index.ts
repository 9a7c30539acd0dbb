// Where the suites' Postgres and Redis come from. For each service, the first source that
// works wins: the URL the user set → a container (testcontainers) → a server on the default
// local port. When none works the run stops with one message naming all three fixes.
// Nothing else in the project knows where services come from.
import { existsSync } from 'node:fs';
import { readServiceSettings, type ServiceSettings, type SourceKind } from './settings.ts';
import { probePostgres, probeRedis, reason, redact } from './probe.ts';
import type { RunningService, ServiceName } from './types.ts';
import { lazy } from '../lazy.ts';

export type { RunningService, ServiceName } from './types.ts';
export { readServiceSettings } from './settings.ts';

export type Services = Record<ServiceName, RunningService>;

export class ServicesUnavailableError extends Error {
  override name = 'ServicesUnavailableError';
}

interface Attempt {
  kind: SourceKind;
  label: string;
  /** A running service, or the reason this source was skipped. */
  run(): Promise<RunningService | string>;
}

const ENV_NAMES: Record<ServiceName, string> = { postgres: 'DATABASE_URL', redis: 'REDIS_URL' };

export async function provideServices(
  settings: ServiceSettings = readServiceSettings(),
  say: (line: string) => void = (line) => console.log(line),
): Promise<Services> {
  const outcomes = await eachService(settings, { start: true });
  const [postgres, redis] = outcomes;
  if (postgres?.service && redis?.service) {
    for (const [name, outcome] of [['postgres', postgres], ['redis', redis]] as const) {
      // A container that failed to start is worth saying even when a later source worked.
      const notes = outcome.skipped.filter((line) => line.startsWith('container: the runtime answered'));
      say(`[workbook] ${name}: ${outcome.service!.source}${notes.length ? ` (skipped ${notes.join('; ')})` : ''}`);
    }
    return { postgres: postgres.service, redis: redis.service };
  }
  await Promise.all(outcomes.map((outcome) => outcome.service?.stop()));
  throw new ServicesUnavailableError(unavailableMessage(settings, { postgres: postgres!, redis: redis! }));
}

/**
 * Which source each service would come from, and why earlier ones were skipped, without
 * starting anything (for `workbook doctor`).
 */
export async function diagnoseServices(settings: ServiceSettings = readServiceSettings()): Promise<Record<ServiceName, { source?: string; skipped: string[] }>> {
  const [postgres, redis] = await eachService(settings, { start: false });
  return {
    postgres: { source: postgres!.service?.source, skipped: postgres!.skipped },
    redis: { source: redis!.service?.source, skipped: redis!.skipped },
  };
}

/** The first working source of each service, tried in parallel for the two. */
function eachService(settings: ServiceSettings, { start }: { start: boolean }) {
  const runtime = lazy(async () => (await import('./containers.ts')).containerRuntimeProblem());
  return Promise.all(
    (['postgres', 'redis'] as const).map((name) =>
      firstWorking(attemptsFor(name, settings, runtime, { start }).filter((attempt) => !settings.only || attempt.kind === settings.only)),
    ),
  );
}

export function attemptsFor(
  name: ServiceName,
  settings: ServiceSettings,
  runtime: () => Promise<string | null>,
  { start = true }: { start?: boolean } = {},
): Attempt[] {
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
      kind: 'env',
      label: envName,
      run: async () => {
        if (!envUrl) return 'not set';
        const problem = await probe(envUrl);
        return problem ? `set, but ${redact(envUrl)} did not answer: ${problem}` : found(envUrl, `${envName} (${redact(envUrl)})`);
      },
    },
    {
      kind: 'container',
      label: 'container',
      run: async () => {
        const problem = await runtime();
        if (problem) return `no container runtime reachable (${problem})${dockerInstalledHint()}`;
        if (!start) return found('', `container ${image} (started by the tests when they run)`);
        const containers = await import('./containers.ts');
        try {
          return await (name === 'postgres' ? containers.startPostgresContainer(image) : containers.startRedisContainer(image));
        } catch (error) {
          const why = reason(error);
          const pull = /pull|manifest|not found|no such image|unauthorized|denied/i.test(why);
          return pull
            ? `the runtime answered, but image ${image} could not be pulled (${why}); set WORKBOOK_${name.toUpperCase()}_IMAGE to one you can pull`
            : `the runtime answered, but ${image} did not start: ${why}`;
        }
      },
    },
    {
      kind: 'local',
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

/** Docker's CLI or socket is there but nothing answered: most likely Docker is not running. */
function dockerInstalledHint(): string {
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(`${dir}/docker`));
  if (!onPath && !existsSync('/var/run/docker.sock')) return '';
  return ' — Docker looks installed but not running: start Docker Desktop, or `sudo systemctl start docker`';
}

type Outcome = Awaited<ReturnType<typeof firstWorking>>;

function unavailableMessage(settings: ServiceSettings, outcomes: Record<ServiceName, Outcome>): string {
  const missing = (Object.keys(outcomes) as ServiceName[]).filter((name) => !outcomes[name].service);
  const skipped = { postgres: outcomes.postgres.skipped, redis: outcomes.redis.skipped };
  const lines = [`The workbook's tests need a real PostgreSQL and Redis; no ${missing.join(' or ')} server could be found.`];
  for (const name of missing) {
    lines.push(`  ${name}:`, ...skipped[name].map((line) => `    - ${line}`));
  }
  lines.push(
    'Fix it in one of three ways:',
    ...(settings.only ? [`  (WORKBOOK_SOURCE=${settings.only} allowed only that source.)`] : []),
    '  1. Point the tests at servers you have:',
    '       DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 npm test',
    `  2. Start Docker (or another Docker-compatible runtime): the tests start ${settings.postgresImage} and ${settings.redisImage} themselves`,
    '     (set WORKBOOK_POSTGRES_IMAGE / WORKBOOK_REDIS_IMAGE to use other images, e.g. from a mirror).',
    `  3. Run PostgreSQL on ${settings.localHost}:${settings.localPostgresPort} (user postgres) and Redis on ${settings.localHost}:${settings.localRedisPort}.`,
  );
  return lines.join('\n');
}

