// npm run mutate -- <lesson|exercise> [--concurrency N] [--coverage perTest|off]
// Mutation testing: Stryker mutates one exercise's solution file at a time and runs that
// exercise's suite against each mutant; a mutant the suite does not kill is a wrong program
// the suite lets through. Writes solutions/NN-topic/mutation.{json,md} (see mutation/summary.ts).
// Not part of verify: it takes minutes per exercise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Stryker } from '@stryker-mutator/core';
import type { MutantResult } from '@stryker-mutator/api/core';
import { COURSE_ROOT, loadCourse, runsInOwnProcesses } from './course/catalog.ts';
import { selectExercises } from './course/select.ts';
import { equivalenceOf, readEquivalents, readScores, recordScore, scoreOf, type MutantRecord } from './mutation/summary.ts';

const TARGET = 85;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string', default: '2' },
    coverage: { type: 'string', default: 'perTest' },
    // Re-applies equivalent-mutants.json to the recorded survivors, without running Stryker.
    rescore: { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) {
  console.error('usage: npm run mutate -- <lesson|exercise> [--concurrency N] [--coverage perTest|off] [--rescore]');
  process.exit(2);
}
const coverageAnalysis = values.coverage === 'off' ? 'off' : 'perTest';
const exercises = selectExercises(loadCourse(), positionals[0]!);
const results: string[] = [];

for (const exercise of exercises) {
  if (path.extname(exercise.file) !== '.ts') {
    results.push(`${exercise.id}: not TypeScript, judged by hand-written variants only`);
    continue;
  }
  if (values.rescore) {
    const recorded = readScores(exercise.lesson).find((entry) => entry.exercise === exercise.name);
    if (!recorded) {
      results.push(`${exercise.id}: no recorded score to rescore`);
      continue;
    }
    const equivalents = readEquivalents(exercise.lesson);
    const survivors: MutantRecord[] = recorded.survivors.map(({ equivalent: _old, ...mutant }) => {
      const reason = equivalenceOf(exercise, mutant, equivalents);
      return reason ? { ...mutant, equivalent: reason } : mutant;
    });
    const score = scoreOf(recorded.counts, survivors.filter((mutant) => mutant.equivalent).length);
    recordScore(exercise.lesson, { ...recorded, survivors, score });
    results.push(`${exercise.id}: ${score.toFixed(1)} % (rescored)${score < TARGET ? ` BELOW ${TARGET} %` : ''}`);
    continue;
  }
  // A suite that runs the solution in processes of its own (an import of `?workbook-file`) gets no
  // coverage back from them: every mutant would look uncovered. Those run every test per mutant.
  const inChildren = runsInOwnProcesses(exercise);
  console.log(`\n== mutating ${exercise.solution} against ${exercise.suite}${inChildren ? ' (in its processes: coverage analysis off)' : ''}`);
  process.env.WORKBOOK_MUTATE_SUITE = exercise.suite;
  const mutants = await new Stryker({
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: 'scripts/mutation/vitest.config.ts', related: false },
    mutate: [exercise.solution],
    coverageAnalysis: inChildren ? 'off' : coverageAnalysis,
    testRunnerNodeArgs: ['--expose-gc'],
    concurrency: Number(values.concurrency),
    reporters: ['clear-text', 'progress'],
    clearTextReporter: { allowColor: process.stdout.isTTY, logTests: false, reportScoreTable: false },
    tempDirName: '.stryker-tmp',
    timeoutMS: 30_000,
    // Child-process suites run every test per mutant (no coverage): stop at the first that kills it.
    disableBail: !inChildren,
    // Only the mutated file gets Stryker's @ts-nocheck: the template's fingerprint reads the seed's bytes.
    disableTypeChecks: exercise.solution,
    thresholds: { high: TARGET, low: TARGET, break: null },
  }).runMutationTest();

  const source = readFileSync(path.join(COURSE_ROOT, exercise.solution), 'utf8');
  const equivalents = readEquivalents(exercise.lesson);
  const counts: Record<string, number> = {};
  const survivors: MutantRecord[] = [];
  for (const mutant of mutants) {
    counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
    if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
    const record: MutantRecord = {
      line: mutant.location.start.line,
      mutator: mutant.mutatorName,
      original: textAt(source, mutant),
      replacement: mutant.replacement ?? '',
      status: mutant.status,
      ...(mutant.status === 'Survived' && !mutant.testsCompleted ? { testsCompleted: 0 } : {}),
    };
    const reason = equivalenceOf(exercise, record, equivalents);
    survivors.push(reason ? { ...record, equivalent: reason } : record);
  }
  const score = scoreOf(counts, survivors.filter((mutant) => mutant.equivalent).length);
  recordScore(exercise.lesson, { exercise: exercise.name, file: exercise.solution, measuredAt: new Date().toISOString(), counts, score, survivors });
  const suspicious = survivors.filter((mutant) => mutant.testsCompleted === 0).length;
  results.push(
    `${exercise.id}: ${score.toFixed(1)} % (${mutants.length} mutants)${score < TARGET ? ` BELOW ${TARGET} %` : ''}` +
      (suspicious ? `; ${suspicious} survivor(s) ran no test: the run itself may be broken` : ''),
  );
}

console.log(`\n${results.join('\n')}`);
process.exitCode = results.some((line) => line.includes('BELOW') || line.includes('ran no test')) ? 1 : 0;

/** The source text a mutant replaced (Stryker's locations: 1-based lines and columns, end exclusive). */
function textAt(source: string, mutant: MutantResult): string {
  const lines = source.split('\n');
  const { start, end } = mutant.location;
  if (start.line === end.line) return lines[start.line - 1]?.slice(start.column - 1, end.column - 1) ?? '';
  return [lines[start.line - 1]?.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1]?.slice(0, end.column - 1)].join('\n');
}
