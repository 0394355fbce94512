/**
 * Layouts kept across panel openings. A new panel starts a new worker that must load ELK's script and run its
 * first, slowest layout (together most of the first frame's time, and much more on a busy machine); the graph of a
 * configuration laid out before is drawn at once from ELK's earlier answer instead. The webview computes the key
 * from exactly what ELK is given (sizes measured in its font, the panel's aspect ratio, the options), so any change
 * that would change the layout changes the key; the host keeps the last few in the workspace's storage.
 */
import type { ElkGraph, SceneData } from './graphLayout';

/** Layouts kept (most recent last). */
export const LAYOUT_CACHE_SIZE = 8;
/** A scene larger than this, as JSON, is not kept: the workspace's storage stays small. */
export const MAX_CACHED_LAYOUT_CHARS = 256 * 1024;
/** Changed when the way a scene is read from ELK's answer changes, so older cached scenes are not used. */
const LAYOUT_CACHE_VERSION = 1;

export interface CachedLayout {
  key: string;
  scene: SceneData;
}

/**
 * cyrb53, a 53-bit string hash (public domain, https://github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js),
 * in hexadecimal.
 */
function cyrb53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/** The key of a layout: a hash of ELK's input and its length, both in hexadecimal. */
export function layoutKey(graph: ElkGraph): string {
  const text = `${LAYOUT_CACHE_VERSION}\u0000${JSON.stringify(graph)}`;
  return `${cyrb53(text)}-${text.length.toString(16)}`;
}

export function isLayoutKey(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{1,14}-[0-9a-f]{1,8}$/.test(value);
}

/** The list with `entry` added as the most recent (replacing an entry of the same key), at most LAYOUT_CACHE_SIZE long. */
export function rememberLayout(list: readonly CachedLayout[], entry: CachedLayout): CachedLayout[] {
  const rest = list.filter((cached) => cached.key !== entry.key);
  if (JSON.stringify(entry.scene).length > MAX_CACHED_LAYOUT_CHARS) return rest;
  return [...rest, entry].slice(-LAYOUT_CACHE_SIZE);
}
