// The workbook: `npm start` (and `npm start -- <command>`). Parses and dispatches only; each
// command is its own module in ./workbook/.
import { overview } from './workbook/overview.ts';

const [command = 'overview'] = process.argv.slice(2);
const commands: Record<string, () => Promise<void> | void> = { overview };

const run = commands[command];
if (!run) {
  console.error(`workbook: unknown command "${command}". Commands: ${Object.keys(commands).join(', ')}`);
  process.exitCode = 2;
} else {
  await run();
}
