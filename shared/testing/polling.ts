// Waiting for something that happens a little later (another connection, a timer, a message):
// polled against a generous bound, so a verdict never depends on how fast the machine is.
import { setTimeout as sleep } from 'node:timers/promises';

type Condition = () => boolean | Promise<boolean>;

/** Polls `condition` until it holds; fails with `message()` if it still does not after `withinMs`. */
export async function waitUntil(condition: Condition, withinMs: number, message: () => string, everyMs = 20): Promise<void> {
  if (!(await pollUntil(condition, withinMs, everyMs))) throw new Error(message());
}

/**
 * Polls `condition` until it holds or `withinMs` have passed, and says which: for waits the test's
 * own assertions judge afterwards, with a message that says what went wrong.
 */
export async function pollUntil(condition: Condition, withinMs: number, everyMs = 20): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (await condition()) return true;
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
}
