// The workbook's commands, in the order --help lists them.
import type { Command } from './command.ts';
import { overview } from './overview.ts';
import { check } from './check.ts';
import { watch } from './watch.ts';
import { hint } from './hint.ts';
import { diff } from './diff.ts';
import { reset } from './reset.ts';
import { doctor } from './doctor.ts';
import { grade } from './grade.ts';
import { test } from './test.ts';

export const commands: Command[] = [overview, check, watch, hint, diff, reset, doctor, test, grade];
