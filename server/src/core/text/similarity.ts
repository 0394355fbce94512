/** Edit distance and "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** Longer names get no suggestions: nobody mistypes one that long, and comparing two costs the product of their lengths. */
const MAX_SUGGESTED_LENGTH = 64;

/** Candidates within a third of the word's length in edits (case-insensitive), closest first. */
export function closestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  if (word.length > MAX_SUGGESTED_LENGTH) return [];
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.floor(word.length / 3));
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip without computing it.
    if (candidate === word || Math.abs(candidate.length - word.length) > budget) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= budget) scored.push([candidate, distance]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([name]) => name);
}
