// GET /export/posts.csv without csv-stringify: a Transform that writes RFC 4180 CSV itself
// (quotes doubled, a cell quoted when it holds a comma, a quote or a line break) and neutralises
// formulas, between the cursor and res in pipeline().
import { Router } from 'express';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

const COLUMNS = ['id', 'title', 'status', 'authorId', 'createdAt'] as const;

function cell(value: unknown): string {
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`; // a formula to a spreadsheet
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(): Transform {
  return new Transform({
    writableObjectMode: true,
    construct(done) {
      this.push(`${COLUMNS.join(',')}\r\n`);
      done();
    },
    transform(row: Record<string, unknown>, _encoding, done) {
      done(null, `${COLUMNS.map((column) => cell(row[column])).join(',')}\r\n`);
    },
  });
}

export function csvRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.csv', async (_req, res) => {
    const client = await pool.connect();
    let connectionLost!: (error: Error) => void;
    const lost = new Promise<never>((_resolve, reject) => (connectionLost = reject));
    client.on('error', connectionLost);
    let failure: unknown;
    try {
      const rows = client.query(new QueryStream(`SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`));
      res.set('Content-Type', 'text/csv; charset=utf-8');
      res.set('Content-Disposition', 'attachment; filename="posts.csv"');
      await Promise.race([pipeline(rows, toCsv(), res), lost]);
    } catch (error) {
      failure = error;
      res.destroy();
    } finally {
      client.off('error', connectionLost);
      client.release(failure === undefined ? undefined : true);
    }
  });
}
