// Lesson 04's numbers: what compression saves and costs on a large listing (bytes, CPU per
// response, and throughput of a server with and without it), and the heap a 200,000-post JSON
// export takes, buffered against streamed. Servers run in a process of their own; the load comes
// from another (bench/load.ts), on the same 2 cores, which the reading says.
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import pg from 'pg';
import { loadInChild } from '../load.ts';
import { startServerProcess, type ServerProcess } from '../server-process.ts';
import { getBytes } from '../../shared/testing/http.ts';
import type { Compare } from '../run.ts';
import type { BenchContext } from '../context.ts';

const SERVER = fileURLToPath(new URL('./04-responses.server.ts', import.meta.url));
const EXPORT_POSTS = 200_000;

const LISTING = '/api/listing';

async function withCompressServer<T>(work: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServerProcess(SERVER, '/api/small', { MODE: 'compress' });
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

/** The listing's bytes on the wire for one Accept-Encoding (none: identity). */
const wireBytes = (acceptEncoding: string | undefined) => () =>
  withCompressServer(async (server) => {
    const answer = await getBytes(`${server.url}${LISTING}`, acceptEncoding ? { 'accept-encoding': acceptEncoding } : {});
    return { value: answer.bytes.length, details: { [`Content-Encoding ${answer.headers['content-encoding'] ?? 'none'}`]: 1 } };
  });

/** CPU time to compress the listing once (the median of 21), as compression's streams would, but synchronously so nothing else is counted. */
function cpuPerResponse(listing: Buffer, compress: (body: Buffer) => Buffer): { value: number; details: Record<string, number> } {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 21; i += 1) {
    const started = process.cpuUsage();
    bytes = compress(listing).length;
    const used = process.cpuUsage(started);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { value: times[10]!, details: { bytes } };
}

const brotli = (quality: number) => (body: Buffer) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } });

/** GET /api/listing at saturation, 32 connections for 5 s after a 1 s warm-up, asking for one encoding (none: identity). */
const listingLoad = (acceptEncoding: string | undefined) => () =>
  withCompressServer(async (server) => {
    const headers: Record<string, string> = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    await loadInChild({ url: `${server.url}${LISTING}`, connections: 8, amount: 100_000, maxSeconds: 1, headers });
    const result = await loadInChild({ url: `${server.url}${LISTING}`, connections: 32, amount: 1_000_000, maxSeconds: 5, headers });
    if (result.errors + result.non2xx > 0) throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers`);
    return { value: result.requestsPerSecond, details: { 'p50 ms': result.latencyP50Ms, 'p99 ms': result.latencyP99Ms } };
  });

/** Fills the bench's database to EXPORT_POSTS posts, as the exports suite does. */
async function fillPosts(databaseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM "Post"`);
    const extra = EXPORT_POSTS - Number(rows[0]!.count);
    if (extra > 0) {
      await pool.query(
        `INSERT INTO "Post" ("title", "content", "status", "authorId", "createdAt")
         SELECT 'extra post ' || g, 'body', 'published', 1 + g % 2000, timestamp '2026-02-01' + g * interval '7 milliseconds'
           FROM generate_series(1, $1::int) AS g`,
        [extra],
      );
    }
  } finally {
    await pool.end();
  }
}

/** One whole export read as fast as the bench can, and the server's heap at its highest meanwhile. */
const exportHeap = (mode: 'buffered' | 'streamed', databaseUrl: string) => async () => {
  const server = await startServerProcess(SERVER, '/bench/heap', { MODE: mode, DATABASE_URL: databaseUrl, NODE_OPTIONS: '--expose-gc' });
  try {
    const before = (await (await fetch(`${server.url}/bench/heap`)).json()) as { nowMb: number };
    const started = performance.now();
    const response = await fetch(`${server.url}/api/export/posts.json`);
    let bytes = 0;
    for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
    const seconds = (performance.now() - started) / 1000;
    const after = (await (await fetch(`${server.url}/bench/heap`)).json()) as { peakMb: number };
    return { value: after.peakMb - before.nowMb, details: { 'MB of JSON': bytes / 1024 / 1024, seconds } };
  } finally {
    await server.stop();
  }
};

export default async function bench({ databaseUrl }: BenchContext, compare: Compare): Promise<void> {
  await compare(
    {
      id: 'listing-bytes',
      title: 'GET /api/listing (500 products as JSON): bytes on the wire for each Accept-Encoding',
      unit: 'bytes',
      higherIsBetter: false,
      cases: [
        { label: 'identity', run: wireBytes(undefined) },
        { label: 'gzip', run: wireBytes('gzip') },
        { label: 'Brotli (quality 4)', run: wireBytes('br') },
      ],
    },
    'identity',
  );
  const listing = await withCompressServer(async (server) => (await getBytes(`${server.url}${LISTING}`)).bytes);
  await compare(
    {
      id: 'compress-cpu',
      title: 'CPU time to compress the listing once, by coding and level (zlib, synchronously; the median of 21)',
      unit: 'ms per response',
      higherIsBetter: false,
      cases: [
        { label: 'gzip level 6 (the default)', run: async () => cpuPerResponse(listing, (body) => gzipSync(body)) },
        ...[4, 5, 6, 9, 11].map((quality) => ({ label: `Brotli quality ${quality}`, run: async () => cpuPerResponse(listing, brotli(quality)) })),
      ],
    },
    'gzip level 6 (the default)',
  );
  await compare(
    {
      id: 'listing-throughput',
      title: 'GET /api/listing at saturation, 32 connections for 5 s: uncompressed, gzip and Brotli (quality 4)',
      unit: 'req/s',
      higherIsBetter: true,
      cases: [
        { label: 'identity', run: listingLoad(undefined) },
        { label: 'gzip', run: listingLoad('gzip') },
        { label: 'Brotli (quality 4)', run: listingLoad('br') },
      ],
    },
    'identity',
  );
  await fillPosts(databaseUrl);
  await compare(
    {
      id: 'export-heap',
      title: `GET /api/export/posts.json, ${EXPORT_POSTS.toLocaleString('en-US')} posts read at full speed: the server's peak heap growth, buffered vs streamed`,
      unit: 'MB',
      higherIsBetter: false,
      cases: [
        { label: 'buffered (pool.query, then JSON.stringify)', run: exportHeap('buffered', databaseUrl) },
        { label: 'streamed (pg-query-stream and pipeline)', run: exportHeap('streamed', databaseUrl) },
      ],
    },
    'streamed (pg-query-stream and pipeline)',
  );
}
