/** A file URI shown as a path (`file:///work/a%20b` -> `/work/a b`); other identifiers unchanged. */
export function displayPath(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(uri.slice('file://'.length));
  } catch {
    return uri.slice('file://'.length);
  }
}

/**
 * `to` as a path relative to the folder of `from` (`../managed.json`, `alpha_user.json`), decoded for display: messages
 * name files as the user sees them in the workspace, never by URI. `.` when `to` is that folder itself.
 */
export function relativeDisplayPath(from: string, to: string): string {
  const fromDir = displayPath(from).split('/').slice(0, -1);
  const target = displayPath(to).split('/');
  let common = 0;
  while (common < fromDir.length && common < target.length && fromDir[common] === target[common]) common++;
  const up = fromDir.length - common;
  const rest = target.slice(common);
  const relative = [...Array<string>(up).fill('..'), ...rest].join('/');
  return relative || '.';
}
