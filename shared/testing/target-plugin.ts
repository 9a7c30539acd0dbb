// One suite, several targets. Suites import the code under test by relative path from their
// exercise folder; this Vite plugin redirects those imports:
//   WORKBOOK_TARGET=exercises (default) → the learner's files, as written
//   WORKBOOK_TARGET=solutions           → solutions/NN-topic/<same name>
//   WORKBOOK_TARGET=/abs/path           → another folder laid out like exercises/ (grading)
//   WORKBOOK_SUBSTITUTE='{"01-timing/x.ts":"/abs/file.ts"}' → one file swapped (known-wrong variants)
// A suite that runs the code under test in a process of its own (a cluster, a server taking
// signals) imports `./x.ts?workbook-file`: the path of the file this target redirects to.
import path from 'node:path';
import type { Plugin } from 'vite';
import { SOLUTION_IMPORT_MARKER } from './grading-markers.ts';

export interface TargetSettings {
  /** Folder whose NN-topic/ files stand in for exercises/NN-topic/. */
  targetDir: string;
  /** Exercise-relative path → absolute file, applied first. */
  substitutes: Record<string, string>;
}

export function readTargetSettings(root: string, env: NodeJS.ProcessEnv = process.env): TargetSettings {
  const target = env.WORKBOOK_TARGET || 'exercises';
  const targetDir = target === 'exercises' || target === 'solutions' ? path.join(root, target) : path.resolve(target);
  const substitutes: Record<string, string> = env.WORKBOOK_SUBSTITUTE ? JSON.parse(env.WORKBOOK_SUBSTITUTE) : {};
  return { targetDir, substitutes };
}

/** `import file from './x.ts?workbook-file'`: the absolute path of x.ts in the target. */
export const FILE_QUERY = 'workbook-file';

export function isSuiteFile(file: string): boolean {
  return /\.test\.ts$/.test(file);
}

function inside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export function workbookTarget(root: string, settings: TargetSettings = readTargetSettings(root)): Plugin {
  const exercisesDir = path.join(root, 'exercises');
  // Grading another checkout: its exercise files run against this course's shared/ code and
  // node_modules, so a checkout without an install (or with an edited harness) grades the same.
  const checkoutRoot = path.dirname(settings.targetDir);
  const foreign = path.resolve(checkoutRoot) !== path.resolve(root);
  // Transformed modules carry their resolved imports: with vitest's file-system module cache, a
  // module whose imports this plugin redirects is cached per target (a suite file, an exercise
  // file importing its sibling); the harness and dependencies are shared by every target.
  const targetKey = JSON.stringify(settings);
  const redirected = [exercisesDir, settings.targetDir, ...(foreign ? [checkoutRoot] : [])];
  const redirectable = (id: string) => redirected.some((dir) => inside(id, dir)) || Object.values(settings.substitutes).includes(id);
  const plugin: Plugin = {
    name: 'workbook-target',
    enforce: 'pre',
    load(id) {
      const [file = '', query] = id.split('?', 2);
      return query === FILE_QUERY ? `export default ${JSON.stringify(file)};` : null;
    },
    configureVitest({ experimental_defineCacheKeyGenerator }) {
      // Generators are shared by all projects of a run: each answers for its own project only.
      experimental_defineCacheKeyGenerator(({ environment, id }) =>
        environment.config.plugins.includes(plugin) && redirectable(id.split('?')[0]!) ? targetKey : '',
      );
    },
    async resolveId(source, importer, options) {
      if (!importer) return null;
      if (foreign && inside(importer, settings.targetDir)) {
        // Graded code may not import a solution (the course's, or one in the checkout): that is
        // the answer copied by reference. The run reports it (scripts/workbook/tampering.ts).
        const asked = source.startsWith('.') || path.isAbsolute(source) ? path.resolve(path.dirname(importer), source) : undefined;
        if (asked && [root, checkoutRoot].some((top) => inside(asked, path.join(top, 'solutions')))) {
          throw new Error(`${SOLUTION_IMPORT_MARKER}: ${path.relative(checkoutRoot, importer)} imports ${source}, a solution of the course`);
        }
        if (!source.startsWith('.') && !path.isAbsolute(source)) {
          return this.resolve(source, path.join(root, 'package.json'), { ...options, skipSelf: true });
        }
        const wanted = path.resolve(path.dirname(importer), source);
        if (inside(wanted, checkoutRoot) && !inside(wanted, settings.targetDir)) {
          return this.resolve(path.join(root, path.relative(checkoutRoot, wanted)), importer, { ...options, skipSelf: true });
        }
      }
      if (!source.startsWith('.')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external) return null;
      // Keep a query such as "?raw" (a suite importing a learner's .sql file as text).
      const [file = '', query] = resolved.id.split('?', 2);
      const suffix = query === undefined ? '' : `?${query}`;
      const relative = path.relative(exercisesDir, file);
      if (relative.startsWith('..') || path.isAbsolute(relative) || isSuiteFile(relative)) return null;
      const substitute = settings.substitutes[relative.split(path.sep).join('/')];
      if (substitute) return substitute + suffix;
      if (settings.targetDir === exercisesDir) return null;
      return path.join(settings.targetDir, relative) + suffix;
    },
  };
  return plugin;
}
