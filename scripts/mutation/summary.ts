// The committed record of a lesson's mutation scores: solutions/NN-topic/mutation.json (data)
// and mutation.md (the same, to read). Survivors that cannot be killed because they change
// nothing a user could observe are listed by hand in solutions/NN-topic/equivalent-mutants.json:
//   [{ "exercise": "query", "mutator": "ConditionalExpression", "original": "ms > threshold",
//      "replacement": "false", "reason": "…", "line"?: 12 }]
// `original` is the mutated source text (whitespace folded); `line` only when it is ambiguous.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COURSE_ROOT, type Exercise, type Lesson } from '../course/catalog.ts';

export interface MutantRecord {
  line: number;
  mutator: string;
  original: string;
  replacement: string;
  status: string;
  /** Why it counts as equivalent (only for survivors listed as such). */
  equivalent?: string;
  /** Survivors for which no test ran: a sign the run itself went wrong. */
  testsCompleted?: number;
}

export interface ExerciseScore {
  exercise: string;
  file: string;
  measuredAt: string;
  counts: Record<string, number>;
  /** Killed + timed out over everything a test could have caught, equivalents excluded. */
  score: number;
  survivors: MutantRecord[];
}

interface Equivalent {
  exercise: string;
  mutator: string;
  original: string;
  replacement: string;
  reason: string;
  line?: number;
}

const fold = (text: string) => text.replace(/\s+/g, ' ').trim();
const summaryFile = (lesson: Lesson, ext: string) => path.join(COURSE_ROOT, 'solutions', lesson.dir, `mutation.${ext}`);

export function readEquivalents(lesson: Lesson): Equivalent[] {
  const file = path.join(COURSE_ROOT, 'solutions', lesson.dir, 'equivalent-mutants.json');
  if (!existsSync(file)) return [];
  const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(list)) throw new Error(`${file}: expected an array of equivalent mutants`);
  for (const [index, entry] of list.entries()) {
    for (const key of ['exercise', 'mutator', 'original', 'replacement', 'reason'] as const) {
      if (typeof (entry as Record<string, unknown>)[key] !== 'string') throw new Error(`${file}[${index}]: "${key}" must be a string`);
    }
  }
  return list as Equivalent[];
}

export function equivalenceOf(exercise: Exercise, mutant: MutantRecord, equivalents: Equivalent[]): string | undefined {
  return equivalents.find(
    (entry) =>
      entry.exercise === exercise.name &&
      entry.mutator === mutant.mutator &&
      fold(entry.original) === fold(mutant.original) &&
      fold(entry.replacement) === fold(mutant.replacement) &&
      (entry.line === undefined || entry.line === mutant.line),
  )?.reason;
}

export function scoreOf(counts: Record<string, number>, equivalentCount: number): number {
  const caught = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const missed = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0) - equivalentCount;
  return caught + missed === 0 ? 100 : (100 * caught) / (caught + missed);
}

/** Replaces this exercise's entry in the lesson's summary and rewrites both files. */
export function recordScore(lesson: Lesson, score: ExerciseScore): void {
  const jsonFile = summaryFile(lesson, 'json');
  const previous = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as ExerciseScore[]) : [];
  const order = lesson.exercises.map((exercise) => exercise.name);
  const scores = [...previous.filter((entry) => entry.exercise !== score.exercise), score].sort(
    (a, b) => order.indexOf(a.exercise) - order.indexOf(b.exercise),
  );
  writeFileSync(jsonFile, `${JSON.stringify(scores, null, 2)}\n`);
  writeFileSync(summaryFile(lesson, 'md'), renderSummary(lesson, scores));
}

function renderSummary(lesson: Lesson, scores: ExerciseScore[]): string {
  const lines = [
    `# Mutation scores: ${lesson.dir}`,
    '',
    `Written by \`npm run mutate -- ${lesson.number}\` (Stryker mutates each solution file and runs its suite).`,
    'Score = killed and timed-out mutants over all mutants a test could catch; equivalent mutants',
    '(listed with their reason in `equivalent-mutants.json`) are left out. Target: 85 % or more.',
    '',
    '| exercise | score | killed | timeout | survived | no coverage | equivalent | measured |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const entry of scores) {
    const c = (key: string) => entry.counts[key] ?? 0;
    // Equivalents come out of the column their status put them in (a mutant no test ran can be one too).
    const equivalentWith = (status: string) => entry.survivors.filter((mutant) => mutant.equivalent && mutant.status === status).length;
    const equivalent = entry.survivors.filter((mutant) => mutant.equivalent).length;
    lines.push(
      `| ${entry.exercise} | ${entry.score.toFixed(1)} % | ${c('Killed')} | ${c('Timeout')} | ${c('Survived') - equivalentWith('Survived')} | ${c('NoCoverage') - equivalentWith('NoCoverage')} | ${equivalent} | ${entry.measuredAt.slice(0, 10)} |`,
    );
  }
  for (const entry of scores) {
    if (entry.survivors.length === 0) continue;
    lines.push('', `## ${entry.exercise}: mutants no test kills`, '');
    for (const mutant of entry.survivors) {
      const what = `line ${mutant.line}, ${mutant.mutator}: \`${fold(mutant.original)}\` → \`${fold(mutant.replacement)}\``;
      lines.push(`- ${what}${mutant.status === 'Survived' ? '' : ` (${mutant.status})`} — ${mutant.equivalent ? `equivalent: ${mutant.equivalent}` : '**not killed yet**'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The lesson's recorded scores (mutation.json), or none. */
export function readScores(lesson: Lesson): ExerciseScore[] {
  const jsonFile = summaryFile(lesson, 'json');
  return existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as ExerciseScore[]) : [];
}
