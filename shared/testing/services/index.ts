// Where the suites' services (PostgreSQL, Redis) come from. For each service, the first source
// that works wins: the URL the user set → a container (testcontainers) → a server on the default
// local port. A URL the user set that does not answer stops there: it is never silently replaced.
// When none works the run stops with one message naming all three fixes. Each service is one
// description (descriptions.ts); nothing else in the project knows where services come from.
import { existsSync } from 'node:fs';
import { lazy } from '../lazy.ts';
import { SERVICES, type ServiceDescription } from './descriptions.ts';
import { reason, redact } from './probe.ts';
import { readServiceSettings, type ServiceSettings, type SourceKind } from './settings.ts';
import type { RunningService, ServiceName } from './types.ts';

export type { RunningService, ServiceName } from './types.ts';
export { readServiceSettings } from './settings.ts';

export type Services = Record<ServiceName, RunningService>;

export class ServicesUnavailableError extends Error {
  override name = 'ServicesUnavailableError';
}

/** Why a source gave no server; `final` when the next sources must not be tried. */
interface Skip {
  why: string;
  final?: boolean;
}

interface Attempt {
  kind: SourceKind;
  label: string;
  run(): Promise<RunningService | Skip>;
}

interface Outcome {
  service?: RunningService;
  skipped: string[];
  /** A URL the user set did not answer. */
  deadUrl?: boolean;
}

export async function provideServices(
  settings: ServiceSettings = readServiceSettings(),
  say: (line: string) => void = (line) => console.log(line),
): Promise<Services> {
  const outcomes = await eachService(settings, { start: true });
  if (outcomes.every(({ outcome }) => outcome.service)) {
    for (const { service, outcome } of outcomes) {
      // A container that failed to start is worth saying even when a later source worked.
      const notes = outcome.skipped.filter((line) => line.startsWith('container: the runtime answered'));
      say(`[workbook] ${service.name}: ${outcome.service!.source}${notes.length ? ` (skipped ${notes.join('; ')})` : ''}`);
    }
    return Object.fromEntries(outcomes.map(({ service, outcome }) => [service.name, outcome.service!])) as Services;
  }
  await Promise.all(outcomes.map(({ outcome }) => outcome.service?.stop()));
  throw new ServicesUnavailableError(unavailableMessage(settings, outcomes));
}

export interface Diagnosis {
  source?: string;
  skipped: string[];
  /** The variable holding a URL the user set that did not answer. */
  deadUrl?: string;
}

/**
 * Which source each service would come from, and why earlier ones were skipped, without
 * starting anything (for `workbook doctor`).
 */
export async function diagnoseServices(
  settings: ServiceSettings = readServiceSettings(),
): Promise<Record<ServiceName, Diagnosis>> {
  const outcomes = await eachService(settings, { start: false });
  return Object.fromEntries(
    outcomes.map(({ service, outcome }) => [
      service.name,
      { source: outcome.service?.source, skipped: outcome.skipped, ...(outcome.deadUrl ? { deadUrl: service.urlEnv } : {}) },
    ]),
  ) as Record<ServiceName, Diagnosis>;
}

/** The first working source of each service, tried in parallel across services. */
function eachService(settings: ServiceSettings, { start }: { start: boolean }) {
  const runtime = lazy(async () => (await import('./containers.ts')).containerRuntimeProblem());
  return Promise.all(
    SERVICES.map(async (service) => {
      const attempts = attemptsFor(service, settings, runtime, { start }).filter((attempt) => !settings.only || attempt.kind === settings.only);
      return { service, outcome: await firstWorking(attempts) };
    }),
  );
}

export function attemptsFor(
  service: ServiceDescription,
  settings: ServiceSettings,
  runtime: () => Promise<string | null>,
  { start = true }: { start?: boolean } = {},
): Attempt[] {
  const { url: envUrl, image, localPort } = settings.services[service.name];
  const localUrl = service.localUrl(settings.localHost, localPort);
  const found = (url: string, source: string): RunningService => ({ url, source, stop: async () => {} });

  return [
    {
      kind: 'env',
      label: service.urlEnv,
      run: async () => {
        if (!envUrl) return { why: 'not set' };
        const problem = await service.probe(envUrl);
        if (!problem) return found(envUrl, `${service.urlEnv} (${redact(envUrl)})`);
        return { why: `set to ${redact(envUrl)}, which did not answer: ${problem}. Fix or unset ${service.urlEnv}`, final: true };
      },
    },
    {
      kind: 'container',
      label: 'container',
      run: async () => {
        const problem = await runtime();
        if (problem) return { why: `no container runtime reachable (${problem})${dockerInstalledHint()}` };
        if (!start) return found('', `container ${image} (started by the tests when they run)`);
        try {
          return await service.startContainer(image);
        } catch (error) {
          const why = reason(error);
          const pull = /pull|manifest|not found|no such image|unauthorized|denied/i.test(why);
          return {
            why: pull
              ? `the runtime answered, but image ${image} could not be pulled (${why}); set ${service.imageEnv} to one you can pull`
              : `the runtime answered, but ${image} did not start: ${why}`,
          };
        }
      },
    },
    {
      kind: 'local',
      label: 'local server',
      run: async () => {
        const problem = await service.probe(localUrl);
        return problem
          ? { why: `nothing answered at ${settings.localHost}:${localPort} (${problem})` }
          : found(localUrl, `local server at ${settings.localHost}:${localPort}`);
      },
    },
  ];
}

async function firstWorking(attempts: Attempt[]): Promise<Outcome> {
  const skipped: string[] = [];
  for (const attempt of attempts) {
    const outcome = await attempt.run();
    if ('url' in outcome) return { service: outcome, skipped };
    skipped.push(`${attempt.label}: ${outcome.why}`);
    if (outcome.final) return { skipped, deadUrl: true };
  }
  return { skipped };
}

/** Docker's CLI or socket is there but nothing answered: most likely Docker is not running. */
function dockerInstalledHint(): string {
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(`${dir}/docker`));
  if (!onPath && !existsSync('/var/run/docker.sock')) return '';
  return ' — Docker looks installed but not running: start Docker Desktop, or `sudo systemctl start docker`';
}

function unavailableMessage(settings: ServiceSettings, outcomes: { service: ServiceDescription; outcome: Outcome }[]): string {
  const missing = outcomes.filter(({ outcome }) => !outcome.service);
  const lines = [`The workbook's tests need a real PostgreSQL and Redis; no ${missing.map(({ service }) => service.name).join(' or ')} server could be found.`];
  for (const { service, outcome } of missing) lines.push(`  ${service.name}:`, ...outcome.skipped.map((line) => `    - ${line}`));
  const dead = missing.filter(({ outcome }) => outcome.deadUrl).map(({ service }) => service.urlEnv);
  if (dead.length > 0) {
    lines.push(`${dead.join(' and ')} ${dead.length === 1 ? 'is' : 'are'} set, so no other source was tried: a URL you set always wins.`);
  }
  const local = SERVICES.map((service) => `${service.name} on ${settings.localHost}:${settings.services[service.name].localPort}`);
  lines.push(
    'Fix it in one of three ways:',
    ...(settings.only ? [`  (WORKBOOK_SOURCE=${settings.only} allowed only that source.)`] : []),
    '  1. Point the tests at servers you have:',
    `       ${SERVICES.map((service) => `${service.urlEnv}=${service.localUrl('127.0.0.1', service.defaultPort).replace('postgres@', 'USER:PASSWORD@')}`).join(' ')} npm test`,
    `  2. Start Docker (or another Docker-compatible runtime): the tests start ${SERVICES.map((service) => settings.services[service.name].image).join(' and ')} themselves`,
    `     (set ${SERVICES.map((service) => service.imageEnv).join(' / ')} to use other images, e.g. from a mirror).`,
    `  3. Run ${local.join(' and ')} (PostgreSQL user postgres).`,
  );
  return lines.join('\n');
}
