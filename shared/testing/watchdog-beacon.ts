// A setup file for every suite. With WORKBOOK_WATCHDOG_DIR set (the workbook's runs), this worker
// writes which suite file and test it is in, and since when, to <dir>/<pid>.json: while the file
// loads (the learner's module is imported then) and during each test and hook. A blocked event
// loop (`while (true) {}` in learner code) never times out by itself: the parent reads these
// beacons and stops a worker stuck far past any timeout (see scripts/course/watchdog.ts).
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

const dir = process.env.WORKBOOK_WATCHDOG_DIR;
if (dir) {
  const beacon = path.join(dir, `${process.pid}.json`);
  const file = expect.getState().testPath ?? '';
  let project: string | undefined;
  const mark = (test: string) => writeFileSync(beacon, JSON.stringify({ file, project, test, startedAt: Date.now() }));
  mark('(loading the file)');
  beforeAll(() => mark('(setting up)'));
  beforeEach((context) => {
    project = context.task.file.projectName;
    mark(context.task.name);
  });
  afterEach(() => mark('(between tests)'));
  afterAll(() => {
    rmSync(beacon, { force: true });
  });
}
