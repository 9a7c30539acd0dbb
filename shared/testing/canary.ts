// A setup file for every suite, active in grading runs only (WORKBOOK_CANARY holds a token the
// grader made for this run): assertions that must fail, run where the learner's code runs. A
// learner module that neutralises assertions (a patched chai prototype, a replaced expect) makes
// them pass, and the grader reports that file as tampered (scripts/workbook/tampering.ts):
// - a first test, expected to fail, that runs after every module has loaded;
// - a test that fails for real: reported as passed, the results were rewritten on their way out
//   of the worker (its channel to vitest's main process is in the learner's process);
// - the same check once more after the file's last test, for patches made later.
import { afterAll, expect, test } from 'vitest';
import { TAMPERED_MARKER, canaryTitle, failingCanaryTitle } from './grading-markers.ts';

const token = process.env.WORKBOOK_CANARY;
// Out of process.env before the learner's module loads (it can still be found by a determined
// reader of /proc/self/environ: these layers raise the bar; a sandbox is what closes it).
delete process.env.WORKBOOK_CANARY;

if (token) {
  const falseAssertionFails = () => {
    try {
      expect(token, 'canary').toBe(`${token}!`);
    } catch {
      return true;
    }
    return false;
  };
  test.fails(canaryTitle(token), () => {
    expect(token).toBe(`${token}?`);
  });
  test(failingCanaryTitle(token), () => {
    throw new Error(`${token}: this test must fail`);
  });
  afterAll(() => {
    if (!falseAssertionFails()) throw new Error(`${TAMPERED_MARKER} ${token}: a false assertion passed after the tests`);
  });
}
