// watchCommands sees every command whichever ioredis API sent it, and its NOSCRIPT is the one
// ioredis's own script fallback recognises; downClient fails commands at once, without waiting.
import { describe, expect, test } from 'vitest';
import { useTestRedis } from '../test-redis.ts';
import { watchCommands } from '../redis-commands.ts';

const redis = useTestRedis();

describe('watchCommands', () => {
  test('counts commands sent by methods, call() and a defined script, and stops counting when stopped', async () => {
    const client = redis.client();
    client.defineCommand('echoKey', { numberOfKeys: 1, lua: 'return KEYS[1]' });
    await (client as unknown as { echoKey(key: string): Promise<string> }).echoKey('warm'); // EVAL once per connection
    const watch = watchCommands(client);
    await client.set('a', '1');
    await client.call('GET', 'a');
    await (client as unknown as { echoKey(key: string): Promise<string> }).echoKey('k');
    expect(watch.sent).toEqual(['set', 'get', 'evalsha']);
    expect(watch.count('EVALSHA')).toBe(1);
    watch.reset();
    expect(watch.sent).toEqual([]);
    watch.stop();
    await client.get('a');
    expect(watch.sent).toEqual([]);
  });

  test('failNextEvalsha answers one EVALSHA with NOSCRIPT, without reaching Redis', async () => {
    const client = redis.client();
    const sha = (await client.script('LOAD', 'return 7')) as string;
    const watch = watchCommands(client);
    watch.failNextEvalsha();
    await expect(client.evalsha(sha, 0)).rejects.toThrow(/^NOSCRIPT/);
    expect(await client.evalsha(sha, 0), 'only the next one').toBe(7);
    client.defineCommand('seven', { numberOfKeys: 0, lua: 'return 7' });
    const seven = () => (client as unknown as { seven(): Promise<number> }).seven();
    await seven(); // the first use on a connection goes out as EVAL (ioredis renames it when writing)
    watch.reset();
    watch.failNextEvalsha();
    expect(await seven(), "ioredis's own fallback sends it again after NOSCRIPT").toBe(7);
    expect(watch.sent, 'the refused EVALSHA and the one sent again').toEqual(['evalsha', 'evalsha']);
    watch.stop();
  });
});

test('downClient fails each command at once, and its connection errors are not unhandled', async () => {
  const client = await redis.downClient();
  const started = Date.now();
  await expect(client.get('x')).rejects.toThrow();
  expect(Date.now() - started, 'no offline queue: the command is refused, not held').toBeLessThan(5_000);
  expect(client.status).not.toBe('ready');
});
