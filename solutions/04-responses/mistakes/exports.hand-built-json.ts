// Streams properly, but writes each row's JSON by hand: a title with a quote, a backslash or a
// line break makes the whole export unreadable.
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

export const EXPORT_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`;

interface Row {
  id: number;
  title: string;
  status: string;
  authorId: number;
  createdAt: Date;
}

async function* jsonArray(rows: AsyncIterable<Row>): AsyncGenerator<string> {
  let separator = '';
  yield '[';
  for await (const row of rows) {
    yield `${separator}{"id":${row.id},"title":"${row.title}","status":"${row.status}","authorId":${row.authorId},"createdAt":"${row.createdAt.toISOString()}"}`;
    separator = ',';
  }
  yield ']';
}

export function exportsRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.json', async (_req, res) => {
    const client = await pool.connect();
    try {
      res.type('application/json');
      await pipeline(client.query(new QueryStream(EXPORT_SQL)), jsonArray, res);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  });
}
