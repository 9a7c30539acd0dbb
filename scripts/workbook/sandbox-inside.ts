// The grader's side inside the sandbox container (see sandbox.ts): grades the checkout mounted at
// the given path with the course it runs from, then stops every other process in the container
// (the learner's leftovers) and only then prints the result as the container's last line. A
// result line printed earlier, by anything else, is not the last one.
//   node --import tsx scripts/workbook/sandbox-inside.ts <checkout> [lesson or exercise]   (from the course)
import { readdirSync, readFileSync } from 'node:fs';
import { COURSE_ROOT, loadCourse } from '../course/catalog.ts';
import { selectExercises } from '../course/select.ts';
import { gradeCheckout } from './grading.ts';
import { LEARNER_USER, RESULT_PREFIX } from './sandbox-result.ts';

const [checkout, selector] = process.argv.slice(2);
if (!checkout) throw new Error('usage: sandbox-inside <checkout> [lesson or exercise]');
const course = loadCourse(COURSE_ROOT);
const exercises = selector ? selectExercises(course, selector) : course.flatMap((lesson) => lesson.exercises);
// The services are the sandbox's own containers, named by the host (sandbox.ts).
const services = { WORKBOOK_SOURCE: 'env', DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, WORKBOOK_SERVICES_SAID: '1' };
// Suite workers, where learner code runs, give up root for this user (shared/testing/worker-user.mjs).
const worker = { WORKBOOK_WORKER_USER: String(LEARNER_USER) };
// The course is read-only here: vite loads the config without writing a bundled copy beside it.
const run = await gradeCheckout(COURSE_ROOT, checkout, exercises, { ...services, ...worker }, ['--configLoader', 'runner']);
stopEveryOtherProcess();
process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(run)}\n`);

/** SIGKILL to every other process of the container, until none is left (5 s at most). */
function stopEveryOtherProcess(): void {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      process.kill(-1, 'SIGKILL');
    } catch {
      // ESRCH: nothing else to signal.
    }
    // A killed process takes a moment to be gone.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    if (others().length === 0) return;
  }
  throw new Error(`processes ${others().join(', ')} survived SIGKILL: no result is given`);
}

/** Live processes of the container besides this one and its init (zombies are not running). */
function others(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid && name !== '1')
    .map(Number)
    .filter((pid) => {
      try {
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    });
}
