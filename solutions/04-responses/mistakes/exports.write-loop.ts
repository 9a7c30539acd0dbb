// The popular tutorial's export: pages of rows written in a loop. res.write's return value is
// ignored (no backpressure), the loop carries on after the client has gone, and a failure half-way
// leaves the response open.
import { Router } from 'express';
import type pg from 'pg';

export const EXPORT_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`;

export function exportsRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.json', async (_req, res) => {
    res.type('application/json');
    res.write('[');
    let after = 0;
    let first = true;
    for (;;) {
      const { rows } = await pool.query(
        `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" WHERE "id" > $1 ORDER BY "id" LIMIT 1000`,
        [after],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        res.write((first ? '' : ',') + JSON.stringify(row));
        first = false;
      }
      after = rows[rows.length - 1].id;
    }
    res.end(']');
  });
}
