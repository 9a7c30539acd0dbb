// Query plans for suites: EXPLAIN a statement exactly as it was sent (text and parameters)
// and read facts off the plan tree: which nodes, how many rows each scan touched.
import type pg from 'pg';
import type { LoggedQuery } from './query-log.ts';

/** One node of EXPLAIN (FORMAT JSON)'s tree, with the fields suites read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** The plan of a statement; with analyze, it runs it (use on reads only). */
export async function explain(pool: pg.Pool, query: LoggedQuery | string, { analyze = false } = {}): Promise<PlanNode> {
  const { text, values } = typeof query === 'string' ? { text: query, values: [] } : query;
  const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (FORMAT JSON${analyze ? ', ANALYZE' : ''}) ${text}`,
    values,
  );
  return rows[0]!['QUERY PLAN'][0].Plan;
}

/** Every node of the tree, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

const SCANS = /Scan$/;

/** Rows the scans of an analyzed plan touched on `relation`: returned plus filtered away. */
export function rowsRead(plan: PlanNode, relation: string): number {
  return planNodes(plan)
    .filter((node) => SCANS.test(node['Node Type']) && node['Relation Name'] === relation)
    .reduce((sum, node) => sum + ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1), 0);
}

/**
 * Which of `columns` the statement's plan hands up at any step (EXPLAIN VERBOSE's Output lists):
 * what Postgres actually read for it, whatever the code did with the rows afterwards.
 */
export async function columnsRead(pool: pg.Pool, query: LoggedQuery, columns: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (VERBOSE, FORMAT JSON) ${query.text}`, query.values);
  const outputs = planNodes(rows[0]!['QUERY PLAN'][0].Plan).flatMap((node) => (node as { Output?: string[] }).Output ?? []);
  return columns.filter((column) => outputs.some((output) => new RegExp(`(^|[^A-Za-z0-9_])"?${column}"?($|[^A-Za-z0-9_])`).test(output)));
}

/**
 * The columns of `table` that Postgres read for the logged statements naming it: a cursor's
 * DECLARE counts as its query; a text sent many times (a page query) is explained once.
 */
export async function tableColumnsRead(
  pool: pg.Pool,
  queries: LoggedQuery[],
  table: string,
  columns: readonly string[],
): Promise<{ statements: number; read: string[] }> {
  const reads = new Map<string, LoggedQuery>();
  for (const query of queries) {
    const declared = /^\s*DECLARE\b[\s\S]*?\bCURSOR\b[\s\S]*?\bFOR\s+([\s\S]+)$/i.exec(query.text)?.[1];
    const text = declared ?? query.text;
    if (/^\s*(SELECT|WITH)\b/i.test(text) && text.includes(`"${table}"`) && !reads.has(text)) reads.set(text, { text, values: query.values });
  }
  const read = new Set<string>();
  for (const query of reads.values()) for (const column of await columnsRead(pool, query, columns)) read.add(column);
  return { statements: reads.size, read: columns.filter((column) => read.has(column)) };
}
