/** Small helpers for plain JSON values (request bodies, stored fields). */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A deep copy of a JSON value, so stored state never aliases a request or a response. */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as unknown as T;
  const copy: JsonRecord = {};
  for (const key of Object.keys(value as JsonRecord)) {
    const item = (value as JsonRecord)[key];
    if (item !== undefined) copy[key] = cloneJson(item);
  }
  return copy as T;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], other[i])) return false;
    return true;
  }
  const ka = Object.keys(a as JsonRecord).filter((k) => (a as JsonRecord)[k] !== undefined);
  const kb = Object.keys(b as JsonRecord).filter((k) => (b as JsonRecord)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const key of ka) if (!jsonEqual((a as JsonRecord)[key], (b as JsonRecord)[key])) return false;
  return true;
}

/** Case-insensitive header lookup ("header names as written"). */
export function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}
