/**
 * Expected findings written into fixtures as JSONC comments: `/*!code*​/` (optionally `/*!code:warning*​/`) right
 * before where the finding's range starts.
 */
import type { Finding } from '../../server/src/core/diagnostics/finding';

export interface Marker {
  code: string;
  severity?: string;
  offset: number;
}

const MARKER = /\/\*!([a-z-]+)(?::(error|warning|information|hint))?\*\//g;

export function readMarkers(text: string): Marker[] {
  const markers: Marker[] = [];
  for (const match of text.matchAll(MARKER)) {
    let offset = match.index! + match[0].length;
    while (/\s/.test(text[offset] ?? '')) offset++;
    markers.push({ code: match[1], severity: match[2], offset });
  }
  return markers;
}

/** Differences between the findings and the markers, as readable lines (empty when they agree). */
export function compareWithMarkers(text: string, findings: Finding[]): string[] {
  const markers = readMarkers(text);
  const problems: string[] = [];
  const line = (offset: number) => text.slice(0, offset).split('\n').length;
  const unmatched = [...markers];
  for (const finding of findings) {
    const index = unmatched.findIndex((m) => m.code === finding.code && m.offset === finding.range.start);
    if (index < 0) {
      problems.push(`unexpected ${finding.code} (${finding.severity}) at line ${line(finding.range.start)}: ${finding.message}`);
      continue;
    }
    const [marker] = unmatched.splice(index, 1);
    if (marker.severity && marker.severity !== finding.severity) {
      problems.push(`${finding.code} at line ${line(finding.range.start)} is ${finding.severity}, expected ${marker.severity}`);
    }
  }
  for (const marker of unmatched) problems.push(`missing ${marker.code} at line ${line(marker.offset)}`);
  return problems;
}

/** The cursor marker of completion, hover and rename fixtures. */
export const CURSOR = '|';

/** Removes the cursor marker `|` from `marked`, returning the text and the marker's offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0) throw new Error('no | cursor marker in the fixture');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
