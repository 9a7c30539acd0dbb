// The grade, written out: the JSON document, vitest's JUnit XML, Markdown for people, and the
// Exercism test runner's results.json (version 3), which GitHub Classroom's graders also read.
import { testSource, type GradeRun } from './grading.ts';

export const FORMATS = ['json', 'junit', 'markdown', 'exercism'] as const;
export type Format = (typeof FORMATS)[number];
/** Each format's file in an --out folder. */
export const FILE_NAMES: Record<Format, string> = { json: 'grade.json', junit: 'junit.xml', markdown: 'grade.md', exercism: 'results.json' };

export function render(format: Format, { grade, junit, suiteSources }: GradeRun): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(grade, null, 2)}\n`;
    case 'junit':
      return withProperties(junit, grade);
    case 'markdown':
      return markdown(grade);
    case 'exercism':
      return `${JSON.stringify(exercism(grade, suiteSources), null, 2)}\n`;
  }
}

function markdown(grade: GradeRun['grade']): string {
  const icon = { passed: '✅', failed: '❌', error: '⚠️', tampered: '⛔' } as const;
  const lines = [
    `# Grade: ${grade.total.points} / ${grade.total.maxPoints}`,
    '',
    `Checkout \`${grade.checkout}\`, graded ${grade.gradedAt}.`,
    '',
    '| exercise | result | tests passed | points |',
    '| --- | --- | --- | --- |',
    ...grade.exercises.map((exercise) => {
      const passed = exercise.tests.filter((test) => test.status === 'passed').length;
      return `| ${exercise.id} | ${icon[exercise.status]} ${exercise.status} | ${passed} / ${exercise.tests.length} | ${exercise.points} / ${exercise.maxPoints} |`;
    }),
  ];
  const tampered = grade.exercises.filter((exercise) => exercise.status === 'tampered');
  if (tampered.length > 0) {
    lines.push('', '## Tampering (0 points for these exercises)', '', ...tampered.map((exercise) => `- ${exercise.id}: ${exercise.tampering!.join('; ')}`));
  }
  if (grade.editedTests.length > 0) {
    lines.push('', '## Test files that differ from the course (not used for grading)', '', ...grade.editedTests.map((edit) => `- \`${edit.file}\`: ${edit.change}`));
  }
  return `${lines.join('\n')}\n`;
}

/** https://exercism.org/docs/building/tooling/test-runners/interface (version 3) */
function exercism(grade: GradeRun['grade'], suiteSources: GradeRun['suiteSources']) {
  const errored = grade.exercises.filter((exercise) => exercise.status === 'error');
  const tests = grade.exercises.flatMap((exercise, index) => {
    const source = suiteSources[exercise.id] ?? '';
    if (exercise.status === 'error') {
      return [{ name: exercise.id, status: 'error', message: exercise.message ?? 'the suite did not run', test_code: source, task_id: index + 1 }];
    }
    if (exercise.status === 'tampered') {
      return [{ name: exercise.id, status: 'error', message: `tampered, 0 points: ${exercise.tampering!.join('; ')}`, test_code: source, task_id: index + 1 }];
    }
    return exercise.tests.map((test) => ({
      name: `${exercise.id} › ${test.name}`,
      status: test.status === 'passed' ? 'pass' : 'fail',
      ...(test.status === 'passed' ? {} : { message: test.message ?? 'failed' }),
      test_code: testSource(source, test.name),
      task_id: index + 1,
    }));
  });
  const failing = tests.some((test) => test.status !== 'pass');
  return {
    version: 3,
    status: errored.length === grade.exercises.length ? 'error' : failing ? 'fail' : 'pass',
    ...(errored.length === grade.exercises.length ? { message: errored[0]?.message ?? 'no suite could run' } : {}),
    tests,
  };
}

const xmlAttribute = (value: string | number) =>
  String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * vitest's JUnit XML with the grade in each suite's <properties>: the exercise, its status and
 * points, and whether the learner's copy of the test file was edited (JUnit readers such as CI
 * dashboards show properties; the XML has no other place for them).
 */
function withProperties(junit: string, grade: GradeRun['grade']): string {
  return junit.replace(/(<testsuite name="([^"]*)"[^>]*>)/g, (whole: string, open: string, file: string) => {
    const exercise = grade.exercises.find((candidate) => file.endsWith(`${candidate.id}.test.ts`));
    if (!exercise) return whole;
    const edited = grade.editedTests.find((edit) => edit.file.endsWith(`${exercise.id}.test.ts`));
    const properties = [
      ['exercise', exercise.id],
      ['status', exercise.status],
      ['points', exercise.points],
      ['maxPoints', exercise.maxPoints],
      ['editedTest', edited ? `${edited.file} ${edited.change}, not used` : 'none'],
      ['tampering', exercise.tampering?.join('; ') ?? 'none'],
    ];
    const lines = properties.map(([name, value]) => `            <property name="${name}" value="${xmlAttribute(value!)}"/>`);
    return `${open}\n        <properties>\n${lines.join('\n')}\n        </properties>`;
  });
}
