// What grading looks for besides the tests' results: signs that a learner's code reached into
// the judge. Two layers, each reported per exercise as "tampered" with 0 points:
// - a static scan of the learner's exercise file for the test framework and load hooks;
// - the canary (shared/testing/canary.ts): false assertions, run beside the learner's code,
//   that must fail; one that passed means the assertions were neutralised.
import { SOLUTION_IMPORT_MARKER, TAMPERED_MARKER, canaryTitle, failingCanaryTitle } from '../../shared/testing/grading-markers.ts';
import type { VitestReport } from '../course/vitest-process.ts';

type TestResult = VitestReport['testResults'][number]['assertionResults'][number];

/** The one rule an exercise run in a process of its own may break (see scanSource). */
const EXITS: [RegExp, string] = [/\bprocess\s*\.\s*exit\s*=|\bprocess\s*\.\s*exit\s*\(/, 'exits the process (a test run that ends early reports nothing wrong)'];

/** Imports and patterns no exercise needs and a judge-patching one does. */
const SUSPICIOUS: [RegExp, string][] = [
  [/\bfrom\s+['"](?:vitest|chai|@vitest\/[^'"]*|vite-node[^'"]*|tinyspy)['"]|\b(?:require|import)\(\s*['"](?:vitest|chai|@vitest\/[^'"]*)['"]\s*\)/, 'imports the test framework (vitest, chai or @vitest/*)'],
  [/\bfrom\s+['"](?:node:)?module['"]|\b(?:require|import)\(\s*['"](?:node:)?module['"]\s*\)/, 'imports node:module (module-load hooks can rewrite the tests)'],
  [/\bAssertion\s*\.\s*prototype\b|__vitest_|\bexpect\s*\.\s*extend\s*\(/, 'reaches into the assertion library'],
  EXITS,
  [/\bglobalThis\s*\.\s*(?:expect|test|it|describe)\s*=/, 'replaces the test globals'],
  [/\b_send\b|\bonTaskUpdate\b|\bonCollected\b|\bprocess\s*\.\s*channel\b/, "reaches into the test worker's channel to vitest (where results travel)"],
];

/**
 * The code of a source file without its comments (strings kept: an import's specifier is one), so
 * that "never call process.exit() here" in a comment is not a finding.
 */
export function withoutComments(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i]!;
    if (char === '"' || char === "'" || char === '`') {
      const end = closingQuote(source, i);
      out += source.slice(i, end + 1);
      i = end;
    } else if (source.startsWith('//', i)) {
      i = source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i) - 1;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 1;
      out += ' ';
    } else out += char;
  }
  return out;
}

function closingQuote(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i += 1) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === source[start]) return i;
  }
  return source.length - 1;
}

/**
 * Findings in a learner's exercise file, one line each. Code the suite runs in a process of its
 * own (a cluster's primary, a server's shutdown) is meant to exit: only there is process.exit fine.
 */
export function scanSource(source: string, options: { ownProcess?: boolean } = {}): string[] {
  const code = withoutComments(source);
  return SUSPICIOUS.filter((rule) => !(options.ownProcess && rule === EXITS))
    .filter(([pattern]) => pattern.test(code))
    .map(([, finding]) => finding);
}

/**
 * The canary's verdict on one suite file's results: findings (empty when the canary test failed
 * as it must and the after-check passed), and the results without the canary test.
 */
export function readCanary(token: string, results: TestResult[], fileMessage: string): { findings: string[]; results: TestResult[] } {
  const canary = results.find((test) => test.title === canaryTitle(token));
  const failing = results.find((test) => test.title === failingCanaryTitle(token));
  const findings: string[] = [];
  if (!canary || !failing) findings.push('the canary test did not run: the test file was changed or the run cut short');
  if (canary && canary.status !== 'passed') findings.push('a false assertion passed before the tests: assertions were neutralised');
  if (failing && failing.status !== 'failed') findings.push('a failing test was reported as passed: the results were rewritten on their way to the grader');
  if (fileMessage.includes(`${TAMPERED_MARKER} ${token}`)) findings.push('a false assertion passed after the tests: assertions were neutralised');
  return { findings, results: results.filter((test) => test !== canary && test !== failing) };
}

/** A finding when the suite could not load because the learner's file imports a solution. */
export function solutionImport(fileMessage: string): string[] {
  return fileMessage.includes(SOLUTION_IMPORT_MARKER) ? ['imports a solution of the course instead of solving the exercise'] : [];
}
