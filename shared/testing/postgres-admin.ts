// Creating and dropping whole databases on the suites' server. Identifiers are made here from
// fixed prefixes and hex, never from user input, and are always quoted.
import type pg from 'pg';

export async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  // Imported here, not at the top: every suite file loads this module, few of them use Postgres.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same server, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function databaseExists(client: pg.ClientBase, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

export async function dropDatabase(client: pg.ClientBase, name: string): Promise<void> {
  // A template cannot be dropped; FORCE ends connections a crashed test may have left open.
  await client.query(`ALTER DATABASE ${quoteIdent(name)} IS_TEMPLATE false`).catch(() => {});
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}
