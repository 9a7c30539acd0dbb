// A bounded load generator (autocannon) for suites and benchmarks: loopback targets only,
// and every run is capped in requests and in seconds.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** Concurrent connections. */
  connections?: number;
  /** Total requests; the run stops after this many (at most 100,000). */
  amount: number;
  /** Hard stop in seconds, whatever the count (at most 60). */
  maxSeconds?: number;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  non2xx: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { hostname } = new URL(options.url);
  if (!LOOPBACK.has(hostname)) throw new Error(`runLoad only targets loopback addresses, not ${hostname}`);
  const amount = Math.min(Math.max(1, options.amount), 100_000);
  const maxSeconds = Math.min(options.maxSeconds ?? 30, 60);
  const startedAt = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 10,
    amount,
    duration: maxSeconds,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
  });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    // autocannon's own averages are over whole-second buckets: too coarse for short runs.
    requestsPerSecond: result.requests.total / ((performance.now() - startedAt) / 1000),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
