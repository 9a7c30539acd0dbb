// A setup file for every suite. With WORKBOOK_WATCHDOG_DIR set (the workbook's runs), this worker
// writes which suite file and test it is in, since when, and when its event loop last turned, to
// <dir>/<pid>.json: while the file loads (the learner's module is imported then) and during each
// test and hook. A blocked event loop (`while (true) {}` in learner code) never times out by
// itself: the parent reads these beacons and stops a worker whose loop stopped turning (see
// scripts/course/watchdog.ts). A busy machine slows the ticks, it does not stop them.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

const dir = process.env.WORKBOOK_WATCHDOG_DIR;
if (dir) {
  const beacon = path.join(dir, `${process.pid}.json`);
  const file = expect.getState().testPath ?? '';
  let project: string | undefined;
  let place = { test: '(loading the file)', startedAt: Date.now() };
  const write = () => writeFileSync(beacon, JSON.stringify({ file, project, ...place, aliveAt: Date.now() }));
  const mark = (test: string) => {
    place = { test, startedAt: Date.now() };
    write();
  };
  write();
  const heartbeat = setInterval(write, 2_000);
  heartbeat.unref();
  // Also when an after-hook registered later throws first (the canary's does when it finds
  // tampering) and this one never runs: the beacon must not outlive the worker.
  process.once('exit', () => rmSync(beacon, { force: true }));
  beforeAll(() => mark('(setting up)'));
  beforeEach((context) => {
    project = context.task.file.projectName;
    mark(context.task.name);
  });
  afterEach(() => mark('(between tests)'));
  afterAll(() => {
    clearInterval(heartbeat);
    rmSync(beacon, { force: true });
  });
}
