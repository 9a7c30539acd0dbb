export type ServiceName = 'postgres' | 'redis';

/** A server the suites can use, wherever it came from. */
export interface RunningService {
  url: string;
  /** Said to the user: where this server came from. */
  source: string;
  /** Stops what this run started; a no-op for servers it found running. */
  stop(): Promise<void>;
}
