// WRONG: a loop over the cursor that writes each row with res.write() and never looks at what it
// returns: the cursor is read as fast as Postgres answers, and a slow reader's share piles up in
// the response's buffer in Node. The rows come from a stream, yet nothing waits for the reader.
import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

const COLUMNS = ['id', 'title', 'status', 'authorId', 'createdAt'];
const EXPORT_SQL = `SELECT ${COLUMNS.map((column) => `"${column}"`).join(', ')} FROM "Post" ORDER BY "id"`;
const OPTIONS = { columns: COLUMNS, cast: { date: (date: Date) => date.toISOString() }, escape_formulas: true };

export function csvRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.csv', async (_req, res) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    const rows = client.query(new QueryStream(EXPORT_SQL, [], { batchSize: 500 }));
    const connectionLost = (error: Error) => rows.destroy(error);
    client.on('error', connectionLost);
    res.on('close', () => {
      if (!res.writableFinished) rows.destroy(new Error('the client left'));
    });
    res.attachment('posts.csv');
    try {
      res.write(`${COLUMNS.join(',')}\n`);
      for await (const row of rows) res.write(stringify([row], OPTIONS));
      res.end();
    } catch (error) {
      failure = error as Error;
      res.destroy();
    } finally {
      client.off('error', connectionLost);
      client.release(failure);
    }
  });
}
