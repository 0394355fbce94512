/**
 * Shape checks for data crossing the webview boundary (in both directions). Each checker returns the value typed
 * when it has the expected shape, or undefined; nothing is coerced or trusted on faith. No DOM, no vscode: used by
 * the extension host and by the webview.
 */

export type Check<T> = (value: unknown) => value is T;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isString: Check<string> = (value): value is string => typeof value === 'string';
export const isBoolean: Check<boolean> = (value): value is boolean => typeof value === 'boolean';
export const isFiniteNumber: Check<number> = (value): value is number => typeof value === 'number' && Number.isFinite(value);
export const isNonNegativeInteger: Check<number> = (value): value is number => Number.isInteger(value) && (value as number) >= 0;

export function isArrayOf<T>(check: Check<T>): Check<T[]> {
  return (value): value is T[] => Array.isArray(value) && value.every((item) => check(item));
}

export function isOneOf<T extends string>(...options: T[]): Check<T> {
  return (value): value is T => typeof value === 'string' && (options as string[]).includes(value);
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value): value is T | undefined => value === undefined || check(value);
}

/** An object whose listed fields pass their checks (other fields are allowed and ignored). */
export function isShape<T>(fields: { [K in keyof T]-?: Check<T[K]> }): Check<T> {
  return (value): value is T => {
    if (!isRecord(value)) return false;
    for (const key of Object.keys(fields) as Array<keyof T>) {
      if (!fields[key](value[key as string])) return false;
    }
    return true;
  };
}

/** JSON data of bounded depth (simulator `_refProperties`): no functions, no cycles, nothing exotic. */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (isRecord(value)) return Object.values(value).every((item) => isJsonValue(item, depth + 1));
  return false;
}
