// GET /export/posts.csv: every post, in id order, as a CSV download, one line per post under a
// header line: id,title,status,authorId,createdAt (createdAt in ISO 8601, e.g. 2025-11-02T10:15:00.000Z).
import { Router } from 'express';
import { stringify } from 'csv-stringify';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

export function csvRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.csv', async (_req, res) => {
    // TODO: the tutorial's CSV export. .pipe() does not pass errors along (a failed query leaves the
    // download hanging, and the pool client checked out); SELECT * sends every column; dates come
    // out as epoch milliseconds; a title like =HYPERLINK(…) becomes a formula in the reader's
    // spreadsheet; and nothing tells the browser this is a file to save.
    const client = await pool.connect();
    const rows = client.query(new QueryStream(`SELECT * FROM "Post" ORDER BY "id"`));
    res.type('text/plain');
    rows.pipe(stringify({ header: true })).pipe(res);
    rows.on('end', () => client.release());
  });
}
