// The SQL splitter the index suite and the benchmark apply learners' files with.
import { expect, test } from 'vitest';
import { sqlStatements } from '../sql.ts';

test('splits at semicolons outside strings, quoted names, dollar quotes and comments, and drops comments', () => {
  const sql = [
    '-- a line comment; with a semicolon',
    'CREATE INDEX a ON "Post" ("authorId"); /* a block; comment /* nested; */ still; */',
    "INSERT INTO t VALUES ('it''s; fine', \"odd;name\");",
    'DO $body$ BEGIN PERFORM 1; END $body$;',
    'SELECT $$a;b$$',
  ].join('\n');
  expect(sqlStatements(sql)).toEqual([
    'CREATE INDEX a ON "Post" ("authorId")',
    "INSERT INTO t VALUES ('it''s; fine', \"odd;name\")",
    'DO $body$ BEGIN PERFORM 1; END $body$',
    'SELECT $$a;b$$',
  ]);
});

test('an empty file, or one with only comments, has no statements', () => {
  expect(sqlStatements('')).toEqual([]);
  expect(sqlStatements('-- nothing\n/* here; */\n;\n')).toEqual([]);
});
