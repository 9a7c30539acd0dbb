// WRONG: SELECT * with the columns listed only for csv-stringify: the file is right, but Postgres
// reads every post's content (and any column added later) for the code to throw away.
import { Router } from 'express';
import { stringify } from 'csv-stringify';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

/** The columns a download may hold, in order: an allow-list, so a column added later stays private. */
const COLUMNS = ['id', 'title', 'status', 'authorId', 'createdAt'] as const;
const EXPORT_SQL = `SELECT * FROM "Post" ORDER BY "id"`;

export function csvRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.csv', async (_req, res) => {
    const client = await pool.connect();
    // As in the JSON export: a connection that dies between two reads is told only by 'error'.
    let connectionLost!: (error: Error) => void;
    const lost = new Promise<never>((_resolve, reject) => (connectionLost = reject));
    client.on('error', connectionLost);
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
      await Promise.race([pipeline(rows, csv, res), lost]);
    } catch (error) {
      failure = error as Error;
      res.destroy(); // cut off: a CSV that just stops would look like a shorter, complete file
    } finally {
      client.off('error', connectionLost);
      client.release(failure); // with an error, the pool destroys the client instead of keeping it
    }
  });
}
