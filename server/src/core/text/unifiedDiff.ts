/**
 * A unified diff of two texts, as `diff -u` and `git diff` print it, so `idm-rel check --fix-dry-run | git apply`
 * works. Lines keep their `\r` (a CRLF file's diff carries CRLF lines, as git's does). Myers' O(ND) algorithm: the
 * fixes change a few lines of files that run to megabytes, so D is small.
 */

export function unifiedDiff(oldName: string, newName: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const script = diffLines(a.lines, b.lines);
  const hunks = toHunks(script, context);
  let out = `--- ${oldName}\n+++ ${newName}\n`;
  for (const hunk of hunks) {
    const oldCount = hunk.ops.filter((op) => op.kind !== '+').length;
    const newCount = hunk.ops.filter((op) => op.kind !== '-').length;
    out += `@@ -${range(hunk.oldStart, oldCount)} +${range(hunk.newStart, newCount)} @@\n`;
    for (const op of hunk.ops) {
      const [lines, index, missingEol] = op.kind === '+' ? [b.lines, op.newIndex, !b.finalEol] : [a.lines, op.oldIndex, !a.finalEol];
      const last = index === lines.length - 1;
      out += `${op.kind === '=' ? ' ' : op.kind}${lines[index]}\n`;
      if (last && missingEol) out += '\\ No newline at end of file\n';
    }
  }
  return out;
}

function range(start: number, count: number): string {
  // diff -u numbers an empty range by the line before it.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function splitLines(text: string): { lines: string[]; finalEol: boolean } {
  if (text === '') return { lines: [], finalEol: true };
  const lines = text.split('\n');
  const finalEol = lines[lines.length - 1] === '';
  if (finalEol) lines.pop();
  return { lines, finalEol };
}

interface Op {
  kind: '=' | '-' | '+';
  oldIndex: number;
  newIndex: number;
}

/** The shortest edit script from `a` to `b`, as a list of kept, removed and added lines. */
function diffLines(a: string[], b: string[]): Op[] {
  // Strip the common prefix and suffix first: the rest is what Myers has to search.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const ops: Op[] = [];
  for (let i = 0; i < prefix; i++) ops.push({ kind: '=', oldIndex: i, newIndex: i });
  for (const op of myers(midA, midB)) ops.push({ kind: op.kind, oldIndex: op.oldIndex + prefix, newIndex: op.newIndex + prefix });
  for (let i = 0; i < suffix; i++) ops.push({ kind: '=', oldIndex: a.length - suffix + i, newIndex: b.length - suffix + i });
  return ops;
}

function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) { found = true; break; }
    }
  }
  // Walk the trace back from the end to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { x--; y--; ops.push({ kind: '=', oldIndex: x, newIndex: y }); }
    if (d === 0) break;
    if (x === prevX) { y--; ops.push({ kind: '+', oldIndex: x, newIndex: y }); }
    else { x--; ops.push({ kind: '-', oldIndex: x, newIndex: y }); }
  }
  return ops.reverse();
}

interface Hunk {
  oldStart: number;
  newStart: number;
  ops: Op[];
}

function toHunks(ops: Op[], context: number): Hunk[] {
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === '=') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2 * context kept lines.
    for (;;) {
      while (end < ops.length && ops[end].kind !== '=') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === '=') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    hunks.push({ oldStart: slice[0].oldIndex, newStart: slice[0].newIndex, ops: slice });
    i = stop;
  }
  return hunks;
}
