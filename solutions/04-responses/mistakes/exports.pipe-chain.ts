// Streams from a cursor, but with .pipe(): an error does not travel down the chain, so a failed
// query leaves the response open and the pool client checked out.
import { Router } from 'express';
import { Readable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

export const EXPORT_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`;

async function* jsonArray(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  let separator = '';
  yield '[';
  for await (const row of rows) {
    yield separator + JSON.stringify(row);
    separator = ',';
  }
  yield ']';
}

export function exportsRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.json', async (_req, res) => {
    const client = await pool.connect();
    const rows = client.query(new QueryStream(EXPORT_SQL));
    res.type('application/json');
    const text = Readable.from(jsonArray(rows));
    text.pipe(res);
    text.on('end', () => client.release());
  });
}
