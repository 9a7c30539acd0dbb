// grade --sandbox: one checkout graded in containers, through testcontainers. Three containers
// share one network namespace that has only a loopback interface: PostgreSQL and Redis for the
// suites, and the grader (sandbox-inside.ts) with the learner's code. So the learner's code
// reaches the two services at 127.0.0.1 and nothing else: not the instructor's services, not
// the network. The course is mounted read-only without its solutions and history, the
// checkout's exercises/ read-only, /scratch is the only writable place; the learner's code runs as
// an unprivileged user apart from the judge's processes, within memory, CPU and wall-clock limits,
// and gets no environment of the instructor's.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import type { GenericContainer as GenericContainerType } from 'testcontainers';
import { reapAfterThisProcess } from '../../shared/testing/services/containers.ts';
import { readServiceSettings } from '../../shared/testing/services/settings.ts';
import { stripAnsi } from '../course/suite-runs.ts';
import { copyExercises } from './checkout-files.ts';
import type { GradeRun } from './grading.ts';
import { lastResult } from './sandbox-result.ts';

export interface SandboxSettings {
  /** The image with Node in which learner code runs (WORKBOOK_SANDBOX_IMAGE). */
  image: string;
  /** Memory limit in GiB (WORKBOOK_SANDBOX_MEMORY_GB). */
  memoryGb: number;
  /** CPU limit in cores (WORKBOOK_SANDBOX_CPUS). */
  cpus: number;
  /** Wall-clock limit per checkout (WORKBOOK_SANDBOX_MINUTES). */
  timeLimitMs: number;
}

/** The official Node image of the active LTS; CI builds a stand-in (.ci/containers/node). */
export const DEFAULT_SANDBOX_IMAGE = 'node:24-bookworm-slim';

export function readSandboxSettings(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return env[name] && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    image: env.WORKBOOK_SANDBOX_IMAGE || DEFAULT_SANDBOX_IMAGE,
    memoryGb: number('WORKBOOK_SANDBOX_MEMORY_GB', 2),
    cpus: number('WORKBOOK_SANDBOX_CPUS', Math.min(2, availableParallelism())),
    timeLimitMs: number('WORKBOOK_SANDBOX_MINUTES', 30) * 60_000,
  };
}

/** The label on every container of a sandbox (its value: that sandbox's own). */
export const SANDBOX_LABEL = 'workbook.sandbox';
/** The label naming the checkout a sandbox's containers grade. */
export const CHECKOUT_LABEL = 'workbook.sandbox.checkout';
const PASSWORD = 'workbook';
const COURSE = '/course';
const CHECKOUT = '/checkout';

/** Grades `checkout` (all exercises, or the lesson or exercise `selector` names) in a sandbox. */
export async function gradeInSandbox(root: string, checkout: string, selector: string | undefined, settings = readSandboxSettings()): Promise<GradeRun> {
  const { GenericContainer, Wait } = await import('testcontainers');
  // The checkout's exercises as copied real files (a symbolic link could bring in anyone's), and
  // an empty folder to lay over the course's caches.
  const exercises = copyExercises(checkout);
  const emptyDir = mkdtempSync(path.join(tmpdir(), 'workbook-sandbox-empty-'));
  const images = readServiceSettings().services;
  // Every container of this sandbox carries its label: removed together, also one whose start
  // failed, and by the reaper if this process is killed first. The checkout's, for people.
  const label = { [SANDBOX_LABEL]: randomBytes(6).toString('hex'), [CHECKOUT_LABEL]: checkout };
  const stopReaper = reapAfterThisProcess(`label=${SANDBOX_LABEL}=${label[SANDBOX_LABEL]}`);
  const start = (container: GenericContainerType) => container.withLabels(label).start();
  try {
    // The namespace's owner: created with no network at all, so it has loopback only. Learner code
    // reaches both services as their superuser (the suites need it), so they get limits too: memory,
    // CPU, no new privileges. (Their own file systems stay writable: the images write in places that
    // a tmpfs would cover with the wrong owner.)
    const postgres = await start(
      confined(new GenericContainer(images.postgres.image), settings)
        .withNetworkMode('none')
        .withEnvironment({ POSTGRES_PASSWORD: PASSWORD })
        .withWaitStrategy(Wait.forSuccessfulCommand('pg_isready -h 127.0.0.1 -U postgres'))
        .withStartupTimeout(120_000),
    );
    const shared = `container:${postgres.getId()}`;
    await start(
      confined(new GenericContainer(images.redis.image), settings)
        .withNetworkMode(shared)
        .withWaitStrategy(Wait.forSuccessfulCommand('redis-cli -h 127.0.0.1 ping | grep -q PONG'))
        .withStartupTimeout(60_000),
    );
    const grader = new GenericContainer(settings.image)
      .withNetworkMode(shared)
      .withBindMounts([...courseMounts(root, emptyDir), { source: exercises.dir, target: `${CHECKOUT}/exercises`, mode: 'ro' }])
      .withTmpFs({ '/scratch': 'rw,mode=1777,size=512m' })
      // Root with three capabilities, for the judge: suite workers drop to LEARNER_USER before
      // learner code loads (shared/testing/worker-user.mjs), and the grader kills what they leave.
      .withDroppedCapabilities('ALL')
      .withAddedCapabilities('KILL', 'SETUID', 'SETGID')
      .withSecurityOpt('no-new-privileges')
      .withResourcesQuota({ memory: settings.memoryGb, cpu: settings.cpus })
      .withEnvironment({
        HOME: '/scratch',
        TMPDIR: '/scratch',
        NO_COLOR: '1',
        DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:5432/postgres`,
        REDIS_URL: 'redis://127.0.0.1:6379',
      })
      .withWorkingDir(COURSE)
      .withCommand(['node', '--import', 'tsx', 'scripts/workbook/sandbox-inside.ts', CHECKOUT, ...(selector ? [selector] : [])]);
    readOnlyRoot(grader);
    const running = await start(grader);
    const docker = (await dockerode()).getContainer(running.getId());
    const timedOut = await Promise.race([docker.wait().then(() => false), sleep(settings.timeLimitMs).then(() => true)]);
    if (timedOut) throw new Error(`the sandbox did not finish within ${settings.timeLimitMs / 60_000} min (WORKBOOK_SANDBOX_MINUTES); it was stopped`);
    // Only the judge writes here: learner code runs as another user, its output goes to vitest's main
    // process, which prints to the grader, which keeps it. (Not `tail`: a long line comes in parts.)
    const output = demultiplex((await docker.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
    const run = lastResult(output);
    if (!run) throw new Error(`the sandbox gave no result:\n${stripAnsi(output).trimEnd().split('\n').slice(-30).map((line) => line.slice(0, 500)).join('\n')}`);
    // Paths as the instructor knows them.
    return { ...run, grade: { ...run.grade, checkout } };
  } finally {
    await removeLabelled(`${SANDBOX_LABEL}=${label[SANDBOX_LABEL]}`).catch(() => undefined);
    stopReaper();
    exercises.remove();
    rmSync(emptyDir, { recursive: true, force: true });
  }
}

/** The container runtime's API client, as testcontainers found the runtime. */
const dockerode = async () => (await (await import('testcontainers')).getContainerRuntimeClient()).container.dockerode;

async function removeLabelled(label: string): Promise<void> {
  const docker = await dockerode();
  const mine = await docker.listContainers({ all: true, filters: { label: [label] } });
  // Twice: the namespace's owner cannot be removed while the two that joined it still exist.
  for (const _pass of [1, 2]) {
    for (const container of mine) await docker.getContainer(container.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
}

/**
 * The course, read-only, entry by entry: all but its solutions, its history and hidden folders, and
 * the maintainers' own folders (which would hand learner code the instructor's answers); with the
 * caches in node_modules covered by an empty folder (vitest's module cache holds every solution
 * it has transformed, source maps and all).
 */
function courseMounts(root: string, emptyDir: string): { source: string; target: string; mode: 'ro' }[] {
  const entries = readdirSync(root)
    .filter((entry) => !entry.startsWith('.') && !HIDDEN_FROM_LEARNER_CODE.has(entry))
    .map((entry) => ({ source: path.join(root, entry), target: `${COURSE}/${entry}`, mode: 'ro' as const }));
  const caches = readdirSync(path.join(root, 'node_modules'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('.') && entry.name !== '.bin')
    .map((entry) => ({ source: emptyDir, target: `${COURSE}/node_modules/${entry.name}`, mode: 'ro' as const }));
  return [...entries, ...caches];
}
const HIDDEN_FROM_LEARNER_CODE = new Set(['solutions', 'bench']);

/** The container's own file system read-only: only its tmpfs mounts can be written. */
function readOnlyRoot(container: GenericContainerType): void {
  (container as unknown as { hostConfig: { ReadonlyRootfs?: boolean } }).hostConfig.ReadonlyRootfs = true;
}

/** A service container under the sandbox's limits. */
function confined<T extends GenericContainerType>(container: T, settings: SandboxSettings): T {
  return container.withSecurityOpt('no-new-privileges').withResourcesQuota({ memory: 1, cpu: settings.cpus }) as T;
}

/** A container's log as the API sends it without a TTY: frames of [stream, 0, 0, 0, size (4 bytes)] + payload. */
export function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
