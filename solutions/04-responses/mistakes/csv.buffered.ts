// csv-stringify's sync API over every row at once: right on the wire, but the whole table sits in
// memory as rows and then as text before the first byte goes out.
import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import type pg from 'pg';

const COLUMNS = ['id', 'title', 'status', 'authorId', 'createdAt'] as const;

export function csvRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.csv', async (_req, res) => {
    const { rows } = await pool.query(`SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`);
    const text = stringify(rows, { header: true, columns: [...COLUMNS], cast: { date: (date) => date.toISOString() }, escape_formulas: true });
    res.attachment('posts.csv');
    res.type('text/csv; charset=utf-8').send(text);
  });
}
