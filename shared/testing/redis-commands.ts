// watchCommands(client): the commands code sends through an ioredis client, by name, and a way to
// make the next EVALSHA fail with NOSCRIPT (as after a Redis restart) without touching the
// server's script cache, which other suites and the learner's own apps share.
// Every ioredis command (get, call, evalsha, a defineCommand script) goes through the instance's
// sendCommand: wrapping it on the instance sees them all, whichever API the code chose.
import type { Redis } from 'ioredis';

export interface CommandWatch {
  /**
   * Names (lower case) of the commands sent since the watch began or was last reset, as created:
   * a defineCommand script's first use on a connection shows as evalsha, though ioredis writes it as EVAL.
   */
  readonly sent: string[];
  /** How many of `sent` are `name`. */
  count(name: string): number;
  reset(): void;
  /** The next EVALSHA is answered NOSCRIPT by the client itself, as Redis does when its script cache is empty. */
  failNextEvalsha(): void;
  /** Puts the client's own sendCommand back. */
  stop(): void;
}

interface CommandLike {
  name: string;
  reject(error: Error): void;
  promise: Promise<unknown>;
}

export function watchCommands(client: Redis): CommandWatch {
  const sent: string[] = [];
  let noScriptPending = false;
  const own = client.sendCommand;
  const wrapped = function (this: Redis, command: CommandLike, ...rest: unknown[]) {
    const name = command.name.toLowerCase();
    sent.push(name);
    if (name === 'evalsha' && noScriptPending) {
      noScriptPending = false;
      command.reject(Object.assign(new Error('NOSCRIPT No matching script. Please use EVAL.'), { name: 'ReplyError' }));
      return command.promise;
    }
    return (own as (...args: unknown[]) => unknown).call(this, command, ...rest);
  };
  (client as unknown as { sendCommand: unknown }).sendCommand = wrapped;
  return {
    sent,
    count: (name) => sent.filter((each) => each === name.toLowerCase()).length,
    reset: () => void sent.splice(0),
    failNextEvalsha: () => void (noScriptPending = true),
    stop: () => void delete (client as unknown as { sendCommand?: unknown }).sendCommand,
  };
}
