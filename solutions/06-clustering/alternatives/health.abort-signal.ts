// Another correct health module: each check raced against AbortSignal.timeout(), outcomes
// gathered with Promise.allSettled, and an Express app mounted as the router.
import { once } from 'node:events';
import express, { type Router } from 'express';

export interface HealthOptions {
  checks: Record<string, () => Promise<unknown>>;
  checkTimeoutMs?: number;
}

export interface Health {
  router: Router;
  beginShutdown(): void;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 1_000;

export function createHealth(options: HealthOptions): Health {
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const state = { draining: false };
  const router = express.Router();

  const withDeadline = async (check: () => Promise<unknown>) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const expired = once(signal, 'abort').then(() => Promise.reject(new Error(`timed out after ${timeoutMs} ms`)));
    expired.catch(() => {});
    return Promise.race([(async () => check())(), expired]);
  };

  router.get('/healthz', (_request, response) => {
    response.set('Cache-Control', 'no-store').status(200).send({ status: 'ok' });
  });

  router.get('/readyz', async (_request, response) => {
    response.set('Cache-Control', 'no-store');
    if (state.draining) return void response.status(503).send({ status: 'draining' });
    const entries = Object.entries(options.checks);
    const settled = await Promise.allSettled(entries.map(([, check]) => withDeadline(check)));
    const checks: Record<string, string> = {};
    settled.forEach((result, i) => {
      checks[entries[i]![0]] = result.status === 'fulfilled' ? 'ok' : `error: ${String((result.reason as Error)?.message ?? result.reason)}`;
    });
    const ok = settled.every((result) => result.status === 'fulfilled');
    response.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks });
  });

  return { router, beginShutdown: () => void (state.draining = true) };
}
