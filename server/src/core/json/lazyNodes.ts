/**
 * The syntax tree's node objects, made from the tape (tape.ts) when something reads them. A container lists its
 * children on first access to `properties` / `items`; a lookup by key compares keys on the tape and makes only
 * what it returns: `getValueNode` the value node alone, `findProperty` the member. The checker reads a few keys of
 * each property definition, so most of a large config never becomes objects. Every node and member is made at
 * most once, so identity holds both ways (`findProperty(o, k).value === getValueNode(o, k)`,
 * `node.property.value === node`).
 *
 * Kind, range and the link to the member are read off the tape by prototype getters, to keep these objects
 * small: a large config makes tens of thousands of them, and on some machines retaining memory costs more than
 * the reads.
 */
import type { JsonArray, JsonBoolean, JsonNode, JsonNull, JsonNumber, JsonObject, JsonProperty, JsonString } from './ast';
import {
  KIND_ARRAY, KIND_FALSE, KIND_MISSING, KIND_NULL, KIND_NUMBER, KIND_OBJECT, KIND_STRING, KIND_TRUE, type Tape,
} from './tape';

/** Objects with more members than this are listed and indexed on lookup instead of scanned on the tape. */
const SCAN_LIMIT = 16;

type TapeNode = TapeObject | TapeArray | TapeString | TapeNumber | TapeBoolean | TapeNull;

export function nodeAt(tape: Tape, slot: number, parent: TapeObject | TapeArray | undefined): TapeNode {
  switch (tape.kind[slot]) {
    case KIND_OBJECT: return new TapeObject(tape, slot, parent);
    case KIND_ARRAY: return new TapeArray(tape, slot, parent);
    case KIND_STRING: return new TapeString(tape, slot, parent);
    case KIND_NUMBER: return new TapeNumber(tape, slot, parent);
    case KIND_TRUE:
    case KIND_FALSE: return new TapeBoolean(tape, slot, parent);
    default: return new TapeNull(tape, slot, parent);
  }
}

/** What every node shares: its place on the tape, its container, and a link to the next node its container made. */
abstract class TapeNodeBase {
  /** The next value its (unlisted) object made by lookup. */
  nextMade: TapeNode | undefined = undefined;

  constructor(readonly tape: Tape, readonly slot: number, readonly parent: TapeObject | TapeArray | undefined) {}

  get offset(): number { return this.tape.start[this.slot]; }
  get end(): number { return this.tape.end[this.slot]; }

  /** The member holding this value, made on first access; undefined for array items and the root. */
  get property(): JsonProperty | undefined {
    const parent = this.parent;
    return parent && parent.type === 'object' ? parent.memberProperty(this.slot) : undefined;
  }
}

class TapeString extends TapeNodeBase implements JsonString {
  readonly value: string;
  constructor(tape: Tape, slot: number, parent: TapeObject | TapeArray | undefined) {
    super(tape, slot, parent);
    this.value = tape.stringValueOf(slot);
  }
  get type(): 'string' { return 'string'; }
}

class TapeNumber extends TapeNodeBase implements JsonNumber {
  get type(): 'number' { return 'number'; }
  get value(): number { return this.tape.numberValueOf(this.slot); }
}

class TapeBoolean extends TapeNodeBase implements JsonBoolean {
  get type(): 'boolean' { return 'boolean'; }
  get value(): boolean { return this.tape.kind[this.slot] === KIND_TRUE; }
}

class TapeNull extends TapeNodeBase implements JsonNull {
  get type(): 'null' { return 'null'; }
  get value(): null { return null; }
}

class TapeObject extends TapeNodeBase implements JsonObject {
  index: Map<string, JsonProperty> | undefined = undefined;
  /** All members, in order, once listed; from then on values are cached on the members. */
  private listed: TapeProperty[] | undefined = undefined;
  /** Before listing: values and members made by lookups (lists through `nextMade` / `nextFound`). */
  private madeValues: TapeNode | undefined = undefined;
  private madeMembers: TapeProperty | undefined = undefined;

  get type(): 'object' { return 'object'; }

  get properties(): JsonProperty[] {
    if (this.listed) return this.listed;
    const tape = this.tape;
    const listed: TapeProperty[] = [];
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member]) {
      let property: TapeProperty | undefined;
      for (let made = this.madeMembers; made; made = made.nextFound) if (made.slot === member) property = made;
      property ??= new TapeProperty(tape, member, this);
      for (let made = this.madeValues; made; made = made.nextMade) if (made.slot === member) property.made = made;
      listed.push(property);
    }
    this.madeValues = undefined;
    this.madeMembers = undefined;
    return (this.listed = listed);
  }

  /** The member at `slot` (a child of this object), made once. */
  memberProperty(slot: number): TapeProperty {
    const listed = this.listed;
    if (listed) return listed[indexOfSlot(listed, slot)];
    for (let made = this.madeMembers; made; made = made.nextFound) if (made.slot === slot) return made;
    const property = new TapeProperty(this.tape, slot, this);
    property.nextFound = this.madeMembers;
    this.madeMembers = property;
    return property;
  }

  /** The value of the member at `slot`, made once (undefined when the value was not typed yet). */
  memberValue(slot: number): TapeNode | undefined {
    if (this.tape.kind[slot] === KIND_MISSING) return undefined;
    const listed = this.listed;
    if (listed) {
      const property = listed[indexOfSlot(listed, slot)];
      return (property.made ??= nodeAt(this.tape, slot, this));
    }
    for (let made = this.madeValues; made; made = made.nextMade) if (made.slot === slot) return made;
    const value = nodeAt(this.tape, slot, this);
    value.nextMade = this.madeValues;
    this.madeValues = value;
    return value;
  }

  lookup(key: string): JsonProperty | undefined {
    if (this.isIndexed()) return this.lookupListed(key);
    const member = this.memberSlot(key);
    return member < 0 ? undefined : this.memberProperty(member);
  }

  /** The value node of member `key`, without making the member. */
  valueNodeOf(key: string): JsonNode | undefined {
    if (this.isIndexed()) return this.lookupListed(key)?.value;
    const member = this.memberSlot(key);
    return member < 0 ? undefined : this.memberValue(member);
  }

  /** The string value of member `key`, read off the tape without making its node. */
  stringMember(key: string): string | undefined {
    if (this.isIndexed()) {
      const value = this.lookupListed(key)?.value;
      return value?.type === 'string' ? value.value : undefined;
    }
    const member = this.memberSlot(key);
    return member >= 0 && this.tape.kind[member] === KIND_STRING ? this.tape.stringValueOf(member) : undefined;
  }

  /** The boolean value of member `key`, read off the tape without making its node. */
  booleanMember(key: string): boolean | undefined {
    const member = this.isIndexed() ? (this.lookupListed(key) as TapeProperty | undefined)?.slot ?? -1 : this.memberSlot(key);
    const kind = member >= 0 ? this.tape.kind[member] : 0;
    return kind === KIND_TRUE ? true : kind === KIND_FALSE ? false : undefined;
  }

  /** The string items of the array member `key` (other items skipped), read off the tape without making nodes. */
  stringItemsOf(key: string): string[] | undefined {
    const tape = this.tape;
    const member = this.isIndexed() ? (this.lookupListed(key) as TapeProperty | undefined)?.slot ?? -1 : this.memberSlot(key);
    if (member < 0 || tape.kind[member] !== KIND_ARRAY) return undefined;
    const strings: string[] = [];
    for (let item = tape.firstChild(member); item !== -1; item = tape.next[item]) {
      if (tape.kind[item] === KIND_STRING) strings.push(tape.stringValueOf(item));
    }
    return strings;
  }

  /** Whether two members share a key; answered from the tape without making the members. */
  hasDuplicateKeys(): boolean {
    const tape = this.tape;
    if (this.isIndexed()) {
      const keys = new Set<string>();
      for (const property of this.properties) {
        if (keys.has(property.key)) return true;
        keys.add(property.key);
      }
      return false;
    }
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member]) {
      const key = tape.keyOf(member);
      for (let other = tape.next[member]; other !== -1; other = tape.next[other]) if (tape.keyEquals(other, key)) return true;
    }
    return false;
  }

  /** Listed objects and large ones answer lookups from their members; small unlisted ones from the tape. */
  private isIndexed(): boolean {
    return this.listed !== undefined || this.tape.childCount[this.slot] > SCAN_LIMIT;
  }

  /** The slot of the member named `key` (the last one when duplicated, as in JSON.parse), or -1. */
  private memberSlot(key: string): number {
    const tape = this.tape;
    let match = -1;
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member]) {
      if (tape.keyEquals(member, key)) match = member;
    }
    return match;
  }

  private lookupListed(key: string): JsonProperty | undefined {
    const properties = this.properties;
    if (properties.length <= SCAN_LIMIT) {
      for (let i = properties.length - 1; i >= 0; i--) if (properties[i].key === key) return properties[i];
      return undefined;
    }
    let index = this.index;
    if (!index) {
      index = new Map();
      for (const property of properties) index.set(property.key, property);
      this.index = index;
    }
    return index.get(key);
  }
}

class TapeArray extends TapeNodeBase implements JsonArray {
  private listed: JsonNode[] | undefined = undefined;

  get type(): 'array' { return 'array'; }

  get items(): JsonNode[] {
    if (this.listed) return this.listed;
    const tape = this.tape;
    const listed: JsonNode[] = [];
    for (let item = tape.firstChild(this.slot); item !== -1; item = tape.next[item]) listed.push(nodeAt(tape, item, this));
    return (this.listed = listed);
  }
}

class TapeProperty implements JsonProperty {
  readonly key: string;
  /** The value, once made. */
  made: TapeNode | undefined = undefined;
  /** The next member its (unlisted) object made by lookup. */
  nextFound: TapeProperty | undefined = undefined;

  constructor(private readonly tape: Tape, readonly slot: number, readonly owner: TapeObject) {
    this.key = tape.keyOf(slot);
  }

  get keyOffset(): number { return this.tape.keyStart[this.slot]; }
  get keyEnd(): number { return this.tape.keyEnd[this.slot]; }

  get value(): JsonNode | undefined {
    return this.made ?? (this.made = this.owner.memberValue(this.slot));
  }
}

/** Members are listed in slot order: binary search. */
function indexOfSlot(listed: TapeProperty[], slot: number): number {
  let low = 0;
  let high = listed.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (listed[middle].slot < slot) low = middle + 1;
    else high = middle;
  }
  return low;
}
