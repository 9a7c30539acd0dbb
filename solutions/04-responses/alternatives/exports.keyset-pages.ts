// GET /export/posts.json without pg-query-stream: keyset pages (WHERE id > last ORDER BY id LIMIT n)
// from an async generator, turned into JSON by a Transform, all joined by pipeline(). Each page is
// a short query of its own, so no connection is held between pages.
import { Router } from 'express';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';

export const EXPORT_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`;
const PAGE_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" WHERE "id" > $1 ORDER BY "id" LIMIT $2`;
const PAGE_SIZE = 1_000;

async function* pages(pool: pg.Pool): AsyncGenerator<Record<string, unknown>[]> {
  let after = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: number }>(PAGE_SQL, [after, PAGE_SIZE]);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

function toJsonArray(): Transform {
  let opened = false;
  return new Transform({
    writableObjectMode: true,
    transform(page: Record<string, unknown>[], _encoding, done) {
      const text = page.map((row) => JSON.stringify(row)).join(',');
      done(null, (opened ? ',' : '[') + text);
      opened = true;
    },
    flush(done) {
      done(null, opened ? ']' : '[]');
    },
  });
}

export function exportsRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.json', async (_req, res) => {
    res.type('application/json');
    try {
      await pipeline(Readable.from(pages(pool)), toJsonArray(), res);
    } catch {
      res.destroy(); // pipeline has cut the response off already; nothing else to tell the client
    }
  });
}
