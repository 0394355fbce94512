/**
 * The syntax tree's node objects, made from the tape (tape.ts) when something reads them. A container lists its
 * children on first access to `properties` / `items`; `findProperty` on an object compares keys on the tape and
 * makes only the member it finds. The checker reads a few keys of each property definition, so most of a large
 * config is never turned into objects at all. Each member or item is made at most once, so identity holds
 * (`findProperty(o, k) === o.properties[i]`).
 */
import { booleanValue, stringValue, type JsonArray, type JsonNode, type JsonObject, type JsonProperty } from './ast';
import {
  KIND_ARRAY, KIND_FALSE, KIND_MISSING, KIND_NULL, KIND_NUMBER, KIND_OBJECT, KIND_STRING, KIND_TRUE, type Tape,
} from './tape';

/** Objects with more members than this get a key index on lookup instead of a scan over the tape. */
const SCAN_LIMIT = 16;

export function nodeAt(tape: Tape, slot: number, parent: JsonObject | JsonArray | undefined, property: JsonProperty | undefined): JsonNode {
  switch (tape.kind[slot]) {
    case KIND_OBJECT: return new TapeObject(tape, slot, parent, property);
    case KIND_ARRAY: return new TapeArray(tape, slot, parent, property);
    case KIND_STRING: return { type: 'string', value: tape.stringValueOf(slot), offset: tape.start[slot], end: tape.end[slot], parent, property };
    case KIND_NUMBER: return { type: 'number', value: tape.numberValueOf(slot), offset: tape.start[slot], end: tape.end[slot], parent, property };
    case KIND_TRUE: return { type: 'boolean', value: true, offset: tape.start[slot], end: tape.end[slot], parent, property };
    case KIND_FALSE: return { type: 'boolean', value: false, offset: tape.start[slot], end: tape.end[slot], parent, property };
    default: return { type: 'null', value: null, offset: tape.start[slot], end: tape.end[slot], parent, property };
  }
}

// Kind and range are read off the tape by prototype getters, to keep these objects small: a large config makes
// tens of thousands of them, and on some machines retaining memory costs more than the reads.
class TapeObject implements JsonObject {
  index: Map<string, JsonProperty> | undefined = undefined;
  private listed: TapeProperty[] | undefined = undefined;
  /** Members made by lookups before the full list was asked for (a list through `nextFound`). */
  private found: TapeProperty | undefined = undefined;

  constructor(
    private readonly tape: Tape,
    private readonly slot: number,
    readonly parent: JsonObject | JsonArray | undefined,
    readonly property: JsonProperty | undefined,
  ) {}

  get type(): 'object' { return 'object'; }
  get offset(): number { return this.tape.start[this.slot]; }
  get end(): number { return this.tape.end[this.slot]; }

  get properties(): JsonProperty[] {
    if (this.listed) return this.listed;
    const tape = this.tape;
    const listed: TapeProperty[] = [];
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member]) {
      listed.push(this.madeMember(member) ?? new TapeProperty(tape, member, this));
    }
    this.found = undefined;
    return (this.listed = listed);
  }

  lookup(key: string): JsonProperty | undefined {
    if (this.listed || this.tape.childCount[this.slot] > SCAN_LIMIT) return this.lookupListed(key);
    const member = this.memberSlot(key);
    if (member < 0) return undefined;
    let property = this.madeMember(member);
    if (!property) {
      property = new TapeProperty(this.tape, member, this);
      property.nextFound = this.found;
      this.found = property;
    }
    return property;
  }

  /** The string value of member `key`, read off the tape without making its node. */
  stringMember(key: string): string | undefined {
    if (this.listed || this.tape.childCount[this.slot] > SCAN_LIMIT) return stringValue(this.lookupListed(key)?.value);
    const member = this.memberSlot(key);
    return member >= 0 && this.tape.kind[member] === KIND_STRING ? this.tape.stringValueOf(member) : undefined;
  }

  /** The boolean value of member `key`, read off the tape without making its node. */
  booleanMember(key: string): boolean | undefined {
    if (this.listed || this.tape.childCount[this.slot] > SCAN_LIMIT) return booleanValue(this.lookupListed(key)?.value);
    const member = this.memberSlot(key);
    const kind = member >= 0 ? this.tape.kind[member] : 0;
    return kind === KIND_TRUE ? true : kind === KIND_FALSE ? false : undefined;
  }

  /** Whether two members share a key; answered from the tape without making the members. */
  hasDuplicateKeys(): boolean {
    const tape = this.tape;
    if (this.listed || tape.childCount[this.slot] > SCAN_LIMIT) {
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

  /** The slot of the member named `key` (the last one when duplicated, as in JSON.parse), or -1. */
  private memberSlot(key: string): number {
    const tape = this.tape;
    let match = -1;
    for (let member = tape.firstChild(this.slot); member !== -1; member = tape.next[member]) {
      if (tape.keyEquals(member, key)) match = member;
    }
    return match;
  }

  private madeMember(member: number): TapeProperty | undefined {
    for (let property = this.found; property; property = property.nextFound) if (property.slot === member) return property;
    return undefined;
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

class TapeArray implements JsonArray {
  private listed: JsonNode[] | undefined = undefined;

  constructor(
    private readonly tape: Tape,
    private readonly slot: number,
    readonly parent: JsonObject | JsonArray | undefined,
    readonly property: JsonProperty | undefined,
  ) {}

  get type(): 'array' { return 'array'; }
  get offset(): number { return this.tape.start[this.slot]; }
  get end(): number { return this.tape.end[this.slot]; }

  get items(): JsonNode[] {
    if (this.listed) return this.listed;
    const tape = this.tape;
    const listed: JsonNode[] = [];
    for (let item = tape.firstChild(this.slot); item !== -1; item = tape.next[item]) listed.push(nodeAt(tape, item, this, undefined));
    return (this.listed = listed);
  }
}

class TapeProperty implements JsonProperty {
  readonly key: string;
  private made: JsonNode | undefined = undefined;
  /** The next member its object made by lookup. */
  nextFound: TapeProperty | undefined = undefined;

  constructor(private readonly tape: Tape, readonly slot: number, readonly owner: JsonObject) {
    this.key = tape.keyOf(slot);
  }

  get keyOffset(): number { return this.tape.keyStart[this.slot]; }
  get keyEnd(): number { return this.tape.keyEnd[this.slot]; }

  get value(): JsonNode | undefined {
    if (this.made) return this.made;
    if (this.tape.kind[this.slot] === KIND_MISSING) return undefined;
    return (this.made = nodeAt(this.tape, this.slot, this.owner, this));
  }
}
