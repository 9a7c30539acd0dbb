// The polling helpers suites wait with: they see a condition that comes true later, async ones
// too, and give up (failing or saying so) only after their bound.
import { expect, test } from 'vitest';
import { pollUntil, waitUntil } from '../index.ts';

test('pollUntil returns true once the condition holds, sync or async', async () => {
  let calls = 0;
  expect(await pollUntil(() => ++calls >= 3, 5_000, 1)).toBe(true);
  expect(calls).toBe(3);
  let asyncCalls = 0;
  expect(await pollUntil(async () => ++asyncCalls >= 2, 5_000, 1)).toBe(true);
  expect(asyncCalls).toBe(2);
});

test('pollUntil gives up after its bound and says so; it asks at least once, even with no time', async () => {
  const started = performance.now();
  expect(await pollUntil(() => false, 100, 5)).toBe(false);
  expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  let asked = 0;
  expect(await pollUntil(() => (asked += 1) > 0, 0)).toBe(true);
  expect(asked).toBe(1);
});

test('waitUntil fails with the message, built when it fails', async () => {
  let state = 'before';
  const waiting = waitUntil(() => false, 50, () => `still ${state}`, 5);
  state = 'after';
  await expect(waiting).rejects.toThrow('still after');
  await expect(waitUntil(() => true, 50, () => 'unused')).resolves.toBeUndefined();
});
