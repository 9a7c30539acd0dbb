// The template database: migrations + seed, built once and reused by every run until a
// migration or the seed changes (its name carries a fingerprint of both). Each test file then
// clones it (see databases.ts), which takes a fraction of a second instead of a re-seed.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { seed } from '../db/seed.ts';
import { databaseExists, databaseUrl, dropDatabase, quoteIdent, withAdmin } from './postgres-admin.ts';

const DB_DIR = fileURLToPath(new URL('../db/', import.meta.url));
const MIGRATIONS_DIR = `${DB_DIR}migrations/`;
export const TEMPLATE_PREFIX = 'wb_template_';
// One builder at a time per server, also across concurrent runs (verify runs several).
const BUILD_LOCK = 7_200_101;

async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
}

/** Changes whenever a migration or the seed does. */
export async function templateName(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await migrationFiles()) {
    hash.update(file).update(await readFile(`${MIGRATIONS_DIR}${file}`));
  }
  hash.update(await readFile(`${DB_DIR}seed.ts`));
  return `${TEMPLATE_PREFIX}${hash.digest('hex').slice(0, 12)}`;
}

/** Applies every migration, in name order, then the seed, in one transaction. */
export async function migrateAndSeed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const file of await migrationFiles()) {
      await client.query(await readFile(`${MIGRATIONS_DIR}${file}`, 'utf8'));
    }
    await seed(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** Returns the current template's name, building it first if this server lacks it. */
export async function ensureTemplate(serverUrl: string, say: (line: string) => void): Promise<string> {
  const name = await templateName();
  return withAdmin(serverUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [BUILD_LOCK]);
    try {
      if (await databaseExists(admin, name)) return name;
      const started = Date.now();
      say(`[workbook] building template database ${name} (migrations + seed, once)…`);
      // Built under another name and renamed when complete, so a half-built template
      // (an interrupted build) is never used.
      const building = `wb_building_${process.pid}`;
      await dropDatabase(admin, building);
      await admin.query(`CREATE DATABASE ${quoteIdent(building)}`);
      try {
        await migrateAndSeed(databaseUrl(serverUrl, building));
      } catch (error) {
        await dropDatabase(admin, building);
        throw error;
      }
      await admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
      // No connections to a template: a stray one would make every clone fail.
      await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      await dropOtherTemplates(admin, name);
      say(`[workbook] template ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK]);
    }
  });
}

async function dropOtherTemplates(admin: pg.Client, keep: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2`,
    [`${TEMPLATE_PREFIX}%`, keep],
  );
  for (const { datname } of rows) await dropDatabase(admin, datname);
}
