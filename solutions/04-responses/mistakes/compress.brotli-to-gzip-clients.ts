// Known wrong (Brotli sent to every client that accepts any compression, including one that
// accepts gzip only and cannot read it).
// Otherwise the hand-written alternative.
import type { Transform } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import onHeaders from 'on-headers';

/** One product of the catalogue listing, from a small fixed generator: the same every run. */
interface Product {
  id: number;
  sku: string;
  name: string;
  category: string;
  price: number;
  stock: number;
  tags: string[];
  updatedOn: string;
}

const COLOURS = ['red', 'blue', 'green', 'black', 'white', 'copper', 'steel'];
const THINGS = ['kettle', 'teapot', 'mug', 'saucer', 'tray', 'jug', 'canister', 'strainer', 'cosy', 'caddy', 'infuser'];
const CATEGORIES = ['kitchen', 'tableware', 'storage', 'gifts', 'outdoor'];
const TAGS = ['new', 'sale', 'eco', 'bestseller', 'limited', 'gift', 'dishwasher-safe'];

function product(i: number): Product {
  return {
    id: 1000 + i,
    sku: `T${String((i * 7919) % 100_000).padStart(5, '0')}`,
    name: `${COLOURS[i % COLOURS.length]} ${THINGS[(i * 3) % THINGS.length]}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    price: ((i * 4_231) % 9_000) / 100 + 5,
    stock: (i * 37) % 250,
    tags: [TAGS[i % TAGS.length]!, TAGS[(i * 5 + 2) % TAGS.length]!],
    updatedOn: new Date(Date.UTC(2025, 0, 1) + i * 43_200_000).toISOString().slice(0, 10),
  };
}

/** Bytes that stand for a file compressed by its own format (a PNG, a zip): noise, the same every run. */
function fileBytes(signature: number[], size: number): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from(signature).copy(bytes);
  let state = 0x2545f491;
  for (let i = signature.length; i < size; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** A catalogue page: 500 products, about 75 kB as JSON. */
const PRODUCTS = Array.from({ length: 500 }, (_, i) => product(i));
const LOGO = fileBytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 12_000);
const BUNDLE = fileBytes([0x50, 0x4b, 0x03, 0x04], 12_000);
const SCRIPT = Array.from({ length: 60 }, (_, i) => `export function step${i}(state) {\n  return { ...state, count: state.count + ${i}, label: 'step ${i}' };\n}\n`).join('');
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">\n' +
  Array.from({ length: 40 }, (_, i) => `  <circle cx="${(i * 7) % 64}" cy="${(i * 11) % 64}" r="${(i % 5) + 2}" fill="#c86f3c" opacity="0.${(i % 9) + 1}"/>\n`).join('') +
  '</svg>\n';

/** A signed-in user's account summary: about 500 bytes as JSON, under the threshold. */
const ACCOUNT = {
  id: 'u_7f3a9c',
  name: 'Ada Okafor',
  email: 'ada.okafor@example.com',
  tier: 'pro',
  createdAt: '2023-04-18T09:12:44.000Z',
  preferences: { currency: 'EUR', language: 'en-GB', newsletter: false, theme: 'dark' },
  addresses: [
    { label: 'home', line1: '14 Harbour Lane', city: 'Cork', postcode: 'T12 X2Y4', country: 'IE' },
    { label: 'work', line1: '3 Dock Street', city: 'Cork', postcode: 'T12 R5K8', country: 'IE' },
  ],
  cart: { items: 3, total: 64.5 },
  wishlist: [1004, 1017, 1120, 1233, 1401],
  lastOrders: ['o_91822', 'o_91107', 'o_90455'],
};

/** Bodies under this many bytes are sent as they are. */
const THRESHOLD = 1024;
/** Types that shrink when compressed: text, JSON, JavaScript, XML and SVG; not PNGs or zips. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|x-javascript|xml|[\w.-]+\+(?:json|xml))|image\/svg\+xml)/i;

type Coding = 'br' | 'gzip' | 'identity';

/** Every client that compresses at all reads Brotli nowadays: Brotli whenever anything is accepted. */
function negotiate(header: string | undefined): Coding {
  return header && /\b(?:br|gzip)\b/.test(header) ? 'br' : 'identity';
}

type WriteCallback = (error?: Error | null) => void;
type Write = (chunk: unknown, encoding?: BufferEncoding, callback?: WriteCallback) => boolean;
type End = (chunk?: unknown, encoding?: BufferEncoding, callback?: () => void) => Response;

const toBuffer = (chunk: unknown, encoding?: BufferEncoding): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk as Uint8Array);

/**
 * Compression by hand: the coding is chosen when the headers go out (on-headers), and from then
 * on everything the route writes, with res.write() or res.end(), goes through one zlib stream.
 */
function compressResponses(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const write = res.write.bind(res) as Write;
    const end = res.end.bind(res) as End;
    let compressor: Transform | undefined;
    /** The body's size when res.end() wrote it whole before the headers went out. */
    let lengthAtEnd: number | undefined;
    let ended = false;

    onHeaders(res, () => {
      if (req.headers['x-no-compression'] !== undefined) return;
      if (!COMPRESSIBLE.test(String(res.getHeader('content-type') ?? ''))) return;
      // From here on the bytes depend on Accept-Encoding, whether this answer is compressed or not.
      res.vary('Accept-Encoding');
      const declared = res.getHeader('content-length');
      const length = declared === undefined ? lengthAtEnd : Number(declared);
      // No length known (a response written in pieces): taken as large.
      if (length !== undefined && length < THRESHOLD) return;
      if (res.getHeader('content-encoding') !== undefined || req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) return;
      const coding = negotiate(req.headers['accept-encoding']);
      if (coding === 'identity') return;
      compressor =
        coding === 'br'
          ? createBrotliCompress({
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 4,
                ...(length === undefined ? {} : { [constants.BROTLI_PARAM_SIZE_HINT]: length }),
              },
            })
          : createGzip();
      res.setHeader('Content-Encoding', coding);
      res.removeHeader('Content-Length');
      const stream = compressor;
      stream.on('data', (chunk: Buffer) => {
        if (!write(chunk)) stream.pause();
      });
      res.on('drain', () => stream.resume());
      // A route waiting for 'drain' after res.write() returned false is waiting for the compressor.
      stream.on('drain', () => res.emit('drain'));
      stream.on('end', () => end());
      stream.on('error', (error) => res.destroy(error));
    });
    // A client gone before the end: free the compressor's native memory now.
    res.once('close', () => compressor?.destroy());

    res.write = function writeCompressed(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
      if (typeof encoding === 'function') [encoding, callback] = [undefined, encoding];
      if (ended) return false;
      if (!res.headersSent) res.writeHead(res.statusCode);
      return compressor ? compressor.write(toBuffer(chunk, encoding), callback) : write(chunk, encoding, callback);
    } as Response['write'];

    res.end = function endCompressed(chunk?: unknown, encoding?: BufferEncoding | (() => void), callback?: () => void): Response {
      if (typeof chunk === 'function') [chunk, callback] = [undefined, chunk as () => void];
      if (typeof encoding === 'function') [encoding, callback] = [undefined, encoding];
      if (ended) return res;
      if (!res.headersSent) {
        if (res.getHeader('content-length') === undefined) lengthAtEnd = chunk === undefined || chunk === null ? 0 : toBuffer(chunk, encoding).length;
        res.writeHead(res.statusCode);
      }
      if (!compressor) return end(chunk, encoding, callback);
      ended = true;
      if (callback) res.once('finish', callback);
      if (chunk === undefined || chunk === null) compressor.end();
      else compressor.end(toBuffer(chunk, encoding));
      return res;
    } as Response['end'];

    next();
  };
}

export function createApp(): express.Express {
  const app = express();

  // Before the routes, so every response passes through it.
  app.use(compressResponses());

  app.get('/api/listing', (_req: Request, res: Response) => void res.json({ items: PRODUCTS, total: PRODUCTS.length }));
  app.get('/api/small', (_req: Request, res: Response) => void res.json(ACCOUNT));
  // Written piece by piece, without a Content-Length: its size is not known when the headers go.
  app.get('/api/stream', async (_req: Request, res: Response) => {
    res.type('application/json');
    res.write('{"items":[');
    for (let start = 0; start < PRODUCTS.length; start += 100) {
      const page = PRODUCTS.slice(start, start + 100).map((item) => JSON.stringify(item));
      res.write((start === 0 ? '' : ',') + page.join(','));
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end(`],"total":${PRODUCTS.length}}`);
  });
  app.get('/logo.png', (_req: Request, res: Response) => void res.type('image/png').send(LOGO));
  app.get('/bundle.zip', (_req: Request, res: Response) => void res.type('application/zip').send(BUNDLE));
  app.get('/app.js', (_req: Request, res: Response) => void res.type('application/javascript').send(SCRIPT));
  app.get('/icon.svg', (_req: Request, res: Response) => void res.type('image/svg+xml').send(ICON));
  return app;
}
