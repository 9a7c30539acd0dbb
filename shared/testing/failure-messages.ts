// A setup file for every suite: each failed test's messages rewritten for learners (messages.ts):
// a route that never answered or a promise that never settled said in those words, instead of
// vitest's advice to raise the timeout, and the file's section added where a message names none.
import { beforeEach } from 'vitest';
import { fallbackSection, forLearners } from './messages.ts';
import { unansweredSince } from './server.ts';

beforeEach((context) => {
  const started = Date.now();
  context.onTestFailed(({ task }) => {
    const unanswered = unansweredSince(started);
    for (const error of task.result?.errors ?? []) {
      if (typeof error.message !== 'string') continue;
      const rewritten = forLearners(error.message, unanswered, fallbackSection());
      // Reporters print the stack, which starts with the message (or, for a timeout, with a
      // placeholder): the new message, then the frames.
      if (typeof error.stack === 'string') {
        const frames = error.stack.indexOf('\n    at ');
        error.stack = `${error.name ?? 'Error'}: ${rewritten}${frames >= 0 ? error.stack.slice(frames) : ''}`;
      }
      error.message = rewritten;
    }
  });
});
