/**
 * Finds the script file a managed object's script names with `file`. IDM looks the name up in its script
 * directories (`conf/script.json`, "sources": the project folder's `script/`, the project folder itself, then the
 * install's `bin/defaults/script`): here, from the config file's folder up to the workspace folder, `script/<file>` and
 * `<file>` in each folder, the nearest first. Only files inside the workspace folders are found.
 */
import * as path from 'path';
import { readConfigText } from './configFiles';

/** Scripts are small; a larger file is not read for a rename. */
const MAX_SCRIPT_BYTES = 1_000_000;

export function findScriptFile(configFile: string, file: string, workspaceFolders: string[]): { path: string; text: string } | undefined {
  if (!file || path.isAbsolute(file)) return undefined;
  const folder = workspaceFolders.map((f) => path.resolve(f)).find((f) => isInside(f, configFile));
  if (!folder) return undefined;
  for (let dir = path.dirname(path.resolve(configFile)); isInside(folder, dir); dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'script', file), path.join(dir, file)]) {
      if (!isInside(folder, candidate)) continue;
      const read = readConfigText(candidate);
      if ('text' in read && read.text.length <= MAX_SCRIPT_BYTES) return { path: candidate, text: read.text };
    }
    if (dir === folder) break;
  }
  return undefined;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
