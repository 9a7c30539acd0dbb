// Downloads as the export suites watch them: how a response ended (whole, or cut off), read at
// the pace a test chooses: at once, paused while the server keeps producing, or abandoned.
import http, { type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import type pg from 'pg';
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
 * Waits while a server response is still being produced: returns once neither the bytes its
 * socket has taken nor the bytes queued in Node for it have changed for `quietMs`, or after
 * `maxMs`. Call it while the client has stopped reading: a route that respects backpressure stops
 * writing once the buffers are full, however fast or slow the machine is; one that ignores it
 * keeps queueing. `alsoWatch` adds a count of its own that must stop changing too (the bytes the
 * server has read from its database, say: a route may queue rows in its own streams rather than in
 * res). Returns the most bytes seen queued in Node (res.writableLength) meanwhile.
 */
export async function whileServerSends(
  response: () => ServerResponse | undefined,
  { quietMs = 500, maxMs = 10_000, everyMs = 10, alsoWatch = () => 0 }: { quietMs?: number; maxMs?: number; everyMs?: number; alsoWatch?: () => number } = {},
): Promise<{ maxQueuedBytes: number }> {
  const started = Date.now();
  let maxQueuedBytes = 0;
  let mark = '';
  let markAt = Date.now();
  while (Date.now() - started < maxMs) {
    await sleep(everyMs);
    const res = response();
    const queued = res?.writableLength ?? 0;
    maxQueuedBytes = Math.max(maxQueuedBytes, queued);
    const now = `${res?.socket?.bytesWritten ?? 0}/${queued}/${res?.writableEnded ?? false}/${alsoWatch()}`;
    if (now !== mark) {
      mark = now;
      markAt = Date.now();
    } else if (Date.now() - markAt >= quietMs) break;
  }
  return { maxQueuedBytes };
}

export interface ServerSide {
  /** The response of the latest request the app received. */
  latestResponse(): ServerResponse | undefined;
  /** Bytes the pool's connections have read from Postgres so far. */
  bytesFromDatabase(): number;
  /** whileServerSends() for the latest response, also waiting while the pool still reads rows. */
  whileWorking(): Promise<{ maxQueuedBytes: number }>;
}

/**
 * Watches a route from the server's side: mount it before the routes, on the pool they use. A
 * route that respects backpressure stops writing, and stops fetching rows, while its reader is
 * paused. (pg keeps each connection's socket on client.connection.)
 */
export function watchServerSide(app: Express, pool: pg.Pool): ServerSide {
  let latest: ServerResponse | undefined;
  const sockets: Socket[] = [];
  app.use((_req, res, next) => {
    latest = res;
    next();
  });
  pool.on('connect', (client) => sockets.push((client as unknown as { connection: { stream: Socket } }).connection.stream));
  const side: ServerSide = {
    latestResponse: () => latest,
    bytesFromDatabase: () => sockets.reduce((sum, socket) => sum + socket.bytesRead, 0),
    whileWorking: () => whileServerSends(() => latest, { alsoWatch: side.bytesFromDatabase }),
  };
  return side;
}
