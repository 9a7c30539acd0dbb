// A table of posts too big for an export to fit in socket buffers: on loopback the kernel holds
// several MB between a server and a paused reader, so backpressure and a connection killed while
// the export waits only show on an export of tens of MB.
import type pg from 'pg';

/**
 * Adds generated posts until "Post" holds `total` rows, less `leave` (rows the caller adds after):
 * authors 1 to 2,000, the three statuses, createdAt 7.123 ms apart from 2026-02-01 (sub-second
 * times: an export that drops the milliseconds, or shifts them by a time zone, shows).
 */
export async function fillPosts(pool: pg.Pool, total: number, { leave = 0 } = {}): Promise<void> {
  const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM "Post"`);
  await pool.query(
    `INSERT INTO "Post" ("title", "content", "status", "authorId", "createdAt")
     SELECT 'extra post ' || g, 'body', (ARRAY['draft', 'published', 'archived']::"PostStatus"[])[1 + g % 3], 1 + g % 2000,
            timestamp '2026-02-01 00:00:00' + g * interval '7.123 milliseconds'
       FROM generate_series(1, $1::int) AS g`,
    [total - Number(rows[0]!.count) - leave],
  );
}

/** Rewrites every 997th post, which moves it to the end of the table's file: a read without ORDER BY meets it out of order. */
export async function scatterPosts(pool: pg.Pool): Promise<void> {
  await pool.query(`UPDATE "Post" SET "title" = "title" WHERE "id" % 997 = 0`);
  await pool.query(`ANALYZE "Post"`);
}
