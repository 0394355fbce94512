/**
 * What a quick fix must do, checked on any input: stay inside its documents, leave the text around its edit and every
 * object type it is not about untouched, parse as well as before, remove its problem, and (on clean input) add none.
 */
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/core/diagnostics/finding';
import type { QuickFix } from '../../server/src/core/fixes/quickFixes';
import type { Workspace } from '../../server/src/core/model/workspace';
import type { ObjectType } from '../../server/src/core/model/types';
import { checkAndVerify, type CheckOutcome, type Files } from './invariants';

/** What makes a finding the same problem before and after an edit elsewhere (names, not offsets). */
export function identity(finding: Finding): string {
  const d = finding.data as Record<string, any>;
  return JSON.stringify([finding.code, finding.uri, d.origin?.object, d.origin?.property, d.name ?? d.field ?? d.path ?? d.entryIndex, d.key, d.target?.object, d.object, d.reverse?.object, d.hop]);
}

function count<T>(list: T[], value: T): number {
  return list.filter((x) => x === value).length;
}

/** Applies a fix's edits, asserting that each stays in its document and leaves the text around it untouched. */
export function applyFix(files: Files, fix: QuickFix, label: string): Files {
  const result = new Map(files);
  for (const [uri, edits] of Object.entries(fix.edits)) {
    const before = files.get(uri);
    assert.ok(before !== undefined, `${label}: edits unknown file ${uri}`);
    assert.equal(edits.length, 1, `${label}: one edit per file`);
    const [edit] = edits;
    assert.ok(edit.offset >= 0 && edit.length >= 0 && edit.offset + edit.length <= before.length, `${label}: edit outside ${uri}`);
    const after = before.slice(0, edit.offset) + edit.content + before.slice(edit.offset + edit.length);
    // Byte for byte: everything before the edit and after its end is what it was.
    assert.equal(after.slice(0, edit.offset), before.slice(0, edit.offset), `${label}: text before the edit changed`);
    assert.equal(after.slice(edit.offset + edit.content.length), before.slice(edit.offset + edit.length), `${label}: text after the edit changed`);
    result.set(uri, after);
  }
  return result;
}

/** The object types a finding is about: its origin, target, reverse side, named object, and the origin's targets. */
function typesInScope(workspace: Workspace, finding: Finding): ObjectType[] {
  const data = finding.data as Record<string, any>;
  const named = [data.origin, data.target, data.reverse].filter((ref) => ref?.uri && ref?.object !== undefined);
  const scope: ObjectType[] = [];
  for (const ref of named) {
    const objects = workspace.getFile(ref.uri)?.objects.filter((o) => o.name === ref.object) ?? [];
    scope.push(...objects);
    const schema = workspace.schemaFor(ref.uri);
    for (const object of objects) {
      const relationship = ref.property !== undefined ? object.propertyMap.get(ref.property)?.relationship : undefined;
      for (const entry of relationship?.resourceCollection?.entries ?? []) {
        const target = schema?.resolve(entry.target);
        if (target?.kind === 'object') scope.push(...(schema!.managed.get(target.object.name) ?? []));
      }
    }
  }
  return scope;
}

/**
 * Applies `fix` for `finding` and checks the result; `strict` also forbids new problems (clean, generated inputs).
 * Returns the re-check, for callers that judge more than this does.
 */
export function checkFix(files: Files, workspace: Workspace, findings: Finding[], finding: Finding, fix: QuickFix, strict: boolean): CheckOutcome {
  const label = `${finding.code} "${fix.title}"`;
  const after = applyFix(files, fix, label);
  const scope = new Set(typesInScope(workspace, finding));
  const rechecked = checkAndVerify(after, {}, `${label} (after)`);
  for (const [uri, edits] of Object.entries(fix.edits)) {
    const [edit] = edits;
    const objectsBefore = workspace.getFile(uri)!.objects;
    const objectsAfter = rechecked.workspace.getFile(uri)!.objects;
    const inScope = objectsBefore.filter((object) => scope.has(object));
    // The edit starts and ends inside object types the finding is about (one edit may span several of them)...
    const covers = (offset: number) => inScope.some((object) => object.node.offset <= offset && offset <= object.node.end);
    assert.ok(covers(edit.offset) && covers(edit.offset + edit.length),
      `${label}: edit at ${edit.offset}-${edit.offset + edit.length} of ${uri} reaches outside the object types the finding is about (${[...new Set(inScope.map((o) => o.name))].join(', ')})`);
    // ...and every other object type in the file keeps its text byte for byte, even inside a spanning edit.
    assert.equal(objectsAfter.length, objectsBefore.length, `${label}: object types added or removed in ${uri}`);
    objectsBefore.forEach((object, index) => {
      if (scope.has(object)) return;
      const text = (o: ObjectType) => o.file.text.slice(o.node.offset, o.node.end);
      assert.equal(text(objectsAfter[index]), text(object), `${label}: ${object.name}, which the finding is not about, changed`);
    });
  }
  for (const uri of Object.keys(fix.edits)) {
    const errorsBefore = workspace.getFile(uri)!.syntaxErrors.length;
    const errorsAfter = rechecked.workspace.getFile(uri)!.syntaxErrors.length;
    assert.ok(errorsAfter <= errorsBefore, `${label}: ${uri} had ${errorsBefore} syntax errors, now ${errorsAfter}:\n${after.get(uri)!.slice(0, 3000)}`);
  }
  const before = findings.map(identity);
  const remaining = rechecked.findings.map(identity);
  const id = identity(finding);
  assert.ok(count(remaining, id) < count(before, id), `${label}: the problem is still reported (${id})`);
  if (strict) {
    const pool = [...before];
    pool.splice(pool.indexOf(id), 1);
    // Problems a fix reveals rather than makes: moving `notifyRelationships` out of `items` makes IDM read names in it
    // that were never valid; adding a property an RDVP path lacked lets the path go one hop further, to its next gap.
    const revealed = (other: string) =>
      (finding.code === 'notify-relationships-on-items' && /^\["notify-relationships-(unknown|not-relationship)"/.test(other)) ||
      (other.startsWith('["rdvp-path-unknown"') && before.some((id) => id.startsWith('["rdvp-path-unknown"') && sameOrigin(id, other)));
    for (const other of remaining) {
      if (revealed(other) || namesKnownCause(other, before)) continue;
      const index = pool.indexOf(other);
      assert.ok(index >= 0, `${label}: introduced a new problem ${other}`);
      pool.splice(index, 1);
    }
  }
  return rechecked;
}

/**
 * A cause named after a fix whose symptoms were already reported: a fix that settles one of two competing stories
 * (rules/pairing.ts) lets the checker name the other's cause, which replaces findings that were there before.
 */
export function namesKnownCause(id: string, before: string[]): boolean {
  const [code, uri, object, property] = JSON.parse(id) as unknown[];
  if (typeof code !== 'string' || !code.startsWith('pair-wrong-')) return false;
  return before.some((other) => {
    const [otherCode, ...rest] = JSON.parse(other) as unknown[];
    return typeof otherCode === 'string' && otherCode.startsWith('reverse-') && JSON.stringify(rest.slice(0, 3)) === JSON.stringify([uri, object, property]);
  });
}

/** Same code, file, object and property in two identities. */
function sameOrigin(a: string, b: string): boolean {
  return JSON.stringify((JSON.parse(a) as unknown[]).slice(0, 4)) === JSON.stringify((JSON.parse(b) as unknown[]).slice(0, 4));
}
