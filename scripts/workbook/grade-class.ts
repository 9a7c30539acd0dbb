// A class's grades side by side: one row per learner, points per lesson, total, edited tests.
import type { Exercise } from '../course/catalog.ts';
import type { Grade } from './grading.ts';

export interface ClassRow {
  learner: string;
  grade?: Grade;
  /** Why the checkout could not be graded at all. */
  error?: string;
}

const lessonsOf = (exercises: Exercise[]) => [...new Set(exercises.map((exercise) => exercise.lesson.dir))];

function lessonPoints(grade: Grade, lesson: string): { points: number; maxPoints: number } {
  const mine = grade.exercises.filter((exercise) => exercise.lesson === lesson);
  return { points: mine.reduce((sum, e) => sum + e.points, 0), maxPoints: mine.reduce((sum, e) => sum + e.maxPoints, 0) };
}

const maxOf = (exercises: Exercise[]) => exercises.reduce((sum, exercise) => sum + exercise.points, 0);

export function classMarkdown(rows: ClassRow[], exercises: Exercise[]): string {
  const lessons = lessonsOf(exercises);
  const lines = [
    `# Class grades: ${rows.length} checkout${rows.length === 1 ? '' : 's'}`,
    '',
    `| learner | ${lessons.join(' | ')} | total | edited tests | tampered |`,
    `| --- | ${lessons.map(() => '---').join(' | ')} | --- | --- | --- |`,
    ...rows.map(({ learner, grade, error }) => {
      if (!grade) return `| ${learner} | ${lessons.map(() => '–').join(' | ')} | not graded: ${(error ?? 'unknown error').split('\n')[0]} | | |`;
      const perLesson = lessons.map((lesson) => {
        const { points, maxPoints } = lessonPoints(grade, lesson);
        return `${points} / ${maxPoints}`;
      });
      const edited = grade.editedTests.map((edit) => `\`${edit.file}\` (${edit.change})`).join(', ');
      const tampered = grade.exercises.filter((exercise) => exercise.status === 'tampered').map((exercise) => `⛔ ${exercise.id}`).join(', ');
      return `| ${learner} | ${perLesson.join(' | ')} | **${grade.total.points} / ${grade.total.maxPoints}** | ${edited || 'none'} | ${tampered || 'none'} |`;
    }),
    '',
    'Edited tests are not used: every checkout is graded with the course\'s own suites.',
  ];
  return `${lines.join('\n')}\n`;
}

const csvField = (value: string | number) => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));

export function classCsv(rows: ClassRow[], exercises: Exercise[]): string {
  const lessons = lessonsOf(exercises);
  const header = ['learner', ...lessons, 'total', 'max', 'edited_tests', 'tampered', 'error'];
  const lines = rows.map(({ learner, grade, error }) =>
    grade
      ? [
          learner,
          ...lessons.map((lesson) => lessonPoints(grade, lesson).points),
          grade.total.points,
          grade.total.maxPoints,
          grade.editedTests.map((edit) => edit.file).join(' '),
          grade.exercises.filter((exercise) => exercise.status === 'tampered').map((exercise) => exercise.id).join(' '),
          '',
        ]
      : [learner, ...lessons.map(() => ''), '', maxOf(exercises), '', '', (error ?? 'not graded').split('\n')[0]!],
  );
  return `${[header, ...lines].map((line) => line.map(csvField).join(',')).join('\n')}\n`;
}
