#!/usr/bin/env node
// node scripts/exercise-passed.mjs <grade.json> <exercise id>: exit 0 when that exercise passed in
// a report written by `workbook grade --format json`, 1 otherwise (with one line saying why). The
// Classroom workflow's grader steps score by exit code: one exercise, its points.
import { readFileSync } from 'node:fs';

const [file, id] = process.argv.slice(2);
if (!file || !id) {
  console.error('usage: node scripts/exercise-passed.mjs <grade.json> <exercise id>');
  process.exit(2);
}
const exercise = JSON.parse(readFileSync(file, 'utf8')).exercises?.find((candidate) => candidate.id === id);
if (!exercise) {
  console.error(`${id}: not in ${file}`);
  process.exit(1);
}
const passed = exercise.tests.filter((test) => test.status === 'passed').length;
console.log(`${id}: ${exercise.status} (${passed} of ${exercise.tests.length} tests pass)`);
process.exit(exercise.status === 'passed' ? 0 : 1);
