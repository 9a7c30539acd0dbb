// The process the primary's suite starts: the primary under test (WORKBOOK_PRIMARY, a path) with
// the options in WORKBOOK_PRIMARY_OPTIONS, running primary.fixture-worker.ts in its workers; with
// WORKBOOK_PRIMARY_LOG set, its log lines go through a log function of ours ("@@log …").
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PrimaryOptions, startPrimary as StartPrimary } from './primary.ts';

const { startPrimary } = (await import(pathToFileURL(process.env.WORKBOOK_PRIMARY!).href)) as { startPrimary: typeof StartPrimary };
const options = JSON.parse(process.env.WORKBOOK_PRIMARY_OPTIONS ?? '{}') as Omit<PrimaryOptions, 'exec'>;
const log = process.env.WORKBOOK_PRIMARY_LOG ? { log: (line: string) => process.stdout.write(`@@log ${line}\n`) } : {};
startPrimary({ ...options, ...log, exec: fileURLToPath(new URL('./primary.fixture-worker.ts', import.meta.url)) });
