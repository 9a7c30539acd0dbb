// Every setting that decides where the suites' services come from, in one place.
import { SERVICES } from './descriptions.ts';
import type { ServiceName } from './types.ts';

export const SOURCES = ['env', 'container', 'local'] as const;
export type SourceKind = (typeof SOURCES)[number];

export interface ServiceSetting {
  /** A server the user named (DATABASE_URL, REDIS_URL): it wins, and it must answer. */
  url?: string;
  /** The image for the container source; overridable for mirrors and offline registries. */
  image: string;
  /** Where the "local server" source looks. */
  localPort: number;
}

export interface ServiceSettings {
  /** WORKBOOK_SOURCE: use only this source (e.g. prove the container path); all when unset. */
  only?: SourceKind;
  localHost: string;
  services: Record<ServiceName, ServiceSetting>;
}

export function readServiceSettings(env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  const only = env.WORKBOOK_SOURCE as SourceKind | undefined;
  if (only && !SOURCES.includes(only)) {
    throw new Error(`WORKBOOK_SOURCE must be one of ${SOURCES.join(', ')}; got "${only}"`);
  }
  const services = Object.fromEntries(
    SERVICES.map((service) => [
      service.name,
      { url: env[service.urlEnv] || undefined, image: env[service.imageEnv] || service.defaultImage, localPort: port(env[service.portEnv], service.defaultPort) },
    ]),
  ) as Record<ServiceName, ServiceSetting>;
  return { only: only || undefined, localHost: '127.0.0.1', services };
}

function port(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 && parsed < 65536 ? parsed : fallback;
}
