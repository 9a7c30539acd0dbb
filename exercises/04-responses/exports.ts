// GET /export/posts.json: every post, in id order, as one JSON array:
// [{ "id": 1, "title": "…", "status": "published", "authorId": 7, "createdAt": "2025-11-02T10:15:00.000Z" }, …]
import { Router } from 'express';
import type pg from 'pg';

/** The export's rows, in the order the array lists them. */
export const EXPORT_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`;

export function exportsRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.json', async (_req, res) => {
    // TODO: this loads every row, then builds one string of them all, before the first byte goes
    // out: memory grows with the table (hundreds of MB for a few hundred thousand posts), and a
    // client that leaves half-way changes nothing. Stream it instead: rows from a database cursor
    // (pg-query-stream), turned into JSON text a row at a time, through stream.promises.pipeline
    // into res, so a slow reader slows the query down and a departed one stops it.
    const { rows } = await pool.query(EXPORT_SQL);
    res.type('application/json').send(JSON.stringify(rows));
  });
}
