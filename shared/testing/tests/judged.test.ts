// judged() tries a scenario again while it says the run could not be judged, and no more often
// than asked; an assertion that fails inside a judged run fails at once.
import { expect, test } from 'vitest';
import { judged } from '../judged.ts';

test('retries an unjudged run, stops at the first judged one', async () => {
  let runs = 0;
  await judged(async () => (runs += 1) === 3);
  expect(runs).toBe(3);
});

test('gives up after its attempts, saying why', async () => {
  let runs = 0;
  await expect(judged(async () => ((runs += 1), false), { attempts: 2, busy: 'too slow' })).rejects.toThrow(/too busy.*2 times.*too slow/);
  expect(runs).toBe(2);
});

test('a failing assertion in a judged run is not retried', async () => {
  let runs = 0;
  await expect(
    judged(async () => {
      runs += 1;
      throw new Error('wrong answer');
    }),
  ).rejects.toThrow('wrong answer');
  expect(runs).toBe(1);
});
