// Failure messages in the course's voice: what was expected, what happened, where to read.
/** "→ read lessons/01-timing/README.md, section “…”" */
export function lessonHint(lesson: string, section: string): string {
  return `→ read lessons/${lesson}/README.md, section "${section}"`;
}
