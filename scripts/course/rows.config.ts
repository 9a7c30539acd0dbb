// The vitest config verify runs: every row (a target folder, substituted files, suite files) and
// the harness's own tests as projects of one vitest process, so start-up, transforms and
// globalSetup are paid once, and no lesson waits for the last files of the one before it. Each suite file still runs in its own worker, with its own
// database and Redis prefix, exactly as in a run of its own. Rows come from the file WORKBOOK_ROWS_FILE names.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workerFlags, suiteSettings, suiteWorkers } from '../../shared/testing/suite-settings.ts';
import { workbookTarget } from '../../shared/testing/target-plugin.ts';
import type { RowSpec } from './rows.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rows = (process.env.WORKBOOK_ROWS_FILE ? JSON.parse(readFileSync(process.env.WORKBOOK_ROWS_FILE, 'utf8')) : []) as RowSpec[];

export default defineConfig({
  root,
  test: {
    globalSetup: ['./shared/testing/global-setup.ts'],
    maxWorkers: suiteWorkers(),
    experimental: { fsModuleCache: true },
    projects: rows.map((row) => ({
      root,
      // The harness's own tests (target null) import no exercise: no target to redirect to.
      plugins:
        row.target === null
          ? []
          : [
              workbookTarget(root, {
                targetDir: path.join(root, row.target),
                substitutes: Object.fromEntries(Object.entries(row.substitutes).map(([from, to]) => [from, path.join(root, to)])),
              }),
            ],
      test: {
        name: row.name,
        include: row.files,
        ...suiteSettings,
        ...workerFlags,
        env: {
          ...suiteSettings.env,
          ...(row.stopAtFirstFailure ? { WORKBOOK_STOP_AT_FIRST_FAILURE: '1' } : {}),
          ...(row.onlyTests ? { WORKBOOK_ONLY_TESTS: JSON.stringify(row.onlyTests) } : {}),
        },
      },
    })),
  },
});
