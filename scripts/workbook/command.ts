// What every workbook command is: a name, its help, its options, and a run function. The
// dispatcher (scripts/workbook.ts) parses arguments once, the same way for all of them.
import type { ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  /** The checkout the learner works in: the one this CLI belongs to. */
  root: string;
}

export interface Command {
  name: string;
  /** One line, for the list of commands. */
  summary: string;
  /** e.g. "check <lesson|exercise>" */
  usage: string;
  /** More help, shown by --help. */
  details?: string;
  options?: Options;
  /** Resolves to the exit code (0 when omitted). */
  run(context: CommandContext): Promise<number | void> | number | void;
}

/** "lesson or exercise" arguments accept: a number, a folder, a word, an exercise. */
export const SELECTOR_HELP = 'A lesson is its number (02), folder (02-queries) or word (queries); an exercise is its name (monitor) or lesson/name (01-timing/monitor).';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function requireOne(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expects one ${what}`);
  return positionals[0]!;
}
