// Printing a benchmark's numbers as a table a lesson can quote.
export interface BenchRow {
  case: string;
  [metric: string]: string | number;
}

export function printTable(title: string, rows: BenchRow[]): void {
  console.log(`\n${title}`);
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: string | number | undefined) => (typeof value === 'number' ? formatNumber(value) : String(value ?? ''));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => cell(row[column]))));
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
