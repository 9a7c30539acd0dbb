// Known wrong (a rejection without a reason (undefined or null) has no message to read, and the probe fails with a 500).
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

/** "ok", or why the check failed: it rejected, threw, or did not answer in time. */
async function outcome(check: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs)));
  try {
    // Promise.resolve().then(check): a check that throws instead of rejecting is a failed check too.
    return await Promise.race([Promise.resolve().then(check).then(() => 'ok'), late]);
  } catch (error) {
    return `failed: ${(error as { message?: string }).message ?? String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

export function createHealth({ checks, checkTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS }: HealthOptions): Health {
  const router = express.Router();
  let shuttingDown = false;
  router.use((_request, response, next) => {
    response.setHeader('cache-control', 'no-store');
    next();
  });

  // Alive is alive: no dependency is asked, so an outage elsewhere does not get this process restarted.
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  router.get('/readyz', async (_request, response) => {
    if (shuttingDown) {
      response.status(503).json({ status: 'shutting down' });
      return;
    }
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => outcome(checks[name]!, checkTimeoutMs)));
    const ready = results.every((result) => result === 'ok');
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(names.map((name, i) => [name, results[i]])),
    });
  });

  return {
    router,
    beginShutdown() {
      shuttingDown = true;
    },
  };
}
