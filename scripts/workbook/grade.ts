// grade [checkout…] --format <list> [--out file|folder] [--lesson NN]: for instructors.
// One checkout and one format go to stdout (or --out file); several formats or several checkouts
// (a class: paths, or a folder holding them) go to an --out folder, one sub-folder per learner,
// with a class summary in Markdown and CSV.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, type Command } from './command.ts';
import { classCsv, classMarkdown, type ClassRow } from './grade-class.ts';
import { FILE_NAMES, FORMATS, render, type Format } from './grade-formats.ts';
import { gradeCheckout, type GradeRun } from './grading.ts';
import { gradeInSandbox, readSandboxSettings } from './sandbox.ts';
import { withServices } from './services.ts';
import { containerRuntimeProblem } from '../../shared/testing/services/containers.ts';
import { loadCourse, type Exercise } from '../course/catalog.ts';
import { selectExercises } from '../course/select.ts';

export const grade: Command = {
  name: 'grade',
  summary: 'grade learners\' checkouts with the course\'s own tests (json, junit, markdown, exercism; a class summary)',
  usage: 'grade [checkout…] --format <json|junit|markdown|exercism|all, or a comma list> [--out file|folder] [--lesson NN]',
  details:
    'Runs this course\'s copies of the suites against each checkout\'s exercises/ (default: this checkout), so edited\n' +
    'tests change nothing; they are listed in the report. Points per exercise come from lesson.json, all or nothing.\n' +
    '--lesson grades one lesson (or exercise) only.\n' +
    'Several formats, or several checkouts (paths, or one folder whose sub-folders are checkouts), need --out <folder>:\n' +
    'one checkout\'s files go into it ({grade.json,junit.xml,grade.md,results.json}: the formats asked for); with\n' +
    'several, each learner gets <folder>/<learner>/ with those files, and\n' +
    'the class gets <folder>/class.md and <folder>/class.csv. Checkouts are graded one after another, each with its\n' +
    'own databases and Redis prefix.\n' +
    'Any checkout but this one is graded in a sandbox when a container runtime (Docker, podman) answers: each in\n' +
    'its own containers, the course and the checkout read-only, no network but its own PostgreSQL and Redis, limited\n' +
    'memory, CPU and time (--sandbox insists on it). Without a runtime, --unsafe is required: learner code then runs\n' +
    'as you, unsandboxed. See the README\'s grading section for the settings (WORKBOOK_SANDBOX_*).',
  options: {
    format: { type: 'string', default: 'markdown' },
    out: { type: 'string' },
    lesson: { type: 'string' },
    sandbox: { type: 'boolean' },
    unsafe: { type: 'boolean' },
  },
  async run({ positionals, values, root }) {
    const formats = parseFormats(String(values.format));
    // npm runs scripts from the package root; paths are the instructor's, from where npm started.
    const here = process.env.INIT_CWD ?? process.cwd();
    const checkouts = checkoutsOf(positionals.length > 0 ? positionals.map((given) => path.resolve(here, given)) : [root]);
    const out = typeof values.out === 'string' ? path.resolve(here, values.out) : undefined;
    const toFolder = checkouts.length > 1 || formats.length > 1;
    if (toFolder && !out) throw new UsageError('several checkouts or formats are written to a folder: add --out <folder>');
    if (toFolder && out && existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file; give a folder`);
    const others = checkouts.filter((checkout) => path.resolve(checkout) !== path.resolve(root));
    const exercises = typeof values.lesson === 'string' ? selectExercises(loadCourse(root), values.lesson) : loadCourse(root).flatMap((lesson) => lesson.exercises);
    const mode = await chooseMode({ sandbox: !!values.sandbox, unsafe: !!values.unsafe, others: others.length > 0 });

    return withGrader(mode, root, exercises, typeof values.lesson === 'string' ? values.lesson : undefined, async (gradeOne) => {
      if (!toFolder) {
        console.error(`grading ${checkouts[0]} …`);
        const run = await gradeOne(checkouts[0]!).catch((error: Error) => error);
        if (run instanceof Error) return notGraded(run);
        const report = render(formats[0]!, run);
        if (out) {
          writeFileSync(out, report);
          console.error(`written to ${out}`);
        } else process.stdout.write(report);
        return 0;
      }
      mkdirSync(out!, { recursive: true });
      if (checkouts.length === 1) {
        const row = await gradeLearner(gradeOne, checkouts[0]!, formats, out!);
        if (row.error) return notGraded(new Error(row.error));
        console.error(`written to ${out}`);
        return 0;
      }
      const rows: ClassRow[] = [];
      for (const [learner, checkout] of learnerNames(checkouts)) {
        console.error(`grading ${learner} (${checkout}) …`);
        rows.push({ learner, ...(await gradeLearner(gradeOne, checkout, formats, path.join(out!, learner))) });
      }
      writeFileSync(path.join(out!, 'class.md'), classMarkdown(rows, exercises));
      writeFileSync(path.join(out!, 'class.csv'), classCsv(rows, exercises));
      if (checkouts.length > 1) process.stdout.write(classMarkdown(rows, exercises));
      console.error(`written to ${out}`);
      return 0;
    });
  },
};

/** The checkout could not be graded (its files, the sandbox's limit, a run that did not report): why, and 1. */
function notGraded(error: Error): number {
  console.error(`workbook grade: not graded: ${error.message}`);
  return 1;
}

/** here: this checkout, in this process's account; unsafe: another one, likewise; sandbox: in containers. */
type Mode = 'here' | 'unsafe' | 'sandbox';
type GradeOne = (checkout: string) => Promise<GradeRun>;

async function chooseMode({ sandbox, unsafe, others }: { sandbox: boolean; unsafe: boolean; others: boolean }): Promise<Mode> {
  if (sandbox && unsafe) throw new UsageError('--sandbox and --unsafe exclude each other');
  if (unsafe) {
    if (others) console.error('grading unsandboxed (--unsafe): learner code runs as you, with your files and your network');
    return others ? 'unsafe' : 'here';
  }
  if (!sandbox && !others) return 'here';
  const problem = await containerRuntimeProblem();
  if (problem && sandbox) throw new UsageError(`--sandbox needs a container runtime (Docker or podman), and none answers: ${problem}`);
  if (problem) throw new UsageError(`${UNSANDBOXED}\n(No container runtime answers, so grade cannot use a sandbox: ${problem})`);
  console.error(`grading in a sandbox (${readSandboxSettings().image}; see the README's grading section)`);
  return 'sandbox';
}

/** Runs `work` with the function that grades one checkout in the chosen mode. */
async function withGrader(mode: Mode, root: string, exercises: Exercise[], selector: string | undefined, work: (gradeOne: GradeOne) => Promise<number>): Promise<number> {
  // The sandbox brings its own services; the other modes use the ones found here.
  if (mode === 'sandbox') return work((checkout) => gradeInSandbox(root, checkout, selector));
  return withServices((env) => work((checkout) => gradeCheckout(root, checkout, exercises, env)));
}

const UNSANDBOXED =
  'grading another checkout runs its code as you: it can read your files, write anywhere you can, and reach the network.\n' +
  'The graded run gets none of your environment variables, and tampering with the tests is reported, but nothing\n' +
  'isolates the code itself. Grade on a machine or account you can throw away (a CI runner, a container), and add\n' +
  '--unsafe to say you accept this.';

function parseFormats(value: string): Format[] {
  const asked = value === 'all' ? [...FORMATS] : value.split(',').map((format) => format.trim());
  for (const format of asked) {
    if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (or all, or a comma list)`);
  }
  return [...new Set(asked as Format[])];
}

/** Each path as a checkout; a folder without exercises/ whose sub-folders have one is a class. */
function checkoutsOf(paths: string[]): string[] {
  return paths.flatMap((given) => {
    const dir = path.resolve(given);
    if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`);
    if (existsSync(path.join(dir, 'exercises'))) return [dir];
    const inside = statSync(dir).isDirectory()
      ? readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'exercises')))
          .map((entry) => path.join(dir, entry.name))
          .sort()
      : [];
    if (inside.length === 0) throw new UsageError(`${dir} has no exercises/ folder, and no sub-folder that has one`);
    return inside;
  });
}

/** A name per checkout for its folder and its row: the folder's name, numbered when two share it. */
function learnerNames(checkouts: string[]): [string, string][] {
  const seen = new Map<string, number>();
  return checkouts.map((checkout) => {
    const base = path.basename(checkout).replace(/[^\w.-]+/g, '-') || 'checkout';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return [count === 1 ? base : `${base}-${count}`, checkout];
  });
}

/** Grades one checkout and writes each format into `folder`; an error is returned, not thrown. */
async function gradeLearner(gradeOne: GradeOne, checkout: string, formats: Format[], folder: string): Promise<Omit<ClassRow, 'learner'>> {
  try {
    const run = await gradeOne(checkout);
    mkdirSync(folder, { recursive: true });
    for (const format of formats) writeFileSync(path.join(folder, FILE_NAMES[format]), render(format, run));
    return { grade: run.grade };
  } catch (error) {
    // One checkout that cannot be graded does not stop the class.
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
