// WRONG: pipeline() alone, without the pool client's 'error' event: when the connection dies while
// the export waits for a slow reader, no read is in flight, nothing fails, and the download hangs.
import { Router } from 'express';
import { stringify } from 'csv-stringify';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

/** The columns a download may hold, in order: an allow-list, so a column added later stays private. */
const COLUMNS = ['id', 'title', 'status', 'authorId', 'createdAt'] as const;
const EXPORT_SQL = `SELECT ${COLUMNS.map((column) => `"${column}"`).join(', ')} FROM "Post" ORDER BY "id"`;

export function csvRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.csv', async (_req, res) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      const rows = client.query(new QueryStream(EXPORT_SQL, [], { batchSize: 500 }));
      const csv = stringify({
        header: true,
        columns: [...COLUMNS],
        // The default writes a Date as epoch milliseconds; ISO 8601 says the zone and reads anywhere.
        cast: { date: (date) => date.toISOString() },
        // A cell starting with =, +, - or @ is a formula to a spreadsheet: prefix it with '.
        escape_formulas: true,
      });
      res.attachment('posts.csv'); // Content-Disposition: attachment; filename="posts.csv", and text/csv
      res.type('text/csv; charset=utf-8');
      await pipeline(rows, csv, res);
    } catch (error) {
      failure = error as Error;
      res.destroy(); // cut off: a CSV that just stops would look like a shorter, complete file
    } finally {
      client.release(failure); // with an error, the pool destroys the client instead of keeping it
    }
  });
}
