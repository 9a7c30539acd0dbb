// The load generator's bounds: a run stops at its amount or at maxSeconds, whichever comes first,
// so a benchmark or suite against a slow server cannot run on for minutes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { runLoad } from '../load.ts';

test('a run against a slow server stops at maxSeconds though its amount is far from reached', async () => {
  // 200 ms a request on one connection: 1,000 requests would take 200 s.
  const server = http.createServer((_request, response) => setTimeout(() => response.end('ok'), 200));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const started = performance.now();
    const result = await runLoad({ url: `http://127.0.0.1:${port}/`, connections: 1, amount: 1_000, maxSeconds: 2 });
    const seconds = (performance.now() - started) / 1000;
    // Judged by what a run without the cap would do (1,000 requests, 200 s), not by how punctual a
    // 2 s timer is: on a busy machine it fires late, and a few more requests get through.
    expect(seconds, 'the run stopped near its 2 s cap, not after 1,000 requests').toBeLessThan(15);
    expect(result.requests, 'far fewer than the 1,000 asked for').toBeLessThan(75);
    expect(result.requests).toBeGreaterThan(0);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}, 30_000);
