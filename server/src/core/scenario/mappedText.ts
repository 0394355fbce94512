/**
 * Text lifted out of a scenario file with the source offset of each character, so that problems found
 * in a shell-unquoted curl argument or a JSON body can be reported at the right place in the file.
 */
import type { OffsetRange } from '../diagnostics/finding';

export interface MappedText {
  text: string;
  /** `offsets[i]` is the source offset of `text[i]`; `offsets[text.length]` is the source offset just past the end. */
  offsets: number[];
}

/** `source[start, end)` taken as is. */
export function contiguousText(source: string, start: number, end: number): MappedText {
  const offsets = new Array<number>(end - start + 1);
  for (let i = 0; i <= end - start; i++) offsets[i] = start + i;
  return { text: source.slice(start, end), offsets };
}

/** Characters `[start, end)` of `mapped`, still mapped. */
export function sliceMapped(mapped: MappedText, start: number, end: number): MappedText {
  start = clamp(start, 0, mapped.text.length);
  end = clamp(end, start, mapped.text.length);
  const offsets = mapped.offsets.slice(start, end);
  offsets.push(end > start ? mapped.offsets[end - 1] + 1 : mapped.offsets[start]);
  return { text: mapped.text.slice(start, end), offsets };
}

/** Pieces joined with `separator`, whose characters take the offset of the piece that follows them. */
export function joinMapped(pieces: MappedText[], separator = ''): MappedText {
  if (pieces.length === 0) return { text: '', offsets: [0] };
  let text = '';
  const offsets: number[] = [];
  pieces.forEach((piece, index) => {
    if (index > 0) {
      text += separator;
      for (let i = 0; i < separator.length; i++) offsets.push(piece.offsets[0]);
    }
    text += piece.text;
    offsets.push(...piece.offsets.slice(0, piece.text.length));
  });
  offsets.push(pieces[pieces.length - 1].offsets[pieces[pieces.length - 1].text.length]);
  return { text, offsets };
}

/** The source range covered by characters `[start, end)` of `mapped`. */
export function sourceRange(mapped: MappedText, start: number, end: number): OffsetRange {
  start = clamp(start, 0, mapped.text.length);
  end = clamp(end, start, mapped.text.length);
  if (end === start) return { start: mapped.offsets[start], end: mapped.offsets[start] };
  return { start: mapped.offsets[start], end: mapped.offsets[end - 1] + 1 };
}

/**
 * The index in `mapped.text` of source offset `offset`: the first character at or after it
 * (`text.length` when the offset is past the end). Used to find a cursor inside lifted text.
 */
export function textIndexAt(mapped: MappedText, offset: number): number {
  const offsets = mapped.offsets;
  let low = 0;
  let high = mapped.text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}
