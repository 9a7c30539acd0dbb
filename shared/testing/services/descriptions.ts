// One description per service the suites need: how it is named in settings, how to probe a URL,
// where a local server listens, and how to start its container. Adding a service means adding
// one object here (and its ServiceName); the provider, the settings and doctor loop over them.
import { probePostgres, probeRedis } from './probe.ts';
import type { RunningService, ServiceName } from './types.ts';

export interface ServiceDescription {
  name: ServiceName;
  /** The environment variable holding a URL the user chose (it wins, and must answer). */
  urlEnv: string;
  /** The container image: the environment variable that overrides it, and the pinned default. */
  imageEnv: string;
  defaultImage: string;
  /** Where the "local server" source looks. */
  portEnv: string;
  defaultPort: number;
  localUrl(host: string, port: number): string;
  /** Null when a server answers at the URL, else why not. */
  probe(url: string): Promise<string | null>;
  /** Starts a container (loaded only when the container source is tried). */
  startContainer(image: string): Promise<RunningService>;
}

export const SERVICES: readonly ServiceDescription[] = [
  {
    name: 'postgres',
    urlEnv: 'DATABASE_URL',
    imageEnv: 'WORKBOOK_POSTGRES_IMAGE',
    defaultImage: 'postgres:15.14-alpine',
    portEnv: 'WORKBOOK_LOCAL_POSTGRES_PORT',
    defaultPort: 5432,
    localUrl: (host, port) => `postgres://postgres@${host}:${port}/postgres`,
    probe: probePostgres,
    startContainer: async (image) => (await import('./containers.ts')).startPostgresContainer(image),
  },
  {
    name: 'redis',
    urlEnv: 'REDIS_URL',
    imageEnv: 'WORKBOOK_REDIS_IMAGE',
    defaultImage: 'redis:7.4.6-alpine',
    portEnv: 'WORKBOOK_LOCAL_REDIS_PORT',
    defaultPort: 6379,
    localUrl: (host, port) => `redis://${host}:${port}`,
    probe: probeRedis,
    startContainer: async (image) => (await import('./containers.ts')).startRedisContainer(image),
  },
];
