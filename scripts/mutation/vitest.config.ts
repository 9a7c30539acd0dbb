// The vitest config Stryker runs (npm run mutate): only the suite of the exercise being mutated
// (WORKBOOK_MUTATE_SUITE), against the solutions. Stryker's runner has no project filter and
// forces worker threads, which refuse execArgv: --expose-gc comes from testRunnerNodeArgs.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { readTargetSettings, workbookTarget } from '../../shared/testing/target-plugin.ts';
import { suiteSettings } from '../../shared/testing/suite-settings.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const suite = process.env.WORKBOOK_MUTATE_SUITE;
if (!suite) throw new Error('WORKBOOK_MUTATE_SUITE is not set: run this through npm run mutate');

export default defineConfig({
  root,
  plugins: [workbookTarget(root, { ...readTargetSettings(root), targetDir: `${root}solutions` })],
  test: {
    name: 'solutions',
    globalSetup: ['./shared/testing/global-setup.ts'],
    include: [suite],
    ...suiteSettings,
  },
});
