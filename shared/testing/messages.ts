// Failure messages in the course's voice: what was expected, what happened, where to read.
/** "→ read lessons/01-timing/README.md, section “…”" */
export function lessonHint(lesson: string, section: string): string {
  return `→ read lessons/${lesson}/README.md, section "${section}"`;
}

let fileSection: string | undefined;

/**
 * The section a suite file is about, as a hint (like lessonHint), remembered as the file's
 * fallback: a failure whose message names no section gets this one (failure-messages.ts), so
 * every failure a learner sees says where to read.
 */
export function suiteSection(lesson: string, section: string): string {
  fileSection = lessonHint(lesson, section);
  return fileSection;
}

/** The hint suiteSection() set for this file, if it did. */
export const fallbackSection = (): string | undefined => fileSection;

/** A request to a suite's server that no handler answered in time (see server.ts). */
export interface UnansweredRequest {
  method: string;
  path: string;
  seconds: number;
  /** True when the route had started its response, then sent nothing more for `seconds`. */
  stalled?: boolean;
}

/**
 * A failure as the learner should read it: vitest's timeout advice ("pass a timeout value…")
 * replaced by what happened in their terms, and a section named when the message has none.
 */
export function forLearners(message: string, unanswered: UnansweredRequest[], section: string | undefined): string {
  let text = message;
  const timedOut = /^(Test|Hook) timed out in (\d+)ms\.(?:\s*If this is a long-running test[^\n]*)?/.exec(text);
  if (unanswered.length > 0) {
    const routes = unanswered.map((request) => `${request.method} ${request.path}`).join(', ');
    const intro = unanswered[0]!.stalled
      ? `Your route stopped half-way: ${routes} sent part of its response, then nothing more for ${unanswered[0]!.seconds} s, so the ` +
        'suite cut it off. A response must end (res.end(), or pipeline() finishing) or be destroyed when something fails; ' +
        'an await on a stream or an event that never comes holds it open.'
      : `Your route never answered: ${routes} got no response within ${unanswered[0]!.seconds} s, so the suite answered it with ` +
        '504 itself. Every path through a handler must send a response (res.json, res.send, res.end) or call next(error); ' +
        'an await that never settles holds the request open too.';
    text = timedOut ? text.replace(timedOut[0], intro) : `${intro}\n${text}`;
  } else if (timedOut) {
    const seconds = Number(timedOut[2]) / 1000;
    text = text.replace(
      timedOut[0],
      `${timedOut[1] === 'Hook' ? 'A set-up step' : 'This test'} waited ${seconds} s for your code and the promise it awaited never settled: ` +
        'something your code returned never resolved or rejected (a missing resolve() or return, an await on an event that never comes, ' +
        'a callback never called), or it blocked the event loop.',
    );
  }
  if (!text.includes('lessons/') && section) text = `${text}\n${section}`;
  return text;
}
