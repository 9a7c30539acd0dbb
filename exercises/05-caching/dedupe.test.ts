// Exercise 05 · dedupe: one load for many concurrent callers; failures shared, not remembered.
// Run it with: npm test -- 05-caching/dedupe
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { suiteSection } from '../../shared/testing/index.ts';
import { Deduplicator } from './dedupe.ts';

const READ = suiteSection('05-caching', '4. Request deduplication');

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

  test('many keys at once: each key loads once, and every caller gets the value of its own key', async () => {
    const dedupe = new Deduplicator<string>();
    // Keys that a careless "normalization" (case, spaces, a prefix) would merge.
    const keys = ['product:1', 'product:10', 'Product:1', 'product:1 ', 'product:1:reviews', 'category:1', 'product:01', ''];
    const calls = new Map<string, number>();
    const loadFor = (key: string) => async () => {
      calls.set(key, (calls.get(key) ?? 0) + 1);
      await sleep(50);
      return `value of ${JSON.stringify(key)}`;
    };
    // Interleaved, each call with a fresh closure (as a route handler would pass).
    const requested = Array.from({ length: 20 }, () => keys).flat();
    const results = await Promise.all(requested.map((key) => dedupe.run(key, loadFor(key))));
    const wrong = requested.map((key, i) => ({ key, got: results[i] })).filter(({ key, got }) => got !== `value of ${JSON.stringify(key)}`);
    expect(
      wrong.slice(0, 3),
      `${wrong.length} of ${requested.length} callers got another key's value: share loads by the exact key, one entry per key. ${READ}`,
    ).toEqual([]);
    const loads = keys.map((key) => calls.get(key) ?? 0);
    expect(loads, `20 concurrent callers for each of ${keys.length} keys: one load per key, saw ${loads.join(', ')}. ${READ}`).toEqual(keys.map(() => 1));
    expect(dedupe.size, 'nothing in flight any more').toBe(0);
  });

  test('one loader function used for two keys still loads each key', async () => {
    const dedupe = new Deduplicator<string>();
    let calls = 0;
    let next = 0;
    const load = async () => {
      calls += 1;
      const value = `load ${(next += 1)}`;
      await sleep(50);
      return value;
    };
    const [a, b] = await Promise.all([dedupe.run('a', load), dedupe.run('b', load)]);
    expect(calls, `Keys "a" and "b" are different loads, even with the same function: share by key. ${READ}`).toBe(2);
    expect(a).not.toBe(b);
  });

  test('callers share the load, not the object: one caller changing its result does not reach the others', async () => {
    const dedupe = new Deduplicator<{ id: number; name: string; tags: string[] }>();
    const loader = slowLoader(() => ({ id: 7, name: 'Kettle', tags: ['kitchen'] }));
    const results = await Promise.all(Array.from({ length: 3 }, () => dedupe.run('product:7', loader.load)));
    expect(loader.calls).toBe(1);
    try {
      // What a handler might do to its own result before answering.
      results[0]!.name = 'changed by caller 0';
      results[0]!.tags.push('sale');
    } catch {
      // Deeply frozen results are fine too: then nobody can change them.
    }
    for (const i of [1, 2]) {
      expect(
        results[i],
        `Caller 0 changed its result and caller ${i} saw the change: deduplicated callers must not share one mutable ` +
          `object (give each its own copy, or freeze it deeply). ${READ}`,
      ).toEqual({ id: 7, name: 'Kettle', tags: ['kitchen'] });
    }
  });

  test('the first caller is no different: changing its result as soon as it has it does not reach the callers after it', async () => {
    const dedupe = new Deduplicator<{ id: number; name: string; tags: string[] }>();
    const loader = slowLoader(() => ({ id: 7, name: 'Kettle', tags: ['kitchen'] }));
    // Caller 0 started the load and changes its result the moment it has it, before the others run.
    const first = dedupe.run('product:7', loader.load).then((result) => {
      try {
        result.name = 'changed by the first caller';
        result.tags.push('sale');
      } catch {
        // frozen: nobody can change it
      }
      return result;
    });
    const later = await Promise.all(Array.from({ length: 2 }, () => dedupe.run('product:7', loader.load)));
    await first;
    expect(loader.calls).toBe(1);
    for (const [i, result] of later.entries()) {
      expect(
        result,
        `The caller that started the load changed its result, and caller ${i + 1} then got the change: copies taken for ` +
          `the later callers only, after the first has run, are copies of a changed object. Give every caller its own ` +
          `copy (or freeze the value deeply) before any of them runs. ${READ}`,
      ).toEqual({ id: 7, name: 'Kettle', tags: ['kitchen'] });
    }
  });

  test('keys that are names of every object ("constructor", "__proto__", "toString") are keys like any other', async () => {
    const dedupe = new Deduplicator<string>();
    const keys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    const calls = new Map<string, number>();
    const outcomes = await Promise.all(
      keys.flatMap((key) =>
        Array.from({ length: 3 }, () =>
          dedupe
            .run(key, async () => {
              calls.set(key, (calls.get(key) ?? 0) + 1);
              await sleep(20);
              return `value of ${key}`;
            })
            .then(
              (value) => value,
              (error: Error) => `failed: ${error.message}`,
            ),
        ),
      ),
    );
    expect(
      outcomes,
      `Keys come from requests: a plain object used as the map finds Object.prototype's own members under these names. ` +
        `Use a Map (or an object without a prototype). ${READ}`,
    ).toEqual(keys.flatMap((key) => Array.from({ length: 3 }, () => `value of ${key}`)));
    expect(keys.map((key) => calls.get(key) ?? 0), `3 concurrent callers per key: one load each. ${READ}`).toEqual(keys.map(() => 1));
  });

  test('nested values are the callers\' own too: changing an inner object or array does not reach the others', async () => {
    type Row = { id: number; category: { name: string }; tags: string[] };
    const dedupe = new Deduplicator<Row>();
    const loader = slowLoader((): Row => ({ id: 7, category: { name: 'kitchen' }, tags: ['steel', 'electric'] }));
    const results = await Promise.all(Array.from({ length: 3 }, () => dedupe.run('product:7', loader.load)));
    // Only nested writes, each on its own: what a handler might do before answering.
    const attempts = [() => (results[0]!.category.name = 'changed by caller 0'), () => results[0]!.tags.sort(), () => results[0]!.tags.push('sale')];
    for (const attempt of attempts) {
      try {
        attempt();
      } catch {
        // Deeply frozen results are fine too: then nobody can change them.
      }
    }
    for (const i of [1, 2]) {
      expect(
        results[i],
        `Caller 0 changed an object or array inside its result and caller ${i} saw it: a copy or a freeze must go all ` +
          `the way down (Object.freeze is shallow; structuredClone copies deeply). ${READ}`,
      ).toEqual({ id: 7, category: { name: 'kitchen' }, tags: ['steel', 'electric'] });
    }
  });

  test('each caller gets the value as loaded: a Date stays a Date', async () => {
    type Row = { id: number; updatedAt: Date };
    const dedupe = new Deduplicator<Row>();
    const updatedAt = new Date('2024-05-01T10:00:00.000Z');
    const loader = slowLoader((): Row => ({ id: 7, updatedAt }));
    const results = await Promise.all(Array.from({ length: 2 }, () => dedupe.run('product:7', loader.load)));
    for (const result of results) {
      expect(
        result.updatedAt instanceof Date,
        `A loaded Date reached a caller as ${typeof result.updatedAt} ${JSON.stringify(result.updatedAt)}: copying ` +
          `through JSON turns Dates into strings (and drops undefined, empties Maps). Copy with structuredClone, or ` +
          `freeze deeply. ${READ}`,
      ).toBe(true);
      expect(result.updatedAt.getTime()).toBe(updatedAt.getTime());
    }
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
