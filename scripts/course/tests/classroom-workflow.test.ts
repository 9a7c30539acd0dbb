// The Classroom workflow, run here the way GitHub would run it in a learner's repository: its
// shell steps and grader commands in order, in a workspace holding the learner's repository
// (lesson 01's slow-requests solved, monitor's test gutted), with this run's services. Two steps
// cannot run offline and stand in: actions/checkout (the learner's repository is already there)
// and `npm ci` (the course's node_modules is linked instead). Node comes from this run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { COURSE_ROOT, loadCourse } from '../catalog.ts';
import { WORKFLOW_FILE, stepId } from '../classroom-workflow.ts';
import { learnerCheckout, runCommand, servicesEnv } from '../../workbook/tests/fixture.ts';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  'working-directory'?: string;
  with?: Record<string, string | number>;
}

const workflow = parse(readFileSync(WORKFLOW_FILE, 'utf8')) as { jobs: { grade: { env: Record<string, string>; steps: Step[] } } };
const job = workflow.jobs.grade;
const exercises = loadCourse().flatMap((lesson) => lesson.exercises);
let workspace: string;
/** Each grader step's exit code, by step id; the step summary; the points as the reporter adds them. */
const graders = new Map<string, number>();
let summary = '';
const log: string[] = [];

beforeAll(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'workbook-classroom-'));
  renameSync(learnerCheckout(), path.join(workspace, 'learner'));
  const env = { ...process.env, ...job.env, ...servicesEnv(), GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: path.join(workspace, 'summary.md') };
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  let failed = false;
  for (const step of job.steps) {
    if (failed && step.if !== 'always()') continue;
    const cwd = path.join(workspace, step['working-directory'] ?? '.');
    if (step.uses?.startsWith('actions/checkout') || step.uses?.startsWith('actions/setup-node') || step.uses?.startsWith('classroom-resources/autograding-grading-reporter')) continue;
    if (step.uses?.startsWith('actions/upload-artifact')) {
      log.push(`upload ${step.with!.path}: ${existsSync(path.join(workspace, String(step.with!.path))) ? 'present' : 'MISSING'}`);
      continue;
    }
    if (step.run === 'npm ci') {
      symlinkSync(path.join(COURSE_ROOT, 'node_modules'), path.join(cwd, 'node_modules'));
      symlinkSync(path.join(COURSE_ROOT, 'shared/db/generated'), path.join(cwd, 'shared/db/generated'));
      continue;
    }
    const command = step.run ?? (step.uses?.startsWith('classroom-resources/autograding-command-grader') ? String(step.with!.command) : undefined);
    if (command === undefined) throw new Error(`a step this test does not know how to run: ${JSON.stringify(step)}`);
    const result = await runCommand('bash', ['-eo', 'pipefail', '-c', command], { cwd, env, timeoutMs: 600_000 });
    log.push(`${step.name ?? command}: exit ${result.code}\n${result.stdout}${result.stderr}`.trim());
    if (step.id) graders.set(step.id, result.code);
    else if (result.code !== 0) failed = true;
  }
  summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
}, 900_000);

afterAll(() => {
  if (workspace) {
    spawnSync('git', ['-C', path.join(workspace, 'learner'), 'worktree', 'remove', '--force', '../course']);
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('every step runs; the reports are there to publish', () => {
  expect(log.filter((line) => !/: exit 0\b|present$/.test(line.split('\n')[0]!) && !/^ex-|^\d\d-/.test(line)), log.join('\n\n')).toEqual([]);
  for (const file of ['grade.json', 'junit.xml', 'grade.md', 'results.json']) expect(existsSync(path.join(workspace, 'grades', file)), file).toBe(true);
});

test('the course that grades is the repository\'s first commit: the learner\'s gutted test is not used', () => {
  const grade = JSON.parse(readFileSync(path.join(workspace, 'grades/grade.json'), 'utf8')) as { editedTests: unknown[]; exercises: { id: string; tests: unknown[] }[] };
  const monitor = grade.exercises.find((exercise) => exercise.id === '01-timing/monitor')!;
  expect(monitor.tests.length, 'the course\'s monitor suite ran, not the one-line version').toBeGreaterThan(1);
  expect(grade.editedTests).toEqual([{ file: 'exercises/01-timing/monitor.test.ts', change: 'modified' }]);
});

test('one grader step per exercise, worth its points; only the solved one passes', () => {
  expect([...graders.keys()]).toEqual(exercises.map((exercise) => stepId(exercise.id)));
  const passed = exercises.filter((exercise) => graders.get(stepId(exercise.id)) === 0);
  expect(passed.map((exercise) => exercise.id)).toEqual(['01-timing/slow-requests']);
  const steps = job.steps.filter((step) => step.id);
  const points = steps.filter((step) => graders.get(step.id!) === 0).reduce((sum, step) => sum + Number(step.with!['max-score']), 0);
  expect(points).toBe(exercises.find((exercise) => exercise.id === '01-timing/slow-requests')!.points);
});

test('the job summary is the grade for people', () => {
  expect(summary).toMatch(/^# Grade: 10 \/ \d+/);
  expect(summary).toContain('| 01-timing/slow-requests | ✅ passed |');
});
