// Downloads as the export suites watch them: how a response ended (whole, or cut off), read at
// the pace a test chooses: at once, paused while the server keeps producing, or abandoned.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Download {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, when the download kept it (keep: true); otherwise empty. */
  body: Buffer;
  /** Bytes received, kept or not. */
  received: number;
  /** The last byte received (-1 for none): a JSON array that ended whole ends with "]". */
  lastByte: number;
  /** True when the response ended as HTTP says it should; false when the connection was cut off first. */
  complete: boolean;
}

export interface DownloadOptions {
  /** Keep the body (default false: bytes are counted and dropped, so a big download costs no memory). */
  keep?: boolean;
  /**
   * Called once with the response paused after its first chunk; reading resumes when the promise
   * settles. A slow reader: the server's writes stay unread meanwhile.
   */
  afterFirstChunk?: () => Promise<void>;
  /** Cut the connection once this many bytes have arrived (a client that leaves half-way). */
  leaveAfterBytes?: number;
}

/** A GET that never rejects for a cut-off response: how it ended is in the result. */
export function download(url: string, { keep = false, afterFirstChunk, leaveAfterBytes }: DownloadOptions = {}): Promise<Download> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      const result: Download = { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.alloc(0), received: 0, lastByte: -1, complete: false };
      let first = true;
      response.on('data', (chunk: Buffer) => {
        result.received += chunk.length;
        result.lastByte = chunk[chunk.length - 1] ?? result.lastByte;
        if (keep) chunks.push(chunk);
        if (leaveAfterBytes !== undefined && result.received >= leaveAfterBytes) request.destroy();
        if (first && afterFirstChunk) {
          first = false;
          response.pause();
          afterFirstChunk().then(
            () => response.resume(),
            (error: unknown) => {
              request.destroy();
              reject(error);
            },
          );
        }
      });
      response.on('error', () => {}); // "aborted": told by `complete`
      response.on('close', () => {
        result.complete = response.complete;
        result.body = Buffer.concat(chunks);
        resolve(result);
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // Our own destroy() after leaveAfterBytes ends the response through 'close' above.
      if (leaveAfterBytes === undefined) reject(error);
    });
  });
}

/**
 * Waits while the heap keeps rising: returns once it has not grown by more than `stepMb` for
 * `quietMs`, or after `maxMs`. A reader paused for this long has let a server that ignores
 * backpressure buffer whatever it could produce, however fast or slow the machine is.
 */
export async function untilHeapSettles({ stepMb = 2, quietMs = 500, maxMs = 8_000, everyMs = 50 } = {}): Promise<void> {
  const heapMb = () => process.memoryUsage().heapUsed / 1024 / 1024;
  const started = Date.now();
  let mark = heapMb();
  let markAt = Date.now();
  while (Date.now() - started < maxMs) {
    await sleep(everyMs);
    const now = heapMb();
    if (now > mark + stepMb) {
      mark = now;
      markAt = Date.now();
    } else if (Date.now() - markAt >= quietMs) return;
  }
}
