// The probes that decide where the suites' services come from: a refusal is an answer at once,
// a server that is slow or full is waited for (a busy machine is not a machine without servers),
// and a server that accepts and never speaks ends in a reason, not a wait for ever.
import net from 'node:net';
import { afterAll, expect, inject, test } from 'vitest';
import { mayClear, probePostgres, probeRedis } from '../services/probe.ts';

// Reads what it is sent (so it sees a client hang up) and never answers.
const sockets = new Set<net.Socket>();
const silent = net.createServer((socket) => {
  sockets.add(socket.resume().on('close', () => sockets.delete(socket)));
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  if (silent.listening) silent.close();
});

test('a timeout, a full server or one starting up may clear; a refusal, a wrong password or a missing database does not', () => {
  expect(mayClear(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }))).toBe(true);
  expect(mayClear(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
  expect(mayClear(new Error('Connection terminated due to connection timeout'))).toBe(true);
  expect(mayClear(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }))).toBe(true);
  expect(mayClear(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(false);
  expect(mayClear(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toBe(false);
  expect(mayClear(Object.assign(new Error('database "x" does not exist'), { code: '3D000' }))).toBe(false);
});

test('the servers of this run answer; a closed port is reported at once', async () => {
  expect(await probePostgres(inject('postgresUrl'))).toBeNull();
  expect(await probeRedis(inject('redisUrl'))).toBeNull();
  const started = Date.now();
  expect(await probePostgres('postgres://postgres@127.0.0.1:1/postgres', { patienceMs: 60_000 })).toMatch(/ECONNREFUSED/);
  expect(await probeRedis('redis://127.0.0.1:1', { patienceMs: 60_000 })).toMatch(/ECONNREFUSED/);
  expect(Date.now() - started, 'a refusal is not retried for the whole patience').toBeLessThan(30_000);
});

test('a server that accepts and never answers is retried until patience runs out, then named', async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  const connections: number[] = [];
  silent.on('connection', () => connections.push(Date.now()));
  const patience = { patienceMs: 2_000, attemptMs: 600 };
  const [postgres, redis] = await Promise.all([
    probePostgres(`postgres://postgres@127.0.0.1:${port}/postgres`, patience),
    probeRedis(`redis://127.0.0.1:${port}`, patience),
  ]);
  expect(postgres).toMatch(/timeout.*\(tried for 2 s\)/);
  expect(redis).toMatch(/no answer within 0\.6 s \(tried for 2 s\)/);
  expect(connections.length, 'each probe tried more than once').toBeGreaterThanOrEqual(4);
  // The hang-up reaches the server a moment after the probe returns.
  for (let poll = 0; poll < 100 && sockets.size > 0; poll += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(sockets.size, 'every attempt hung up').toBe(0);
}, 60_000);
