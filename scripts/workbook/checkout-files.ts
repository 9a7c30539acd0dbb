// What grading takes from another person's checkout: its exercises/ folder, as real files. A
// symbolic link there would let a checkout hand in someone else's files (a classmate's folder,
// the course's solutions) or, once mounted into a sandbox, a folder of the instructor's.
import { cpSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Why the checkout's exercises/ cannot be graded, or null: it must be a folder of real files. */
export function exercisesProblem(checkout: string): string | null {
  const exercises = path.join(checkout, 'exercises');
  const links = symlinksUnder(exercises);
  if (links.length === 0) return null;
  return `its exercises/ holds symbolic links (${links.slice(0, 3).map((link) => path.relative(checkout, link) || 'exercises').join(', ')}): only real files are graded`;
}

/** Symbolic links at or under `dir` (the folder itself included). */
function symlinksUnder(dir: string): string[] {
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) return [dir];
  if (!stat.isDirectory()) return [];
  return readdirSync(dir).flatMap((entry) => symlinksUnder(path.join(dir, entry)));
}

/** A private copy of the checkout's exercises/ (checked: real files only), and what removes it. */
export function copyExercises(checkout: string): { dir: string; remove: () => void } {
  const problem = exercisesProblem(checkout);
  if (problem) throw new Error(problem);
  const dir = mkdtempSync(path.join(tmpdir(), 'workbook-sandbox-exercises-'));
  cpSync(path.join(checkout, 'exercises'), dir, { recursive: true, verbatimSymlinks: true });
  // Checked again on the copy: the checkout could have changed between the two.
  if (symlinksUnder(dir).length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('its exercises/ changed while it was copied, and now holds symbolic links');
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
