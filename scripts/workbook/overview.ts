// The front page: every lesson and exercise in order with its state, and what to do next.
import { loadCourse, type Exercise } from '../course/catalog.ts';
import { loadState, type ExerciseRecord } from './state.ts';
import type { Command } from './command.ts';

function mark(record: ExerciseRecord | undefined): string {
  if (!record) return '·  not started';
  if (record.status === 'passed') return `✓  passed (${record.tests} tests)`;
  return `✗  failing (${record.failedTests} of ${record.tests} tests)`;
}

export const overview: Command = {
  name: 'overview',
  summary: 'every lesson and exercise with its state, and what to do next (the default)',
  usage: 'overview',
  details: 'State comes from your last real runs (npm test, or workbook check), kept in .workbook/.',
  run({ root }) {
    const course = loadCourse(root);
    const { exercises: records } = loadState(root);
    const all = course.flatMap((lesson) => lesson.exercises);
    const done = all.filter((exercise) => records[exercise.id]?.status === 'passed').length;
    console.log(`Backend Performance Workbook — ${done} of ${all.length} exercises passed\n`);
    for (const lesson of course) {
      console.log(`${lesson.number} · ${lesson.title}   (${lesson.reading})`);
      for (const exercise of lesson.exercises) {
        console.log(`     ${mark(records[exercise.id]).padEnd(30)} ${exercise.name.padEnd(18)} ${exercise.title}`);
      }
      console.log('');
    }
    const next: Exercise | undefined = all.find((exercise) => records[exercise.id]?.status !== 'passed');
    if (!next) {
      console.log('Every exercise passes. Run `npm run bench -- <lesson>` to reproduce the lessons\' numbers on your machine.');
      return;
    }
    const started = records[next.id];
    console.log(`Next: ${next.id} — ${next.title}`);
    if (!started) console.log(`  1. read ${next.lesson.reading}`);
    console.log(`  ${started ? '1' : '2'}. edit ${next.starter}`);
    console.log(`  ${started ? '2' : '3'}. run  npm start -- check ${next.id}   (or: npm test -- ${next.lesson.number}; stuck? npm start -- hint ${next.name})`);
  },
};
