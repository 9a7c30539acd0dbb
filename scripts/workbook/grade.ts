// grade [checkout] --format json|junit|markdown|exercism [--out file]: for instructors.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, type Command } from './command.ts';
import { FORMATS, render, type Format } from './grade-formats.ts';
import { gradeCheckout } from './grading.ts';
import { withServices } from './services.ts';
import { loadCourse } from '../course/catalog.ts';
import { selectExercises } from '../course/select.ts';

export const grade: Command = {
  name: 'grade',
  summary: 'grade a learner\'s checkout with the course\'s own tests (json, junit, markdown, exercism)',
  usage: 'grade [checkout] --format <json|junit|markdown|exercism> [--out file] [--lesson NN]',
  details:
    'Runs this course\'s copies of the suites against the checkout\'s exercises/ (default: this checkout), so edited\n' +
    'tests change nothing; they are listed in the report. Points per exercise come from lesson.json, all or nothing.\n' +
    '--lesson grades one lesson (or exercise) only.',
  options: { format: { type: 'string', default: 'markdown' }, out: { type: 'string' }, lesson: { type: 'string' } },
  async run({ positionals, values, root }) {
    if (positionals.length > 1) throw new UsageError('expects at most one checkout path');
    const format = String(values.format) as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const checkout = path.resolve(positionals[0] ?? root);
    if (!existsSync(checkout)) throw new UsageError(`${checkout} does not exist`);
    if (!existsSync(path.join(checkout, 'exercises'))) throw new UsageError(`${checkout} has no exercises/ folder`);
    console.error(`grading ${checkout} …`);
    const exercises = typeof values.lesson === 'string' ? selectExercises(loadCourse(root), values.lesson) : undefined;
    return withServices(async (env) => {
      const report = render(format, await gradeCheckout(root, checkout, exercises, env));
      if (typeof values.out === 'string') {
        writeFileSync(values.out, report);
        console.error(`written to ${values.out}`);
      } else {
        process.stdout.write(report);
      }
      return 0;
    });
  },
};
