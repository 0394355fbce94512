/** A file URI shown as a path (`file:///work/a%20b` -> `/work/a b`); other identifiers unchanged. */
export function displayPath(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(uri.slice('file://'.length));
  } catch {
    return uri.slice('file://'.length);
  }
}
