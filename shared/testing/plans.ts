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
