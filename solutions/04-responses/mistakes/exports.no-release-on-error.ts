// pipeline() and a cursor, but the pool client is released only when the export succeeds: every
// client that leaves early, and every failure, keeps a connection out of the pool for good.
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
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
    res.type('application/json');
    await pipeline(client.query(new QueryStream(EXPORT_SQL)), jsonArray, res);
    client.release();
  });
}
