// The workbook: `npm start [-- <command>]`, `npx workbook <command>`, `npm run workbook -- <command>`.
// Parses and dispatches only; each command is its own module in ./workbook/.
import { parseArgs } from 'node:util';
import { commands } from './workbook/commands.ts';
import { UsageError, type Command } from './workbook/command.ts';
import { COURSE_ROOT } from './course/catalog.ts';
import { SelectionError, nearest } from './course/select.ts';

function help(): string {
  const name = (command: Command) => command.usage.split(' ')[0]!;
  const width = Math.max(...commands.map((command) => name(command).length));
  return [
    'Backend Performance Workbook',
    '',
    'usage: npm start [-- <command>]   (or npx workbook <command>, npm run workbook -- <command>)',
    '',
    ...commands.map((command) => `  ${name(command).padEnd(width)}  ${command.summary}`),
    '',
    'Every command has --help.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const options = Object.entries(command.options ?? {}).map(([name, option]) => `  --${name}${option.type === 'string' ? ' <value>' : ''}`);
  return [`usage: workbook ${command.usage}`, '', command.summary, ...(command.details ? ['', command.details] : []), ...(options.length ? ['', 'options:', ...options] : []), '  --help'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name = 'overview', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`workbook: unknown command "${name}"; did you mean "${nearest(name, commands.map((candidate) => candidate.name))}"? (workbook --help lists them)`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec((error as Error).message)?.[1];
    const known = ['--help', ...Object.keys(command.options ?? {}).map((option) => `--${option}`)];
    console.error(`workbook ${name}: ${unknown ? `unknown option ${unknown}; did you mean ${nearest(unknown, known)}?` : (error as Error).message.split('\n')[0]}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(commandHelp(command));
    return 0;
  }
  try {
    return (await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined>, root: COURSE_ROOT })) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof SelectionError) {
      console.error(`workbook ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

// `npm start | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
