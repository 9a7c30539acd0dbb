// A setup file for every suite. With WORKBOOK_STOP_AT_FIRST_FAILURE set (verify's rows that
// must be red: untouched starters, known-wrong variants), a file's remaining tests are skipped
// once one has failed: the row's verdict needs one failure, not a 50,000-row walk to the end.
// vitest's --bail cannot do this: it stops every other file of the run as well.
import { beforeEach } from 'vitest';

let failed = false;
if (process.env.WORKBOOK_STOP_AT_FIRST_FAILURE) {
  beforeEach((context) => {
    if (failed) context.skip();
    context.onTestFailed(() => {
      failed = true;
    });
  });
}
