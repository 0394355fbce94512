/**
 * Which IDM the simulator answers as. Most relationship semantics did not change between releases; the few that
 * did are switched here, each with where its versions are known from:
 *
 * - relationship change notification (`notifySelf`, `notify`, `notifyRelationships`): IDM 6.0 and later
 *   (the 6.0 sample configs are the first to carry them; OpenIDM 5.x's ManagedObjectSet has no notification);
 * - relationship-derived virtual properties (`queryConfig`): IDM 7.0 and later (6.x computed effectiveRoles in
 *   onRetrieve scripts, which the simulator does not run);
 * - the shape of a reference: 7.5 and 8.0 docs show `_refResourceCollection`, `_refResourceId`, and `_id`/`_rev`
 *   at the top of a relationship endpoint's items; OpenIDM 5.x (RelationshipProvider.formatResponseNoException)
 *   writes `_ref` and `_refProperties` only, with no resource id. No 6.x source or docs are at hand: 6.x is
 *   answered with the 5.x shape, and 7.0 with the 7.5 one;
 * - PATCH `add` on a field that holds a list: OpenIDM 5.x's JsonValuePatch.add sets the field (putPermissive), so
 *   `add /roles` replaces the list; the Common REST patch description in the later docs adds the values to the
 *   list. 5 follows the source, 6 and later the docs.
 *
 * The default is the newest documented release, PingIDM 8.
 */

export type IdmRelease = '5' | '6' | '7' | '7.5' | '8';

export const NEWEST_RELEASE: IdmRelease = '8';

export const KNOWN_RELEASES: readonly IdmRelease[] = ['5', '6', '7', '7.5', '8'];

export interface ReleaseFeatures {
  release: IdmRelease;
  /** notifySelf / notify / notifyRelationships are acted on. */
  notifications: boolean;
  /** `queryConfig` virtual properties are calculated. */
  derivedProperties: boolean;
  /** References carry `_refResourceCollection` / `_refResourceId`; endpoint items carry `_id` / `_rev`. */
  referenceResourceFields: boolean;
  /**
   * PATCH `add` of an array on a list field appends it (PingIDM 8 Common REST, "Patch", https://docs.pingidentity.com/pingidm/8/crest/crest-patch.html:
   * "If you add an array of values, the PATCH appends the array to the existing list of values") instead of replacing
   * the list as the 5.x `JsonValuePatch.add` does. Which release changed it is not documented; 6 is a guess.
   */
  patchAddAppends: boolean;
}

/** Reads `8`, `8.0`, `7.5`, `7.5.1`, `5.5`, `IDM 7`...; undefined when it names no release the simulator knows. */
export function parseRelease(text: string): IdmRelease | undefined {
  const match = /^\s*(?:(?:ping)?idm\s*)?v?(\d+)(?:\.(\d+))?(?:\.\d+)*\s*$/i.exec(text);
  if (!match) return undefined;
  const major = Number(match[1]);
  const minor = match[2] === undefined ? 0 : Number(match[2]);
  if (major === 5) return '5';
  if (major === 6) return '6';
  if (major === 7) return minor >= 5 ? '7.5' : '7';
  if (major === 8) return '8';
  return undefined;
}

export function releaseFeatures(release: IdmRelease = NEWEST_RELEASE): ReleaseFeatures {
  const at = (least: IdmRelease) => KNOWN_RELEASES.indexOf(release) >= KNOWN_RELEASES.indexOf(least);
  return {
    release,
    notifications: at('6'),
    derivedProperties: at('7'),
    referenceResourceFields: at('7'),
    patchAddAppends: at('6'),
  };
}
