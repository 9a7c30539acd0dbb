// Exercise 04 · compress: compression set up for an API. Brotli or gzip as the client asks
// (nothing when it asks for nothing), bodies under 1 kB and compressed files left alone, a
// per-request opt-out, Vary, and Brotli at a quality whose CPU cost a server can pay on every
// request. Run it with: npm test -- 04-responses/compress
//
// The suite reads the bytes exactly as they cross the wire (fetch() would decompress them and
// hide what the server did), decompresses them itself with node:zlib, and compares.
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getBytes, judged, lessonHint, startServer, suiteSection, type BytesResponse, type StartedServer } from '../../shared/testing/index.ts';
import { createApp } from './compress.ts';

const COMPRESSION = suiteSection('04-responses', '2. Compression: negotiation, a threshold, what to leave alone');
const CPU = lessonHint('04-responses', "3. Compression costs CPU: Brotli's quality");

/** What a browser sends. */
const BROWSER = 'gzip, deflate, br';

let server: StartedServer | undefined;
let setupFailure: unknown;

beforeAll(async () => {
  try {
    server = await startServer(createApp());
  } catch (error) {
    setupFailure = error; // every test then fails with it (a failing beforeAll would only skip them)
  }
});

afterAll(async () => {
  await server?.close();
});

interface Answer extends BytesResponse {
  /** Content-Encoding as sent, or 'identity' when there was none. */
  encoding: string;
  /** The body after undoing Content-Encoding, as text. */
  text: string;
}

/** The app's address, or the reason it could not be started. */
function url(): string {
  if (!server) throw new Error(`createApp() did not give an app the suite could start: ${String(setupFailure)}. ${COMPRESSION}`);
  return server.url;
}

const describedHeaders = (headers: Record<string, string>) =>
  Object.entries(headers).map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(', ') || 'no Accept-Encoding';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', '#39': "'" };
/** An error page as one line of text: Express's default one is HTML. */
const textOf = (bytes: Buffer) =>
  bytes.toString('utf8').replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|nbsp|#39);/g, (_, name: string) => ENTITIES[name]!).replace(/\s+/g, ' ').trim();

/** GET `path` with these request headers: status 200, and the body's bytes exactly as they came over the wire. */
async function raw(path: string, headers: Record<string, string> = {}): Promise<BytesResponse> {
  const sent = describedHeaders(headers);
  const answer = await getBytes(`${url()}${path}`, headers, { withinMs: 10_000 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'HUNG') {
      throw new Error(
        `GET ${path} (${sent}) got no whole answer within 10 s. A compressed body needs the uncompressed Content-Length removed ` +
          `(the client waits for bytes that never come), and the compressor ended when the response ends. ${COMPRESSION}`,
      );
    }
    throw new Error(
      `GET ${path} (${sent}) failed: ${error.message}: the connection ended before the whole answer came. A compressed body sent ` +
        `with the uncompressed Content-Length still set does that. ${COMPRESSION}`,
    );
  });
  const said = textOf(answer.bytes).slice(0, 300);
  expect(answer.status, `GET ${path} (${sent}) must answer 200; it answered ${answer.status}: ${said}. ${COMPRESSION}`).toBe(200);
  return answer;
}

/** GET `path` with these request headers; the body is decoded as its Content-Encoding says. */
async function call(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const sent = describedHeaders(headers);
  const answer = await raw(path, headers);
  const encoding = answer.headers['content-encoding'] ?? 'identity';
  let decoded: Buffer;
  try {
    decoded = decode(encoding, answer.bytes);
  } catch (error) {
    throw new Error(
      `GET ${path} (${sent}): Content-Encoding says "${encoding}", but the body does not decompress as ${encoding} ` +
        `(${(error as Error).message}). Every byte written, with res.write() or res.end(), must go through the one compressor, ` +
        `and nothing else may be written around it. ${COMPRESSION}`,
    );
  }
  return { ...answer, encoding, text: decoded.toString('utf8') };
}

function decode(encoding: string, bytes: Buffer): Buffer {
  switch (encoding) {
    case 'br':
      return brotliDecompressSync(bytes);
    case 'gzip':
      return gunzipSync(bytes);
    case 'deflate':
      return inflateSync(bytes);
    case 'identity':
      return bytes;
    default:
      throw new Error(`an encoding no client asked for`);
  }
}

const varies = (answer: BytesResponse) => (answer.headers.vary ?? '').split(',').some((name) => name.trim().toLowerCase() === 'accept-encoding' || name.trim() === '*');
const described = (acceptEncoding: string | undefined) => (acceptEncoding === undefined ? 'no Accept-Encoding header' : `Accept-Encoding: ${acceptEncoding}`);
const asked = (acceptEncoding: string | undefined): Record<string, string> => (acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding });

/** The listing as the server sends it uncompressed: what every encoding must decompress to. */
let plainListing: Buffer | undefined;
async function listingAsIs(): Promise<Buffer> {
  if (plainListing) return plainListing;
  const answer = await call('/api/listing');
  expect(answer.encoding, `GET /api/listing without Accept-Encoding must not be compressed: the client did not say it can decompress anything. ${COMPRESSION}`).toBe('identity');
  const parsed = JSON.parse(answer.bytes.toString('utf8')) as { items?: unknown[] };
  expect(parsed.items?.length, 'the listing route itself (500 items) must stay as the starter has it').toBe(500);
  return (plainListing = answer.bytes);
}

describe('negotiation: Brotli, gzip, or the body as it is', () => {
  const cases: [accept: string | undefined, expected: string, why: string][] = [
    ['br', 'br', 'the client accepts Brotli'],
    ['gzip', 'gzip', 'the client accepts gzip only: sending it Brotli would give it bytes it cannot read'],
    [BROWSER, 'br', 'what browsers send: Brotli is preferred when accepted, it is smaller for the same CPU'],
    ['gzip, deflate', 'gzip', 'no Brotli accepted: gzip'],
    ['gzip,br', 'br', 'the same list without spaces (they are optional): Brotli'],
    ['gzip;q=0.8, br;q=1.0', 'br', 'the client ranks Brotli first, with q-values'],
    ['br;q=0, gzip', 'gzip', '"br;q=0" means "not Brotli": q=0 refuses an encoding'],
    ['gzip;q=0, br', 'br', '"gzip;q=0" refuses gzip; Brotli is accepted'],
    ['gzip, br;q=0.5', 'gzip', 'the client ranks gzip (q=1, the default) above Brotli (q=0.5): its ranking comes first'],
    ['br;q=0, gzip;q=0', 'identity', 'both refused: the body as it is'],
    ['identity', 'identity', 'the client asked for the body as it is'],
    [undefined, 'identity', 'a client that sends no Accept-Encoding may not be able to decompress anything'],
  ];
  for (const [accept, expected, why] of cases) {
    test(`${described(accept)} → ${expected === 'identity' ? 'not compressed' : expected}`, async () => {
      const plain = await listingAsIs();
      const answer = await call('/api/listing', asked(accept));
      expect(
        answer.encoding,
        `GET /api/listing with ${described(accept)} must be sent ${expected === 'identity' ? 'uncompressed' : `as ${expected}`} (${why}); ` +
          `it came with ${answer.headers['content-encoding'] ? `Content-Encoding: ${answer.encoding}` : 'no Content-Encoding'}. ${COMPRESSION}`,
      ).toBe(expected);
      expect(answer.text === plain.toString('utf8'), `GET /api/listing with ${described(accept)}, once decompressed, must be the same JSON as the uncompressed listing. ${COMPRESSION}`).toBe(true);
      expect(answer.headers['content-type'], `the listing stays JSON. ${COMPRESSION}`).toMatch(/^application\/json/);
    });
  }

  test('Brotli and gzip make the 75 kB listing at least 5 times smaller', async () => {
    const plain = await listingAsIs();
    for (const encoding of ['br', 'gzip']) {
      const answer = await call('/api/listing', { 'accept-encoding': encoding });
      expect(answer.encoding, `GET /api/listing with Accept-Encoding: ${encoding} must be sent as ${encoding}. ${COMPRESSION}`).toBe(encoding);
      const ratio = plain.length / answer.bytes.length;
      expect(
        ratio,
        `the listing is ${plain.length} bytes as it is and ${answer.bytes.length} bytes as ${encoding} on the wire: ${ratio.toFixed(1)} times smaller, ` +
          `where JSON like this compresses at least 5 times. ${COMPRESSION}`,
      ).toBeGreaterThanOrEqual(5);
    }
  });

  test('a request with an x-no-compression header gets the body as it is, whatever the header says, even nothing', async () => {
    const plain = await listingAsIs();
    const usual = await call('/api/listing', { 'accept-encoding': BROWSER });
    expect(usual.encoding, `GET /api/listing with Accept-Encoding: ${BROWSER} must be compressed (Brotli). ${COMPRESSION}`).toBe('br');
    for (const value of ['', '1', 'true']) {
      const answer = await call('/api/listing', { 'accept-encoding': BROWSER, 'x-no-compression': value });
      expect(
        answer.encoding,
        `GET /api/listing with "x-no-compression: ${value}" was sent with Content-Encoding: ${answer.encoding}. The opt-out is the header ` +
          `being there, whatever its value: an empty value is still the header (req.headers['x-no-compression'] is '' then, ` +
          `which is falsy, so "if (req.headers['x-no-compression'])" misses it). ${COMPRESSION}`,
      ).toBe('identity');
      expect(answer.bytes.equals(plain), `with x-no-compression, the listing exactly as it is. ${COMPRESSION}`).toBe(true);
    }
  });

  test('every answer whose encoding depended on Accept-Encoding says so: Vary: Accept-Encoding', async () => {
    for (const accept of ['br', 'gzip', 'identity', undefined]) {
      const answer = await call('/api/listing', asked(accept));
      expect(
        varies(answer),
        `GET /api/listing with ${described(accept)} came with Vary: ${answer.headers.vary ?? '(none)'}. Its bytes depend on Accept-Encoding, ` +
          `compressed or not: without Vary: Accept-Encoding a shared cache (a CDN, a proxy) keeps the first copy and serves it to ` +
          `every client, Brotli to one that cannot read it, or the uncompressed copy to all. ${COMPRESSION}`,
      ).toBe(true);
    }
    const streamed = await call('/api/stream', { 'accept-encoding': 'br' });
    expect(varies(streamed), `GET /api/stream as Brotli came with Vary: ${streamed.headers.vary ?? '(none)'}; it needs Vary: Accept-Encoding too. ${COMPRESSION}`).toBe(true);
  });
});

describe('what is compressed, and what is left alone', () => {
  test('a body under 1 kB is sent as it is', async () => {
    for (const accept of ['br', 'gzip', BROWSER]) {
      const answer = await call('/api/small', { 'accept-encoding': accept });
      expect(answer.text.length, 'the route /api/small itself must stay as the starter has it (under 1 kB)').toBeLessThan(1024);
      expect(
        answer.encoding,
        `GET /api/small (${answer.text.length} bytes) with Accept-Encoding: ${accept} came as ${answer.encoding}. Below the 1 kB threshold, ` +
          `compressing costs more than it saves: the body already fits in one packet, and the compressor's CPU and the extra header buy nothing. ${COMPRESSION}`,
      ).toBe('identity');
      expect(() => JSON.parse(answer.text), 'the small body is JSON').not.toThrow();
    }
  });

  test('JavaScript and SVG above the threshold are compressed', async () => {
    for (const [path, type] of [['/app.js', /javascript/], ['/icon.svg', /^image\/svg\+xml/]] as const) {
      const plain = await call(path);
      expect(plain.encoding, `GET ${path} without Accept-Encoding: not compressed. ${COMPRESSION}`).toBe('identity');
      expect(plain.bytes.length, `the route ${path} itself must stay as the starter has it (over 1 kB)`).toBeGreaterThan(1024);
      for (const encoding of ['br', 'gzip']) {
        const answer = await call(path, { 'accept-encoding': encoding });
        expect(
          answer.encoding,
          `GET ${path} (${answer.headers['content-type']}, ${plain.bytes.length} bytes, over the 1 kB threshold) with Accept-Encoding: ${encoding} ` +
            `came as ${answer.encoding}. JavaScript and SVG are text and shrink like JSON: a filter with a type list of its own (json|text) ` +
            `leaves them out, and so does a threshold above 1 kB. The default filter (compression.filter) knows every compressible type. ${COMPRESSION}`,
        ).toBe(encoding);
        expect(answer.text === plain.bytes.toString('utf8'), `GET ${path} as ${encoding}, decompressed, must be the same file. ${COMPRESSION}`).toBe(true);
        expect(answer.headers['content-type'], `GET ${path} keeps its Content-Type. ${COMPRESSION}`).toMatch(type);
      }
    }
  });

  test('PNG images and zip archives are sent as they are: they are compressed already', async () => {
    for (const [path, type] of [['/logo.png', 'image/png'], ['/bundle.zip', 'application/zip']] as const) {
      const plain = await call(path);
      for (const accept of ['br', 'gzip', BROWSER]) {
        const answer = await call(path, { 'accept-encoding': accept });
        expect(
          answer.encoding,
          `GET ${path} (${type}, ${answer.bytes.length} bytes) with Accept-Encoding: ${accept} came as ${answer.encoding}. A PNG or a zip is ` +
            `compressed by its format already: compressing it again spends CPU and saves nothing (it often grows). Keep the default ` +
            `filter's test of the type (compression.filter) in yours. ${COMPRESSION}`,
        ).toBe('identity');
        expect(answer.bytes.equals(plain.bytes), `GET ${path}: the same bytes whatever the Accept-Encoding. ${COMPRESSION}`).toBe(true);
        expect(answer.headers['content-type'], `GET ${path} keeps its Content-Type. ${COMPRESSION}`).toMatch(new RegExp(`^${type}`));
      }
    }
  });

  test('a response written in pieces, without a Content-Length, is compressed too, and still sent in pieces', async () => {
    const plain = await listingAsIs();
    // The route never says its size: a Content-Length means something held the whole body first.
    const stillStreamed = (answer: Answer, asked: string) =>
      expect(
        answer.headers['content-length'],
        `GET /api/stream (${asked}) came with Content-Length: ${answer.headers['content-length']}. The route writes its body in pieces and ` +
          `never says its size, so the whole body was held in memory before its first byte went out: a middleware that collects ` +
          `res.write() calls until res.end() turns every streamed response into a buffered one, the memory and the wait that ` +
          `streaming is there to avoid. Pass each piece on as it comes, through the compressor or not (compression() does). ${COMPRESSION}`,
      ).toBeUndefined();
    const asIs = await call('/api/stream');
    stillStreamed(asIs, 'no Accept-Encoding');
    expect(asIs.bytes.equals(plain), 'GET /api/stream without Accept-Encoding: the listing, as it is').toBe(true);
    for (const encoding of ['br', 'gzip']) {
      const answer = await call('/api/stream', { 'accept-encoding': encoding });
      expect(
        answer.encoding,
        `GET /api/stream (about ${Math.round(plain.length / 1000)} kB, written with res.write() and no Content-Length) with Accept-Encoding: ${encoding} ` +
          `came as ${answer.encoding}. A streamed response has no Content-Length: a threshold that reads it must take "unknown" as ` +
          `"large", and the compressor must take what res.write() sends, not only res.end(). ${COMPRESSION}`,
      ).toBe(encoding);
      expect(answer.text === plain.toString('utf8'), `GET /api/stream as ${encoding}, decompressed, must be the listing's JSON. ${COMPRESSION}`).toBe(true);
      stillStreamed(answer, `Accept-Encoding: ${encoding}`);
    }
  });
});

describe("compression's CPU cost", () => {
  test('Brotli costs no more than 4 times the CPU gzip costs for the same listing', async ({ annotate }) => {
    const BOUND = 4;
    const plain = await listingAsIs();
    let overOnce = false;
    // The server runs in this process, so process.cpuUsage() counts its work, zlib's threads
    // included. An encoding's cost is the CPU of a request for it above an uncompressed request's:
    // medians of requests sent in turn, so whatever else the machine does weighs on all three alike.
    // The yardstick is the server's gzip, or the same listing gzipped here at zlib's default level
    // if that costs more: a fast gzip (level 1) must not make a sound Brotli look costly.
    // A verdict of "too costly" must hold in two measurements in a row: one run can be spoiled
    // (a burst of work elsewhere in this process lands on the Brotli requests), two in a row are not.
    await judged(
      async () => {
        const spent: Record<'br' | 'gzip' | 'identity' | 'reference', number[]> = { br: [], gzip: [], identity: [], reference: [] };
        let brTotal = 0;
        for (let round = 0; round < 20 && !(round >= 5 && brTotal > 1_000); round += 1) {
          const order = (['br', 'gzip', 'identity'] as const).map((_, i, all) => all[(i + round) % 3]!);
          for (const encoding of order) {
            // The raw bytes only: decompressing them here would add the client's CPU to the server's.
            const before = process.cpuUsage();
            const answer = await raw('/api/listing', { 'accept-encoding': encoding });
            const used = process.cpuUsage(before);
            expect(answer.headers['content-encoding'] ?? 'identity', `GET /api/listing with Accept-Encoding: ${encoding} must be sent as ${encoding} (see the tests above). ${COMPRESSION}`).toBe(encoding);
            spent[encoding].push(milliseconds(used));
            if (encoding === 'br') brTotal += milliseconds(used);
          }
          const before = process.cpuUsage();
          gzipSync(plain);
          spent.reference.push(milliseconds(process.cpuUsage(before)));
        }
        const base = median(spent.identity);
        const br = median(spent.br) - base;
        const gzip = median(spent.gzip) - base;
        const reference = median(spent.reference);
        const yardstick = Math.max(gzip, reference);
        const ratio = br / yardstick;
        await annotate(
          `CPU per listing above an uncompressed request's ${base.toFixed(2)} ms: Brotli ${br.toFixed(2)} ms, gzip ${gzip.toFixed(2)} ms ` +
            `(zlib's default gzip here: ${reference.toFixed(2)} ms); Brotli/gzip ${ratio.toFixed(2)}`,
          'measured',
        );
        if (ratio > BOUND && !overOnce) {
          overOnce = true;
          return false;
        }
        expect(
          ratio,
          `Brotli cost ${br.toFixed(2)} ms of CPU per listing and gzip ${yardstick.toFixed(2)} ms${yardstick === gzip ? '' : " (zlib's default level: yours costs less)"}, ` +
            `measured side by side, twice: ${ratio.toFixed(1)} times as much, where up to ${BOUND} times is expected. Brotli's quality sets its cost: ` +
            `quality 4 (compression()'s default) costs about what gzip does; 9 costs ten times as much or more, 11 (Node's own default) ` +
            `fifty to a hundred and fifty times, to save a few kilobytes on a body that quality 4 already made six times smaller. On a server ` +
            `that pays it on every request, leave the quality at 4 (11 is for files compressed once, at build time). ${CPU}`,
        ).toBeLessThanOrEqual(BOUND);
        return true;
      },
      { attempts: 2, busy: 'Brotli measured over the bound, then the run could not be repeated' },
    );
  });
});

const milliseconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
