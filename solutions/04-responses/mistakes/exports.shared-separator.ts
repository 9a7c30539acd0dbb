// WRONG: the separator lives at module level and each request resets it when it starts: one export
// at a time works, but two at once share it, so one array starts "[," and the other has rows glued
// together with no comma. State of one response belongs inside its handler (or its generator).
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';

/** The export's rows, in the order the array lists them. */
export const EXPORT_SQL = `SELECT "id", "title", "status", "authorId", "createdAt" FROM "Post" ORDER BY "id"`;

/** Rows fetched per round trip: enough to keep the socket busy, few enough to keep memory flat. */
const BATCH_SIZE = 500;
/** Rows are joined into chunks of about this many characters: one write per row would cost more than the JSON. */
const CHUNK_CHARS = 64 * 1024;

/** The rows as the text of one JSON array. The closing ] is written only after the last row. */
let separator = '';

async function* jsonArray(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  let chunk = '[';
  for await (const row of rows) {
    chunk += separator + JSON.stringify(row);
    separator = ',';
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]`;
}

export function exportsRouter(pool: pg.Pool): Router {
  return Router().get('/export/posts.json', async (_req, res) => {
    separator = '';
    const client = await pool.connect();
    // A connection that dies between two reads leaves the cursor waiting for an answer that never
    // comes, and pipeline() waiting for the cursor to close. The client's 'error' event is the only
    // news of it: stop waiting then.
    let connectionLost!: (error: Error) => void;
    const lost = new Promise<never>((_resolve, reject) => (connectionLost = reject));
    client.on('error', connectionLost);
    let failure: Error | undefined;
    try {
      const rows = client.query(new QueryStream(EXPORT_SQL, [], { batchSize: BATCH_SIZE }));
      res.type('application/json');
      // pipeline waits while res is full (backpressure), and on any failure (the query fails, the
      // client leaves) destroys every stream: the cursor is closed, and res is cut off without its
      // closing ], so the client sees a broken download, not a shorter array.
      await Promise.race([pipeline(rows, jsonArray, res), lost]);
    } catch (error) {
      failure = error as Error;
      res.destroy();
    } finally {
      client.off('error', connectionLost);
      // After a failure the connection's state is unknown: destroy it rather than reuse it.
      client.release(failure);
    }
  });
}
