#!/usr/bin/env node
// `npx workbook <command>`: the workbook CLI, in TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/workbook.ts');
