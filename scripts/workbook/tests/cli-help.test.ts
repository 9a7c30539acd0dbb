// The workbook's help and its answers to mistyped input: no suite runs, so these are fast.
import { describe, expect, test } from 'vitest';
import { COURSE_ROOT } from '../../course/catalog.ts';
import { commands } from '../commands.ts';
import { limitFor, runCli } from './fixture.ts';

describe('help and mistakes', () => {
  test('every command has --help', limitFor({ cli: commands.length }), async () => {
    const runs = await Promise.all(commands.map((command) => runCli(COURSE_ROOT, [command.name, '--help'])));
    commands.forEach((command, index) => {
      expect(runs[index]!.code, command.name).toBe(0);
      expect(runs[index]!.stdout).toContain(`usage: workbook ${command.usage}`);
    });
  });

  test('unknown input gets one line naming the nearest valid name', limitFor({ cli: 3 }), async () => {
    const command = await runCli(COURSE_ROOT, ['chek', '01']);
    expect(command.code).toBe(2);
    expect(command.stderr.trim()).toBe('workbook: unknown command "chek"; did you mean "check"? (workbook --help lists them)');
    const option = await runCli(COURSE_ROOT, ['grade', '--formt', 'json']);
    expect(option.stderr.trim()).toBe('workbook grade: unknown option --formt; did you mean --format?');
    const exercise = await runCli(COURSE_ROOT, ['hint', 'monitr']);
    expect(exercise.stderr.trim()).toBe('workbook hint: No lesson or exercise "monitr"; did you mean "monitor"?');
    for (const run of [command, option, exercise]) expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
