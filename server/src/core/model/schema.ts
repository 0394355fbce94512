/**
 * A schema is one IDM configuration: the managed config files that are deployed together (one
 * `managed.json`, or a folder of per-object files) plus the `internal.json` overlay beside them.
 * References resolve within a schema.
 */
import { isInternalName } from './internalObjects';
import type { ConfigFile, ObjectType, PropertyDef, RelationshipDef, TargetRef, UnreadableFile } from './types';

/** What a `resourceCollection` target resolves to. */
export type ResolvedTarget =
  /** A managed object type defined in this schema. */
  | { kind: 'object'; object: ObjectType }
  /** An internal object: `overlay` when internal.json declares it here. */
  | { kind: 'internal'; name: 'role' | 'user'; overlay?: ObjectType }
  /** `managed/<name>` that no file of this schema defines. */
  | { kind: 'missing'; name: string }
  | { kind: 'invalid' };

export class Schema {
  readonly managed = new Map<string, ObjectType[]>();
  readonly internal = new Map<string, ObjectType[]>();
  /** Every relationship in every file, in file order. */
  readonly relationships: RelationshipDef[] = [];
  /**
   * True when the schema holds a whole configuration (a `managed.json` or frodo export), so a type it
   * lacks does not exist. Per-object files may be only part of one: then a missing type may simply
   * live in a file we were not given.
   */
  readonly complete: boolean;

  /**
   * @param unreadable config files that would belong here but could not be read (each is reported on the files that
   *   are, since the types it defines are missing from the check)
   */
  constructor(readonly root: string, readonly files: readonly ConfigFile[], readonly unreadable: readonly UnreadableFile[] = []) {
    let complete = false;
    for (const file of files) {
      if (file.layout === 'managed' || file.layout === 'frodo-wrapper') complete = true;
      for (const object of file.objects) {
        const map = object.kind === 'managed' ? this.managed : this.internal;
        const list = map.get(object.name);
        if (list) list.push(object);
        else map.set(object.name, [object]);
        // One at a time: spreading a type's hundreds of thousands of relationships would overflow the stack.
        for (const relationship of object.relationships) this.relationships.push(relationship);
      }
    }
    this.complete = complete;
    // frodo may write one configuration twice in one place: a whole-config export (`managed.idm.json`) and the
    // per-object files of `managed/` beside it. They are two exports, not two definitions: the export file is read as
    // the configuration (it is the whole of it, with the `internal.idm.json` of the same export), so its definition
    // comes first; the per-object copy is a repeat (see `isRepeatedExport`).
    for (const list of this.managed.values()) {
      if (list.length > 1 && list.some((o) => o.file.layout === 'frodo-wrapper') && list.some((o) => o.file.layout === 'single-object')) {
        list.sort((a, b) => Number(b.file.layout === 'frodo-wrapper') - Number(a.file.layout === 'frodo-wrapper'));
      }
    }
  }

  /**
   * Which export of the configuration a definition belongs to, when frodo wrote it twice: its whole-config export file
   * or its per-object files. Definitions in different exports repeat each other; in one export, they are duplicates.
   */
  static exportOf(object: ObjectType): 'frodo-export' | 'per-object' | 'config' {
    if (object.file.layout === 'frodo-wrapper') return 'frodo-export';
    if (object.file.layout === 'single-object') return 'per-object';
    return 'config';
  }

  /** The managed object type named `name` (its first definition). */
  getObject(name: string): ObjectType | undefined {
    return this.managed.get(name)?.[0];
  }

  get objectTypes(): ObjectType[] {
    return [...this.managed.values()].map((list) => list[0]);
  }

  resolve(target: TargetRef): ResolvedTarget {
    switch (target.kind) {
      case 'managed': {
        const object = this.getObject(target.name);
        return object ? { kind: 'object', object } : { kind: 'missing', name: target.name };
      }
      case 'internal':
        return { kind: 'internal', name: target.name, overlay: this.internal.get(target.name)?.[0] };
      default:
        return { kind: 'invalid' };
    }
  }

  /** The `resourceCollection` path that names `object`. */
  static pathOf(object: ObjectType): string {
    return object.kind === 'managed' ? `managed/${object.name}` : `internal/${object.name}`;
  }

  /** The relationship at `property` of the type `target` resolves to, when there is one. */
  propertyOf(target: ResolvedTarget, name: string): PropertyDef | undefined {
    if (target.kind === 'object') return target.object.propertyMap.get(name);
    if (target.kind === 'internal') return target.overlay?.propertyMap.get(name);
    return undefined;
  }

  /** Every relationship whose `resourceCollection` names `object` (incoming edges). */
  incomingRelationships(object: ObjectType): Array<{ relationship: RelationshipDef; entryIndex: number }> {
    const path = Schema.pathOf(object);
    const result: Array<{ relationship: RelationshipDef; entryIndex: number }> = [];
    for (const relationship of this.relationships) {
      relationship.resourceCollection?.entries.forEach((entry, entryIndex) => {
        if (entry.path === path) result.push({ relationship, entryIndex });
      });
    }
    return result;
  }
}

/** True for the internal object names IDM knows. */
export { isInternalName };
