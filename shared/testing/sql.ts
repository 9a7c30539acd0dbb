// A .sql file's statements, for applying them one at a time (CREATE INDEX CONCURRENTLY cannot
// run inside the implicit transaction of a multi-statement query). Line comments are removed;
// semicolons inside strings are not supported, and the course's files have none.
export function sqlStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);
}
