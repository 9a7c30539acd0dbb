// Health and readiness, the two questions a supervisor and a load balancer ask:
//   GET /healthz  is this process alive? (if not, restart it)
//   GET /readyz   should traffic come here now? (if not, send it elsewhere)
import express, { type Router } from 'express';

export interface HealthOptions {
  /** Readiness checks by name, each resolving when its dependency answers: () => pool.query('SELECT 1'), () => redis.ping(). */
  checks: Record<string, () => Promise<unknown>>;
  /** A check still unanswered after this long has failed. 1000 when left out. */
  checkTimeoutMs?: number;
}

export interface Health {
  /** Serves /healthz and /readyz. */
  router: Router;
  /** Shutdown has begun (ShutdownOptions.onShutdown): /readyz answers 503 from now on. */
  beginShutdown(): void;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 1_000;

export function createHealth({ checks }: HealthOptions): Health {
  const router = express.Router();
  // TODO: the common first version. Liveness runs the dependency checks (a database outage then
  // gets every instance restarted, which fixes nothing), one after another and without a time
  // limit; readiness always says yes, even while the process is shutting down.
  router.get('/healthz', async (_request, response) => {
    for (const check of Object.values(checks)) await check();
    response.json({ status: 'ok' });
  });
  router.get('/readyz', (_request, response) => {
    response.json({ status: 'ready' });
  });
  return { router, beginShutdown() {} };
}
