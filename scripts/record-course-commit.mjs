#!/usr/bin/env node
// Runs on `npm install`: remembers which commit of the course this checkout started from, in
// .workbook/course.json (ignored by git), so that `workbook reset` restores the course's starter
// even after the learner has committed and pushed their own version (origin/HEAD is then theirs).
// Written once: a later install keeps the first record. WORKBOOK_COURSE_REF overrides it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const record = path.join(root, '.workbook', 'course.json');
if (!existsSync(record)) {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (head.status === 0) {
    mkdirSync(path.dirname(record), { recursive: true });
    writeFileSync(record, `${JSON.stringify({ commit: head.stdout.trim(), recordedAt: new Date().toISOString() }, null, 2)}\n`);
  }
}
