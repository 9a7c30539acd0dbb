// "Does a server answer at this URL?" for each service, with the reason when it does not, so the
// chain can say why it skipped a source. A refused connection or a wrong password is an answer
// at once; a server that is slow to accept (a busy machine, a container's port forwarder) or
// full for a moment is waited for, up to PROBE_PATIENCE_MS: a wall-clock limit of a few seconds
// made a busy machine look like one without servers.
import pg from 'pg';
import { Redis } from 'ioredis';

const PROBE_PATIENCE_MS = 45_000;
const ATTEMPT_TIMEOUT_MS = 15_000;
const RETRY_DELAY_MS = 500;

/** Errors that may clear by themselves: a timeout, a server full or still starting. */
export function mayClear(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '53300' || code === '57P03' || code === 'ETIMEDOUT') return true; // too many clients, starting up
  const message = error instanceof Error ? error.message : String(error);
  return /timeout|timed out/i.test(message);
}

export interface Patience {
  /** How long to keep trying while the server is slow or full. */
  patienceMs?: number;
  /** How long one attempt waits for an answer. */
  attemptMs?: number;
}

/** Runs one probe attempt until it answers, fails for good, or patience runs out. */
async function patiently(
  attempt: (attemptMs: number) => Promise<void>,
  { patienceMs = PROBE_PATIENCE_MS, attemptMs = ATTEMPT_TIMEOUT_MS }: Patience,
): Promise<string | null> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      await attempt(Math.min(attemptMs, patienceMs));
      return null;
    } catch (error) {
      if (!mayClear(error)) return reason(error);
      if (Date.now() + RETRY_DELAY_MS >= deadline) return `${reason(error)} (tried for ${Math.round(patienceMs / 1000)} s)`;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}

/** Resolves to null when the server answers, or to the reason it did not. */
export function probePostgres(url: string, patience: Patience = {}): Promise<string | null> {
  return patiently(async (attemptMs) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: attemptMs });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => {});
    }
  }, patience);
}

export function probeRedis(url: string, patience: Patience = {}): Promise<string | null> {
  return patiently(async (attemptMs) => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: attemptMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // ioredis reports the cause (ECONNREFUSED…) on 'error' and rejects with a generic one.
    let cause: unknown;
    client.on('error', (error) => (cause ??= error));
    // connectTimeout covers the TCP connect only: a server that accepts and never answers would
    // keep connect() waiting for ever.
    const timer = setTimeout(() => {
      cause ??= Object.assign(new Error(`no answer within ${attemptMs / 1000} s`), { code: 'ETIMEDOUT' });
      client.disconnect();
    }, attemptMs);
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      throw cause ?? error;
    } finally {
      clearTimeout(timer);
      client.disconnect();
    }
  }, patience);
}

export function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Hides a password in a URL before it is printed. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
