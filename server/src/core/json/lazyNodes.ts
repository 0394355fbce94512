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
import {
  findListedProperty, hasDuplicateListedKeys, stringValue, type JsonArray, type JsonBoolean, type JsonNode, type JsonNull, type JsonNumber, type JsonObject,
  type JsonProperty, type JsonString,
} from './ast';
import {
  KIND_ARRAY, KIND_FALSE, KIND_MISSING, KIND_NULL, KIND_NUMBER, KIND_OBJECT, KIND_STRING, KIND_TRUE, type Tape,
} from './tape';

/** A slot kind's JSON type; a member without a value has none. */
const TYPE_OF_KIND: Array<JsonNode['type'] | undefined> = [];
TYPE_OF_KIND[KIND_OBJECT] = 'object';
TYPE_OF_KIND[KIND_ARRAY] = 'array';
TYPE_OF_KIND[KIND_STRING] = 'string';
TYPE_OF_KIND[KIND_NUMBER] = 'number';
TYPE_OF_KIND[KIND_TRUE] = 'boolean';
TYPE_OF_KIND[KIND_FALSE] = 'boolean';
TYPE_OF_KIND[KIND_NULL] = 'null';

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
  /** Key index of a large listed object, added on its first lookup (declared only: most objects never get one). */
  declare index?: Map<string, JsonProperty>;
  // Two fields hold what has been made, so that the tens of thousands of these stay small:
  /** Members: before listing, those made by lookups (a list through `nextFound`); once listed, all, in order. */
  private members: TapeProperty | TapeProperty[] | undefined = undefined;
  /**
   * Values made before listing: a list through `nextMade` in a small object; by position in a large one (made by
   * `forEachMember`). Once listed, values are kept on the members.
   */
  private values: TapeNode | Array<TapeNode | undefined> | undefined = undefined;

  get type(): 'object' { return 'object'; }

  get properties(): JsonProperty[] {
    const members = this.members;
    if (Array.isArray(members)) return members;
    const tape = this.tape;
    const values = this.values;
    const listed = new Array<TapeProperty>(tape.childCount[this.slot]);
    let position = 0;
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member], position++) {
      let property: TapeProperty | undefined;
      for (let made = members; made; made = made.nextFound) if (made.slot === member) property = made;
      property ??= new TapeProperty(tape, member, this);
      if (Array.isArray(values)) property.made = values[position];
      else for (let made = values; made; made = made.nextMade) if (made.slot === member) property.made = made;
      listed[position] = property;
    }
    this.values = undefined;
    return (this.members = listed);
  }

  /**
   * Visits each member's key and value in order without making the members. A large object keeps the values by
   * position (a later listing picks them up); anything else asked of it lists it first.
   */
  forEachMember(visit: (key: string, value: JsonNode | undefined, position: number) => void): void {
    const members = this.members;
    if (Array.isArray(members)) {
      for (let i = 0; i < members.length; i++) visit(members[i].key, members[i].value, i);
      return;
    }
    const tape = this.tape;
    let position = 0;
    if (!this.isLarge()) {
      for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member]) visit(tape.keyOf(member), this.memberValue(member), position++);
      return;
    }
    // A large unlisted object has no values yet, or only the ones an earlier forEachMember made.
    const values = (this.values ??= new Array<TapeNode | undefined>(tape.childCount[this.slot])) as Array<TapeNode | undefined>;
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member], position++) {
      let value = values[position];
      if (value === undefined && tape.kind[member] !== KIND_MISSING) value = values[position] = nodeAt(tape, member, this);
      visit(tape.keyOf(member), value, position);
    }
  }

  /** The member at `slot` (a child of this object), made once. */
  memberProperty(slot: number): TapeProperty {
    const members = this.listIfLarge();
    if (Array.isArray(members)) return members[indexOfSlot(members, slot)];
    for (let made = members; made; made = made.nextFound) if (made.slot === slot) return made;
    const property = new TapeProperty(this.tape, slot, this);
    property.nextFound = members;
    this.members = property;
    return property;
  }

  /** The value of the member at `slot`, made once (undefined when the value was not typed yet). */
  memberValue(slot: number): TapeNode | undefined {
    if (this.tape.kind[slot] === KIND_MISSING) return undefined;
    const members = this.listIfLarge();
    if (Array.isArray(members)) {
      const property = members[indexOfSlot(members, slot)];
      return (property.made ??= nodeAt(this.tape, slot, this));
    }
    const values = this.values as TapeNode | undefined; // a small object: a list
    for (let made = values; made; made = made.nextMade) if (made.slot === slot) return made;
    const value = nodeAt(this.tape, slot, this);
    value.nextMade = values;
    this.values = value;
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
    if (this.isIndexed()) return stringValue(this.lookupListed(key)?.value);
    const member = this.memberSlot(key);
    return member >= 0 && this.tape.kind[member] === KIND_STRING ? this.tape.stringValueOf(member) : undefined;
  }

  /** The boolean value of member `key`, read off the tape without making its node. */
  booleanMember(key: string): boolean | undefined {
    const member = this.isIndexed() ? (this.lookupListed(key) as TapeProperty | undefined)?.slot ?? -1 : this.memberSlot(key);
    const kind = member >= 0 ? this.tape.kind[member] : 0;
    return kind === KIND_TRUE ? true : kind === KIND_FALSE ? false : undefined;
  }

  /** The type of member `key`'s value, read off the tape without making its node. */
  memberType(key: string): JsonNode['type'] | undefined {
    const member = this.isIndexed() ? (this.lookupListed(key) as TapeProperty | undefined)?.slot ?? -1 : this.memberSlot(key);
    return member >= 0 ? TYPE_OF_KIND[this.tape.kind[member]] : undefined;
  }

  /** The string items of the array member `key` (other items skipped), read off the tape without making nodes. */
  stringItemsOf(key: string): string[] | undefined {
    const tape = this.tape;
    const member = this.isIndexed() ? (this.lookupListed(key) as TapeProperty | undefined)?.slot ?? -1 : this.memberSlot(key);
    if (member < 0 || tape.kind[member] !== KIND_ARRAY) return undefined;
    // Sized up front: a pushed-to array reserves room for 17 items, and most lists hold one to three.
    const strings = new Array<string>(tape.childCount[member]);
    let count = 0;
    for (let item = tape.firstChild(member); item !== -1; item = tape.next[item]) {
      if (tape.kind[item] === KIND_STRING) strings[count++] = tape.stringValueOf(item);
    }
    strings.length = count;
    return strings;
  }

  /** Whether two members share a key; answered from the tape without making the members. */
  hasDuplicateKeys(): boolean {
    const tape = this.tape;
    if (this.isIndexed()) return hasDuplicateListedKeys(this);
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member]) {
      const key = tape.keyOf(member);
      for (let other = tape.next[member]; other !== -1; other = tape.next[other]) if (tape.keyEquals(other, key)) return true;
    }
    return false;
  }

  /** Listed objects and large ones answer lookups from their members; small unlisted ones from the tape. */
  private isIndexed(): boolean {
    return Array.isArray(this.members) || this.isLarge();
  }

  /** The members made so far; a large object is listed first, since it answers everything but forEachMember from its listing. */
  private listIfLarge(): TapeProperty | TapeProperty[] | undefined {
    if (!Array.isArray(this.members) && this.isLarge()) void this.properties;
    return this.members;
  }

  private isLarge(): boolean {
    return this.tape.childCount[this.slot] > SCAN_LIMIT;
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
    return findListedProperty(this, key);
  }
}

class TapeArray extends TapeNodeBase implements JsonArray {
  private listed: JsonNode[] | undefined = undefined;

  get type(): 'array' { return 'array'; }

  get items(): JsonNode[] {
    if (this.listed) return this.listed;
    const tape = this.tape;
    const listed = new Array<JsonNode>(tape.childCount[this.slot]);
    let position = 0;
    for (let item = tape.firstChild(this.slot); item !== -1; item = tape.next[item]) listed[position++] = nodeAt(tape, item, this);
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
