// npm run verify:containers: the learners' default path, proven. Runs every suite on the
// solutions with Postgres and Redis from testcontainers only (WORKBOOK_SOURCE=container), and
// checks from outside: two containers per run, not per file; none left after a run that
// passed, nor after one interrupted with SIGINT. Needs a Docker-compatible runtime (CI sets
// up podman with .ci/containers/setup.sh).
import { setTimeout as sleep } from 'node:timers/promises';
import { runVitest, type VitestRun } from './course/vitest-process.ts';
import { containerRuntimeProblem } from '../shared/testing/services/containers.ts';
import { SANDBOX_LABEL } from './workbook/sandbox.ts';

const LABEL = 'org.testcontainers';
const SANDBOX_TESTS = 'scripts/workbook/tests/grade-sandbox.test.ts';
let passed = 0;
let failed = 0;
const check = (ok: boolean, label: string, detail: string) => {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? '✓' : '✗'} ${label.padEnd(44)} ${detail}`);
};

async function testcontainersIds(): Promise<Set<string>> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const containers = await client.container.dockerode.listContainers({ all: true, filters: { label: [LABEL] } });
  // A sandbox's containers (grade --sandbox, tried by the CLI's tests) are its own, not the run's.
  return new Set(containers.filter((container) => !container.Labels?.[SANDBOX_LABEL]).map((container) => container.Id));
}

/** Runs the suites while watching which containers appear. */
async function watchedRun(options: { interrupt?: boolean }): Promise<{ run: VitestRun; seen: Set<string> }> {
  const before = await testcontainersIds();
  const seen = new Set<string>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      for (const id of await testcontainersIds().catch(() => new Set<string>())) if (!before.has(id)) seen.add(id);
      await sleep(250);
    }
  })();
  const env: NodeJS.ProcessEnv = { WORKBOOK_SOURCE: 'container', DATABASE_URL: '', REDIS_URL: '' };
  const run = await runVitest({
    // The sandbox's tests run on their own, after: each starts three containers of its own, and
    // beside the suites that load made lesson 03's connection timings fail.
    args: ['--project', 'solutions', '--project', 'harness', '--exclude', SANDBOX_TESTS],
    env,
    timeoutMs: 20 * 60_000,
    // Interrupt once the services are up and test files have started running.
    interruptWhen: options.interrupt ? (output) => /\[workbook\] redis: container/.test(output) && /[✓✗×]/.test(output) : undefined,
  });
  watching = false;
  await watcher;
  return { run, seen };
}

/** Containers of `seen` still present once removal has had up to 20 s to happen. */
async function leftBehind(seen: Set<string>): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = await testcontainersIds();
    const left = [...seen].filter((id) => now.has(id));
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const problem = await containerRuntimeProblem();
  if (problem) {
    console.log(`✗ no container runtime: ${problem}`);
    console.log('  Start Docker, or on a machine without it run: bash .ci/containers/setup.sh and');
    console.log('  eval "$(bash .ci/containers/service.sh start)"');
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
    return;
  }

  const full = await watchedRun({});
  const sources = full.run.output.match(/\[workbook\] (postgres|redis): .*/g) ?? [];
  check(full.run.code === 0, 'suites green through testcontainers', `${full.run.report?.numPassedTests ?? 0} tests passed, ${full.run.report?.numFailedTests ?? '?'} failed in ${full.run.seconds.toFixed(0)} s`);
  if (full.run.code !== 0) console.log(full.run.output.split('\n').slice(-40).join('\n'));
  check(
    sources.length === 2 && sources.every((line) => line.includes(': container ')),
    'services came from containers only',
    sources.join(' | ') || 'no service line printed',
  );
  check(full.seen.size === 2, 'two containers for the whole run, not per file', `${full.seen.size} started`);
  const files = full.run.report?.testResults.length ?? 0;
  check(files > 2, 'every file had its own database and prefix', `${files} test files (the harness's isolation suites among them)`);
  const leftAfterRun = await leftBehind(full.seen);
  check(leftAfterRun.length === 0, 'no container left after the run', leftAfterRun.length ? `left: ${leftAfterRun.join(', ')}` : 'all removed');

  // The sandbox's tests skip where no runtime answers; here one does, so every one of them must run.
  const sandbox = await runVitest({ args: ['--project', 'harness', SANDBOX_TESTS], env: { WORKBOOK_SOURCE: 'container', DATABASE_URL: '', REDIS_URL: '' }, timeoutMs: 15 * 60_000 });
  const sandboxTests = sandbox.report?.testResults.find((result) => result.name.endsWith(SANDBOX_TESTS))?.assertionResults ?? [];
  check(
    sandboxTests.length > 0 && sandboxTests.every((result) => result.status === 'passed'),
    'grade --sandbox tried with its tricks',
    `${sandboxTests.filter((result) => result.status === 'passed').length} of ${sandboxTests.length} tests passed in ${sandbox.seconds.toFixed(0)} s (${SANDBOX_TESTS})`,
  );
  if (sandbox.code !== 0) console.log(sandbox.output.split('\n').slice(-40).join('\n'));

  // An image that cannot be pulled: the run must stop and say which image, and the ways out.
  const missingImage = 'localhost/workbook-no-such-image:0';
  const pullFailure = await runVitest({
    args: ['--config', 'shared/testing/tests/fixtures/vitest.config.ts'],
    env: { WORKBOOK_SOURCE: 'container', DATABASE_URL: '', REDIS_URL: '', WORKBOOK_POSTGRES_IMAGE: missingImage },
    timeoutMs: 5 * 60_000,
  });
  check(
    pullFailure.code !== 0 &&
      pullFailure.output.includes(`image ${missingImage} could not be pulled`) &&
      pullFailure.output.includes('set WORKBOOK_POSTGRES_IMAGE') &&
      pullFailure.output.includes('DATABASE_URL='),
    'an image that cannot be pulled stops the run, clearly',
    pullFailure.output.match(/postgres:\n\s+- container: .*/)?.[0]?.replace(/\s+/g, ' ') ?? pullFailure.output.split('\n').slice(-15).join(' | '),
  );

  const interrupted = await watchedRun({ interrupt: true });
  const leftAfterInterrupt = await leftBehind(interrupted.seen);
  check(
    interrupted.seen.size > 0 && leftAfterInterrupt.length === 0,
    'no container left after SIGINT mid-run',
    `${interrupted.seen.size} started, exit ${interrupted.run.code}, ${leftAfterInterrupt.length} left`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
