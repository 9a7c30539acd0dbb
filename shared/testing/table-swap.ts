// Puts a view in a table's place for one test, so code that reads the table meets rows the test
// chose: none at all, or a row whose reading fails half-way through a long result.
import type pg from 'pg';

/**
 * Renames `table` to `<table>_rows` and creates a view named `table` from `select` (which reads
 * `"<table>_rows"`). Returns a function that puts the table back. The DDL waits up to 5 s for
 * readers of the table to finish, then fails saying that something still holds it open.
 */
export async function replaceTableWithView(pool: pg.Pool, table: string, select: string): Promise<() => Promise<void>> {
  const rows = `${table}_rows`;
  await swap(pool, table, `ALTER TABLE "${table}" RENAME TO "${rows}"; CREATE VIEW "${table}" AS ${select}`);
  return () => swap(pool, table, `DROP VIEW "${table}"; ALTER TABLE "${rows}" RENAME TO "${table}"`);
}

/** Runs the DDL, waiting at most a few seconds for readers of the table to finish. */
async function swap(pool: pg.Pool, table: string, ddl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SET LOCAL lock_timeout = '5s'; ${ddl}; COMMIT`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if ((error as { code?: string }).code !== '55P03') throw error;
    throw new Error(
      `The "${table}" table was still in use 5 s after the last request ended: some connection still has a query open on it ` +
        `(a cursor never closed, or a pool client never released). Close every query when its response ends.`,
    );
  } finally {
    client.release();
  }
}
