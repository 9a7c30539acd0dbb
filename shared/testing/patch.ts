// A small unified-diff applier for variants kept as patches against their solution
// (solutions/NN/mistakes/<exercise>.<variant>.patch): exact context or a clear error, no fuzz.
// The target plugin applies them as the suite imports the file (see target-plugin.ts).

interface Hunk {
  /** 1-based line of the original where the hunk starts. */
  start: number;
  lines: string[];
}

function hunks(patch: string): Hunk[] {
  const found: Hunk[] = [];
  for (const line of patch.replace(/\n$/, '').split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(line);
    if (header) found.push({ start: Number(header[1]), lines: [] });
    else if (found.length > 0 && /^[ +\-\\]/.test(line)) found.at(-1)!.lines.push(line);
  }
  return found;
}

export function applyPatch(source: string, patch: string, name = 'patch'): string {
  const original = source.split('\n');
  const result: string[] = [];
  let next = 0; // index into original of the first line not yet copied
  for (const hunk of hunks(patch)) {
    const at = hunk.start === 0 ? 0 : hunk.start - 1;
    if (at < next) throw new Error(`${name}: overlapping hunks at line ${hunk.start}`);
    result.push(...original.slice(next, at));
    let cursor = at;
    for (const line of hunk.lines) {
      const text = line.slice(1);
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      if (line.startsWith('+')) {
        result.push(text);
        continue;
      }
      if (original[cursor] !== text) {
        throw new Error(`${name}: line ${cursor + 1} of the solution is ${JSON.stringify(original[cursor])}, the patch expects ${JSON.stringify(text)}`);
      }
      if (line.startsWith(' ')) result.push(text);
      cursor += 1;
    }
    next = cursor;
  }
  result.push(...original.slice(next));
  return result.join('\n');
}
