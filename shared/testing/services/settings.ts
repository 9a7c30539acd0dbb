// Every setting that decides where the suites' Postgres and Redis come from, in one place.
export const POSTGRES_IMAGE_DEFAULT = 'postgres:15.14-alpine';
export const REDIS_IMAGE_DEFAULT = 'redis:7.4.6-alpine';

export const SOURCES = ['env', 'container', 'local'] as const;
export type SourceKind = (typeof SOURCES)[number];

export interface ServiceSettings {
  /** WORKBOOK_SOURCE: use only this source (e.g. prove the container path); all when unset. */
  only?: SourceKind;
  /** A server the user named: DATABASE_URL / REDIS_URL. */
  postgresUrl?: string;
  redisUrl?: string;
  /** Images for the container source; overridable for mirrors and offline registries. */
  postgresImage: string;
  redisImage: string;
  /** Where the "local server" source looks. */
  localHost: string;
  localPostgresPort: number;
  localRedisPort: number;
}

export function readServiceSettings(env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  const only = env.WORKBOOK_SOURCE as SourceKind | undefined;
  if (only && !SOURCES.includes(only)) {
    throw new Error(`WORKBOOK_SOURCE must be one of ${SOURCES.join(', ')}; got "${only}"`);
  }
  return {
    only: only || undefined,
    postgresUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    postgresImage: env.WORKBOOK_POSTGRES_IMAGE || POSTGRES_IMAGE_DEFAULT,
    redisImage: env.WORKBOOK_REDIS_IMAGE || REDIS_IMAGE_DEFAULT,
    localHost: '127.0.0.1',
    localPostgresPort: port(env.WORKBOOK_LOCAL_POSTGRES_PORT, 5432),
    localRedisPort: port(env.WORKBOOK_LOCAL_REDIS_PORT, 6379),
  };
}

function port(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 && parsed < 65536 ? parsed : fallback;
}
