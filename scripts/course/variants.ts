// Known-wrong and alternative variants as files the suites can import. A variant kept as a
// patch is applied to its solution and written beside it (solutions/NN/.<name>.<variant>.ts,
// ignored by git), so its relative imports resolve exactly as the solution's do.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COURSE_ROOT, type Exercise, type Variant } from './catalog.ts';
import { applyPatch } from './patch.ts';

/** The variant's file, relative to the course root: itself, or the solution with its patch applied. */
export function materialize(exercise: Exercise, variant: Variant, root = COURSE_ROOT): string {
  if (!variant.file.endsWith('.patch')) return variant.file;
  const solution = readFileSync(path.join(root, exercise.solution), 'utf8');
  const patched = applyPatch(solution, readFileSync(path.join(root, variant.file), 'utf8'), variant.file);
  const file = path.join(path.dirname(exercise.solution), `.${exercise.name}.${variant.name}${path.extname(exercise.file)}`);
  writeFileSync(path.join(root, file), patched);
  return file;
}

/** Removes what materialize() wrote. */
export function removeMaterialized(files: string[], root = COURSE_ROOT): void {
  for (const file of files) if (path.basename(file).startsWith('.')) rmSync(path.join(root, file), { force: true });
}
