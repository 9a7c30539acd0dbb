// A setup file for every suite. With WORKBOOK_ONLY_TESTS set (verify's rows for a known-wrong
// variant whose catching test is on record), a file named there runs only the tests named for it;
// the others are skipped. Its hooks still run, so a named test runs as it would in the whole file.
// The value is JSON: { "<suite file, relative to the course root>": ["<describe> > <test>", …] }.
import path from 'node:path';
import { beforeEach } from 'vitest';

const only = process.env.WORKBOOK_ONLY_TESTS;
if (only) {
  const named = JSON.parse(only) as Record<string, string[]>;
  beforeEach((context) => {
    const file = context.task.file.filepath;
    const entry = Object.entries(named).find(([suite]) => file.endsWith(path.sep + suite) || file === suite);
    if (entry && !entry[1].includes(context.task.fullTestName ?? context.task.name)) context.skip();
  });
}
