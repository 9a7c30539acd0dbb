import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { readTargetSettings, workbookTarget } from './shared/testing/target-plugin.ts';
import { workerFlags, suiteSettings as shared, suiteWorkers } from './shared/testing/suite-settings.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

const suiteSettings = { ...shared, ...workerFlags };

export default defineConfig({
  test: {
    // Once per run, for every project: services and the template database.
    globalSetup: ['./shared/testing/global-setup.ts'],
    maxWorkers: suiteWorkers(),
    projects: [
      // The learner's code (or WORKBOOK_TARGET's), and the same suites against the solutions.
      { plugins: [workbookTarget(root)], test: { name: 'exercises', include: ['exercises/**/*.test.ts'], ...suiteSettings } },
      {
        plugins: [workbookTarget(root, { ...readTargetSettings(root), targetDir: `${root}solutions` })],
        test: { name: 'solutions', include: ['exercises/**/*.test.ts'], ...suiteSettings },
      },
      { test: { name: 'harness', include: ['shared/**/*.test.ts', 'scripts/**/*.test.ts'], ...suiteSettings } },
    ],
  },
});
