/** Growable typed-array columns, for tables that keep one row per edge or per notification. */

export type Column = Float64Array | Int32Array | Uint8Array;

/**
 * A copy of `column` with room for `capacity` rows. Rows past the old length are NOT zeroed: callers write
 * every row before reading it. A zeroed array of a few MB costs ~12 ms here (fresh pages from the system),
 * an uninitialised one from Buffer.allocUnsafeSlow ~0.3 ms (memory malloc reuses).
 */
export function grown<T extends Column>(column: T, capacity: number): T {
  const constructor = column.constructor as { new (length: number): T; new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };
  let larger: T;
  if (typeof Buffer === 'function') {
    const bytes = Buffer.allocUnsafeSlow(capacity * constructor.BYTES_PER_ELEMENT);
    larger = new constructor(bytes.buffer, bytes.byteOffset, capacity);
  } else {
    larger = new constructor(capacity);
  }
  larger.set(column);
  return larger;
}
