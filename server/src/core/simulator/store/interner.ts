/**
 * Interning of strings as small integers (object keys, property names), so that per-edge data can live in
 * typed arrays. Entries are never removed: the table grows with the distinct names ever used, not with edges.
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  /** The id of `name`, assigned on first use. */
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The id of `name` when it was interned, else undefined (a lookup that never adds). */
  find(name: string): number | undefined {
    return this.ids.get(name);
  }

  name(id: number): string {
    return this.names[id];
  }

  get size(): number {
    return this.names.length;
  }
}
