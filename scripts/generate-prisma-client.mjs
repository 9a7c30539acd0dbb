#!/usr/bin/env node
// Runs on `npm install`: generates the Prisma client into shared/db/generated.
// `prisma generate` never runs Prisma's schema engine, but the CLI still tries to download it
// unless PRISMA_SCHEMA_ENGINE_BINARY names an executable; pointing it at node keeps the
// install working offline. A value the user has set is left alone.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';

const result = spawnSync(process.execPath, [prismaCli, 'generate'], { stdio: 'inherit', env });
if (result.error) throw result.error;
process.exitCode = result.status ?? 1;
