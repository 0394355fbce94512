/**
 * Resource paths and relationship references. `_ref` is "a derived path that is a combination of
 * `_refResourceCollection` and a URL-encoded `_refResourceId`" (PingIDM 8.0, Relationship reference
 * properties); the simulator keys every object by that path.
 */

/**
 * Encodes an id as one URL path segment, keeping the characters RFC 3986 allows in a segment
 * (so `bjensen@example.com` stays readable, as in IDM's resource paths).
 */
export function encodeSegment(id: string): string {
  if (/^[A-Za-z0-9._~-]*$/.test(id)) return id;
  return encodeURIComponent(id).replace(/%(40|3A|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (match) => decodeURIComponent(match));
}

/** Decodes a path segment; text that is not valid percent-encoding is taken literally. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function objectKey(collection: string, id: string): string {
  return `${collection}/${encodeSegment(id)}`;
}

/**
 * `objectKey` of `collection` for ids made only of characters a segment keeps as they are (`encodeSegment`
 * is then the identity), such as generated UUIDs. For bulk loading: no check per id, and the keys share one
 * `collection/` string.
 */
export function plainIdKeys(collection: string): (id: string) => string {
  const prefix = `${collection}/`;
  return (id) => prefix + id;
}

export interface ParsedRef {
  collection: string;
  id: string;
  /** The canonical `_ref`: collection + '/' + encoded id. */
  key: string;
}

/** Splits `managed/user/bjensen` into collection and id; undefined when it is not a resource path. */
export function parseRef(ref: string): ParsedRef | undefined {
  const trimmed = ref.replace(/^\/+/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) return undefined;
  const collection = trimmed.slice(0, slash);
  if (collection.split('/').some((segment) => segment === '')) return undefined;
  const id = decodeSegment(trimmed.slice(slash + 1));
  return { collection, id, key: objectKey(collection, id) };
}

/** The collection of a key built by `objectKey` (no decoding: cheaper than `splitKey` when the id is not needed). */
export function collectionOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/'));
}

/** Collection and id of a key built by `objectKey`. */
export function splitKey(key: string): { collection: string; id: string } {
  const slash = key.lastIndexOf('/');
  return { collection: key.slice(0, slash), id: decodeSegment(key.slice(slash + 1)) };
}
