/**
 * How objects and relationship edges look in responses, and how query filters read them.
 *
 * Object: `_id`, `_rev`, then the fields the selection asks for (relationships only when named or `*_ref`;
 * `scope: "private"` fields never). A relationship field holds references
 * (`{_ref, _refResourceCollection, _refResourceId, _refProperties: {_id, _rev, ...}}`), expanded with the
 * referenced object's `_id`, `_rev` and requested fields when the selection names some (`manager/mail`).
 *
 * Relationship endpoint item: the edge (`_id`, `_rev` of the edge) plus the reference; with object fields
 * in `_fields`, also `_refResourceRev` and those fields of the referenced object (PingIDM 8.0 example).
 */
import { parseFields, projectValue, selectionOf, type FieldSelection } from './fields';
import type { Graph } from './relationships';
import { cloneJson, type JsonRecord } from './json';
import { resolvePointer, type PointerResolver } from './queryFilter';
import type { SimRelationship, SimType } from './simSchema';
import type { Edge, ObjectRecord } from './store/store';

/** Fields of a relationship endpoint's items that describe the edge, not the referenced object. */
function isEdgeField(name: string): boolean {
  return name === '_id' || name === '_rev' || name.startsWith('_ref');
}

export class Views {
  constructor(private readonly graph: Graph) {}

  renderObject(record: ObjectRecord, selection: FieldSelection): JsonRecord {
    const type = this.graph.typeOf(record);
    const out: JsonRecord = { _id: record.id, _rev: this.graph.ids.format(record.rev) };
    if (selection.defaults) {
      for (const name of Object.keys(record.fields)) {
        const property = type?.properties.get(name);
        if (property && (property.relationship || property.private || !property.returnByDefault)) continue;
        out[name] = cloneJson(record.fields[name]);
      }
    }
    if (selection.allRelationships && type) {
      for (const relationship of type.relationships) out[relationship.name] = this.relationshipValue(record, type, relationship, []);
    }
    for (const [name, subPaths] of selection.named) {
      if (name === '_id' || name === '_rev') continue;
      const property = type?.properties.get(name);
      if (property?.relationship) {
        out[name] = this.relationshipValue(record, type!, property.relationship, subPaths);
        continue;
      }
      if (property?.private) continue;
      const value = record.fields[name];
      if (value === undefined) continue;
      const projected = projectValue(value, subPaths);
      if (projected !== undefined) out[name] = cloneJson(projected);
    }
    return out;
  }

  /** A relationship field's value: a list for arrays, one reference or null for singletons. */
  relationshipValue(record: ObjectRecord, type: SimType, relationship: SimRelationship, subPaths: string[][]): unknown {
    const edges = this.graph.visibleEdges(record.key, type, relationship.name);
    const views = edges.map((edge) => this.reference(edge, record.key, relationship.name, subPaths));
    return relationship.many ? views : (views[0] ?? null);
  }

  /** One reference, expanded with the referenced object's fields when `subPaths` names some. */
  reference(edge: Edge, key: string, property: string, subPaths: string[][]): JsonRecord {
    const view = this.graph.refView(edge, key, property);
    const objectPaths = subPaths
      .map((path) => (path[0] === '*' && path.length > 1 ? path.slice(1) : path))
      .filter((path) => path.length > 0 && !isEdgeField(path[0]));
    if (objectPaths.length === 0) return view;
    const target = this.graph.store.get(view._ref as string);
    if (!target) return view;
    return { ...this.renderObject(target, selectionOf(objectPaths)), ...view };
  }

  /** An item of a relationship endpoint. `objectFields` are the referenced object's fields asked for. */
  edgeItem(edge: Edge, key: string, property: string, objectFields: FieldSelection | undefined): JsonRecord {
    const item: JsonRecord = { _id: this.graph.edgeId(edge), _rev: this.graph.ids.format(this.graph.edges.rev(edge)), ...this.graph.refView(edge, key, property) };
    if (!objectFields) return item;
    const target = this.graph.store.get(item._ref as string);
    if (!target) return item;
    item._refResourceRev = this.graph.ids.format(target.rev);
    const expanded = this.renderObject(target, objectFields);
    for (const name of Object.keys(expanded)) if (name !== '_id' && name !== '_rev') item[name] = expanded[name];
    return item;
  }

  /**
   * The referenced-object part of `_fields` on a relationship endpoint (`userName,phoneNumber`);
   * undefined when it asks only for edge fields or nothing.
   */
  endpointObjectFields(fields: string | undefined): FieldSelection | undefined {
    if (fields === undefined || fields.trim() === '') return undefined;
    const parsed = parseFields(fields);
    const paths: string[][] = [];
    if (parsed.defaults) paths.push(['*']);
    if (parsed.allRelationships) paths.push(['*_ref']);
    for (const [name, subPaths] of parsed.named) {
      if (isEdgeField(name)) continue;
      if (subPaths.length === 0) paths.push([name]);
      else for (const sub of subPaths) paths.push([name, ...sub]);
    }
    return paths.length ? selectionOf(paths) : undefined;
  }

  // ---- query filter resolvers -----------------------------------------------------------------

  /** Reads pointers of an object: stored fields, `_id`/`_rev`, relationship fields as references (and beyond, into the referenced objects). */
  objectResolver(record: ObjectRecord): PointerResolver {
    return (pointer) => this.resolveObject(record, pointer, 0);
  }

  private resolveObject(record: ObjectRecord, pointer: readonly string[], from: number): unknown {
    if (pointer.length <= from) return undefined;
    const top = pointer[from];
    if (top === '_id') return pointer.length === from + 1 ? record.id : undefined;
    if (top === '_rev') return pointer.length === from + 1 ? this.graph.ids.format(record.rev) : undefined;
    const type = this.graph.typeOf(record);
    const relationship = type?.properties.get(top)?.relationship;
    if (!relationship) return resolvePointer(record.fields[top], pointer, from + 1);
    const edges = this.graph.visibleEdges(record.key, type, top);
    // An empty relationship field is absent, as in the repository (`/reports pr` is false without reports).
    if (edges.length === 0) return undefined;
    const values = edges.map((edge) => this.resolveEdge(edge, record.key, top, pointer, from + 1));
    if (!relationship.many) return values[0];
    const flat = values.flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
    return flat.length ? flat : undefined;
  }

  /** Reads pointers of a relationship endpoint item: edge fields, then the referenced object's fields. */
  edgeResolver(edge: Edge, key: string, property: string): PointerResolver {
    return (pointer) => this.resolveEdge(edge, key, property, pointer, 0, true);
  }

  private resolveEdge(edge: Edge, key: string, property: string, pointer: readonly string[], from: number, isItem = false): unknown {
    if (pointer.length <= from) return this.graph.refView(edge, key, property);
    const top = pointer[from];
    if (isItem && (top === '_id' || top === '_rev')) {
      if (pointer.length !== from + 1) return undefined;
      return top === '_id' ? this.graph.edgeId(edge) : this.graph.ids.format(this.graph.edges.rev(edge));
    }
    if (top.startsWith('_ref')) return resolvePointer(this.graph.refView(edge, key, property), pointer, from);
    const target = this.graph.store.get(this.graph.otherEnd(edge, key, property).key);
    return target ? this.resolveObject(target, pointer, from) : undefined;
  }
}
