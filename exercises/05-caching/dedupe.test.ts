// Exercise 05 · dedupe: one load for many concurrent callers; failures shared, not remembered.
// Run it with: npm test -- 05-caching/dedupe
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { lessonHint } from '../../shared/testing/index.ts';
import { Deduplicator } from './dedupe.ts';

const READ = lessonHint('05-caching', '4. Request deduplication');

/** A loader that counts its calls and settles after a while. */
function slowLoader<T>(outcome: () => T, ms = 50) {
  const loader = {
    calls: 0,
    load: async (): Promise<T> => {
      loader.calls += 1;
      await sleep(ms);
      return outcome();
    },
  };
  return loader;
}

describe('request deduplication', () => {
  test('200 concurrent calls for one key run the loader once and all get its result', async () => {
    const dedupe = new Deduplicator<{ id: number }>();
    const loader = slowLoader(() => ({ id: 7 }));
    const results = await Promise.all(Array.from({ length: 200 }, () => dedupe.run('product:7', loader.load)));
    expect(loader.calls, `200 callers, ${loader.calls} loads. ${READ}`).toBe(1);
    expect(results.every((result) => result.id === 7)).toBe(true);
  });

  test('different keys load separately', async () => {
    const dedupe = new Deduplicator<string>();
    const a = slowLoader(() => 'a');
    const b = slowLoader(() => 'b');
    expect(await Promise.all([dedupe.run('a', a.load), dedupe.run('b', b.load), dedupe.run('a', a.load)])).toEqual(['a', 'b', 'a']);
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  test('a rejection reaches every waiter, and is not remembered', async () => {
    const dedupe = new Deduplicator<string>();
    let fail = true;
    const loader = slowLoader(() => {
      if (fail) throw new Error('database down');
      return 'back';
    });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => dedupe.run('k', loader.load)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected'), 'every waiter sees the failure').toBe(true);
    expect(loader.calls).toBe(1);
    fail = false;
    await expect(
      dedupe.run('k', loader.load),
      `The load failed once; the next call must try again, not get the old rejection. ${READ}`,
    ).resolves.toBe('back');
    expect(loader.calls).toBe(2);
  });

  test('nothing is kept once a load has finished: the next call loads again', async () => {
    const dedupe = new Deduplicator<number>();
    let version = 1;
    const loader = slowLoader(() => version);
    expect(await dedupe.run('v', loader.load)).toBe(1);
    version = 2;
    expect(await dedupe.run('v', loader.load), `A finished load is not a cache: the next call must load fresh data. ${READ}`).toBe(2);
    expect(dedupe.size, 'nothing in flight any more').toBe(0);
  });
});
