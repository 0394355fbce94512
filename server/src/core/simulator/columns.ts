/** Growable typed-array columns, for tables that keep one row per edge or per notification. */

export type Column = Float64Array | Int32Array | Uint8Array;

/** A copy of `column` with room for `capacity` rows. */
export function grown<T extends Column>(column: T, capacity: number): T {
  const larger = new (column.constructor as new (length: number) => T)(capacity);
  larger.set(column);
  return larger;
}
