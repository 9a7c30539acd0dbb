// One database per test file, cloned from the template and dropped when the file is done, so
// files can run in parallel and leave nothing behind.
import { randomBytes } from 'node:crypto';
import { databaseUrl, dropDatabase, quoteIdent, withAdmin } from './postgres-admin.ts';
import { processExists } from './processes.ts';

export const FILE_DATABASE_PREFIX = 'wb_file_';

/** Creates a fresh copy of the template; its name carries this process's pid (see sweep). */
export async function createFileDatabase(serverUrl: string, template: string): Promise<{ name: string; url: string }> {
  const name = `${FILE_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (admin) =>
    admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)} STRATEGY FILE_COPY`),
  );
  return { name, url: databaseUrl(serverUrl, name) };
}

export async function dropFileDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (admin) => dropDatabase(admin, name));
}

/**
 * Drops file databases left by runs that were killed before their teardown: those whose
 * creating process is gone from this machine. Another live run's databases are kept.
 */
export async function sweepAbandonedFileDatabases(serverUrl: string): Promise<string[]> {
  return withAdmin(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${FILE_DATABASE_PREFIX}%`],
    );
    const abandoned = rows.map((row) => row.datname).filter((name) => !processAlive(pidOf(name)));
    for (const name of abandoned) await dropDatabase(admin, name);
    return abandoned;
  });
}

function pidOf(name: string): number {
  return Number(name.slice(FILE_DATABASE_PREFIX.length).split('_')[0]);
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // not ours to judge
  return processExists(pid);
}
