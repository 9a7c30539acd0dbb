// The names by which a grading run's suites tell the grader what they saw (canary.ts,
// target-plugin.ts) and the grader recognises it (scripts/workbook/tampering.ts): one definition.
/** The canary test's title in a run whose token is `token`. */
export const canaryTitle = (token: string) => `workbook canary ${token}`;
/** The title of the canary's test that fails for real, and must be reported failed. */
export const failingCanaryTitle = (token: string) => `workbook canary ${token} fails`;
/** Starts the error thrown after a file's last test when a false assertion did not fail. */
export const TAMPERED_MARKER = 'WORKBOOK_TAMPERED';
/** Starts the error thrown when graded code imports a solution. */
export const SOLUTION_IMPORT_MARKER = 'WORKBOOK_SOLUTION_IMPORT';
