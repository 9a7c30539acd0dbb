// A CSV written by hand with join(','): no quoting, so a title with a comma, a quote or a line
// break shifts or splits its line.
import { Router } from 'express';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

const COLUMNS = ['id', 'title', 'status', 'authorId', 'createdAt'] as const;

function toCsv(): Transform {
  let started = false;
  return new Transform({
    writableObjectMode: true,
    transform(row: Record<string, unknown>, _encoding, done) {
      const cells = COLUMNS.map((column) => {
        const value = row[column];
        const text = value instanceof Date ? value.toISOString() : String(value);
        return /^[=+\-@]/.test(text) ? `'${text}` : text;
      });
      done(null, `${started ? '' : `${COLUMNS.join(',')}\n`}${cells.join(',')}\n`);
      started = true;
    },
  });
}

export function csvRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.csv', async (_req, res) => {
    const client = await pool.connect();
    let failure: unknown;
    try {
      res.attachment('posts.csv');
      res.type('text/csv; charset=utf-8');
      await pipeline(client.query(new QueryStream(`SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`)), toCsv(), res);
    } catch (error) {
      failure = error;
      res.destroy();
    } finally {
      client.release(failure === undefined ? undefined : true);
    }
  });
}
