// Client factories: every pg pool and Prisma client in the course is made here, so the
// harness can observe them and lessons can show the settings in one place.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.ts';

export { Prisma, type PrismaClient } from './generated/client.ts';
export type { PostStatus, Tier } from './generated/enums.ts';

// The schema's timestamps are UTC without a zone (timestamp(3)). pg reads such a value as local
// time; Prisma reads it as UTC. Read it as UTC here too, so results do not depend on the
// machine's time zone.
const TIMESTAMP_WITHOUT_ZONE = 1114;
const utcTimestamps: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_WITHOUT_ZONE && format !== 'binary'
      ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(connectionString: string, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, types: utcTimestamps, ...options });
  // An idle client whose connection dies emits 'error' on the pool; without a listener that
  // error would crash the process (lesson 03 explains).
  pool.on('error', () => {});
  return pool;
}

/** A Prisma client that sends its SQL through the given pg pool (Prisma 7 driver adapter). */
export function createPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
