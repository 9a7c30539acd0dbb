// A bounded load generator (autocannon) for suites and benchmarks: loopback targets only,
// and every run is capped in requests and in seconds.
// Loaded when a run starts: most suite files never run load, and importing autocannon costs
// about 0.35 s in every worker that does.
import type autocannon from 'autocannon';

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
  /** From the first request to the last response. */
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { hostname } = new URL(options.url);
  if (!LOOPBACK.has(hostname)) throw new Error(`runLoad only targets loopback addresses, not ${hostname}`);
  const amount = Math.min(Math.max(1, options.amount), 100_000);
  const maxSeconds = Math.min(options.maxSeconds ?? 30, 60);
  // The rate is the responses over the time from the start to the last response: autocannon only
  // notices that `amount` is reached on its once-a-second tick, so its own elapsed time (and a
  // rate from it) is rounded up to whole seconds: 20,000 requests in 2.6 s read as 3 s or 4 s.
  const { default: autocannon } = await import('autocannon');
  const startedAt = performance.now();
  let responses = 0;
  let lastResponseAt = startedAt;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections ?? 10,
        amount,
        duration: maxSeconds,
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', () => {
      responses += 1;
      lastResponseAt = performance.now();
    });
    // autocannon ignores its duration when an amount is set: the cap in seconds is kept here.
    const cap = setTimeout(() => instance.stop(), maxSeconds * 1000);
    instance.once('done', () => clearTimeout(cap));
  });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requestsPerSecond: responses / ((lastResponseAt - startedAt) / 1000),
    seconds: (lastResponseAt - startedAt) / 1000,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
