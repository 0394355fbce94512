/**
 * Hover and completion compared whole, against inline expectations (test/helpers/expect.ts): a changed line anywhere
 * in a hover or a completion list fails here, where `assert.match` on a fragment would let it pass unseen.
 * After a deliberate change, `UPDATE_EXPECT=1 node --test out/test/unit/features/wholeOutputs.test.js` rewrites the
 * expectations; review them in the diff like code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleCompletion, type CompletionList } from '../../../server/src/core/features/completion';
import { handleHover } from '../../../server/src/core/features/hover';
import { expect } from '../../helpers/expect';
import { fixtureWorkspace, managedWith, workspaceOf } from './helpers';

const split = fixtureWorkspace('split');

/** The offset `delta` characters into the first `needle` of a file of the split fixture. */
function at(file: string, needle: string, delta = 1): { uri: string; offset: number } {
  const uri = split.uriOf(file);
  const offset = split.workspace.getFile(uri)!.text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} in ${file}`);
  return { uri, offset: offset + delta };
}

function hoverText(file: string, needle: string, delta = 1): string {
  const { uri, offset } = at(file, needle, delta);
  const hover = handleHover(split.workspace, uri, offset);
  if (!hover) return '(no hover)';
  const text = split.workspace.getFile(uri)!.text;
  return `range: ${text.slice(hover.range.start, hover.range.end)}\n${hover.contents}`;
}

/** One line per item, in the order offered: what the user sees, and what accepting it writes. */
function listText({ items, isIncomplete }: CompletionList): string {
  const lines = items.map((item) => {
    const detail = item.detail ? ` (${item.detail})` : '';
    return `${item.label} [${item.kind}]${detail} -> ${item.insertText}${item.snippet ? ' (snippet)' : ''}`;
  });
  return [isIncomplete ? 'incomplete' : 'complete', ...lines].join('\n');
}

function completionText(files: Record<string, string>): string {
  const { workspace, uri, offset } = workspaceOf(files);
  return listText(handleCompletion(workspace, uri, offset));
}

test('hover on a bidirectional relationship property', () => {
  expect`
    range: "manager"
    \`\`\`text
    manager: many-to-one -> managed/user.reports, bidirectional, validate, notifies: none
    \`\`\`

    **Other side:** \`user.reports\` in \`user.json\` (relationship keys)

    \`\`\`json
    "reports": {
      "type": "array",
      "returnByDefault": false,
      "items": {
        "type": "relationship",
        "reverseRelationship": true,
        "reversePropertyName": "manager",
        "validate": true,
        "resourceCollection": [
          {
            "path": "managed/user"
          }
        ]
      }
    }
    \`\`\`

    **Notification**

    - A change made through \`managed/user/{id}/manager\` notifies no one.
    - A change made through the other side \`managed/user/{id}/reports\` notifies no one.
    - Notifications that reach a user through \`manager\` stop there (no \`notifyRelationships\`).
  `.toBe(hoverText('managed-objects/user/user.json', '"manager": {'));
});

test('hover on a relationship that notifies and passes notifications on', () => {
  expect`
    range: "assignments"
    \`\`\`text
    assignments: many-to-many -> managed/assignment.roles, bidirectional, validate, notifies: self, passes on to: members
    \`\`\`

    **Other side:** \`assignment.roles\` in \`assignment.json\` (relationship keys)

    \`\`\`json
    "roles": {
      "type": "array",
      "returnByDefault": false,
      "items": {
        "type": "relationship",
        "reverseRelationship": true,
        "reversePropertyName": "assignments",
        "validate": true,
        "resourceCollection": [
          {
            "path": "managed/role",
            "notify": true
          }
        ]
      }
    }
    \`\`\`

    **Notification**

    - A change made through \`managed/role/{id}/assignments\` notifies the role itself (\`notifySelf\`).
    - A change made through the other side \`managed/assignment/{id}/roles\` notifies this role.
    - When \`assignments\` changes or a role is notified through it, the notification travels on through \`members\` (\`notifyRelationships\`).
  `.toBe(hoverText('managed-objects/role/role.json', '"assignments": {'));
});

test('hover on a relationship key: notifySelf', () => {
  expect`
    range: "notifySelf"
    **\`notifySelf\`** — Notify the origin object of changes made through it

    When the relationship is changed through a URL that names this object (\`managed/user/{id}/manager\`), the object itself is notified so its derived state (virtual properties, effective roles) is recalculated. Needs \`reverseRelationship: true\`. For an array relationship it goes in \`items\`.

    Belongs on the relationship node (the property for a single relationship, \`items\` for an array).
  `.toBe(hoverText('managed-objects/user/user.json', '"notifySelf"'));
});

test('hover on a resourceCollection path', () => {
  expect`
    range: "managed/role"
    **Role** (\`managed/role\`) — 2 relationships, 2 incoming

    Relationships: \`members\`, \`assignments\`

    Defined in \`role.json\`
  `.toBe(hoverText('managed-objects/user/user.json', '"managed/role"', 3));
});

test('hover on a plain property key says nothing', () => {
  expect`
    (no hover)
  `.toBe(hoverText('managed-objects/user/user.json', '"userName": {'));
});

test('completion of keys inside a singleton relationship', () => {
  expect`
    complete
    notifyRelationships [key] (Relationships that pass notifications on) -> "notifyRelationships": [$1] (snippet)
    returnByDefault [key] (Return the relationship in every read) -> "returnByDefault": \${1|true,false|} (snippet)
    title [key] (Display name) -> "title": "$1" (snippet)
    description [key] (Description) -> "description": "$1" (snippet)
    viewable [key] (Shown in the UI (default true)) -> "viewable": \${1|true,false|} (snippet)
    searchable [key] (Offered as a UI filter (default false)) -> "searchable": \${1|true,false|} (snippet)
    userEditable [key] (End users may edit it (default false)) -> "userEditable": \${1|true,false|} (snippet)
    isVirtual [key] (Computed, not stored) -> "isVirtual": \${1|true,false|} (snippet)
    queryConfig [key] (How a virtual property is derived from relationships) -> "queryConfig": {
    	"referencedRelationshipFields": [$1],
    	"referencedObjectFields": [$2]
    } (snippet)
    reverseRelationship [key] (Bidirectional relationship (default false)) -> "reverseRelationship": \${1|true,false|} (snippet)
    reversePropertyName [key] (The property on the target that is the other side) -> "reversePropertyName": "$1" (snippet)
    notifySelf [key] (Notify the origin object of changes made through it) -> "notifySelf": \${1|true,false|} (snippet)
    resourceCollection [key] (The object types the relationship may point at) -> "resourceCollection": [
    	{
    		"path": "$1",
    		"label": "$2",
    		"query": {
    			"queryFilter": "true",
    			"fields": [$3]
    		}
    	}
    ] (snippet)
    properties [key] (\`_ref\` and \`_refProperties\` of the relationship) -> "properties": {
    	"_ref": { "type": "string" },
    	"_refProperties": {
    		"type": "object",
    		"properties": {
    			"_id": { "type": "string" }
    		}
    	}
    } (snippet)
  `.toBe(completionText(managedWith(`{
            "type": "relationship",
            "validate": true,
            "|"
          }`)));
});

test('completion of keys on an array property and inside its items', () => {
  expect`
    complete
    notifyRelationships [key] (Relationships that pass notifications on) -> "notifyRelationships": [$1], (snippet)
    returnByDefault [key] (Return the relationship in every read) -> "returnByDefault": \${1|true,false|}, (snippet)
    title [key] (Display name) -> "title": "$1", (snippet)
    description [key] (Description) -> "description": "$1", (snippet)
    viewable [key] (Shown in the UI (default true)) -> "viewable": \${1|true,false|}, (snippet)
    searchable [key] (Offered as a UI filter (default false)) -> "searchable": \${1|true,false|}, (snippet)
    userEditable [key] (End users may edit it (default false)) -> "userEditable": \${1|true,false|}, (snippet)
    isVirtual [key] (Computed, not stored) -> "isVirtual": \${1|true,false|}, (snippet)
    queryConfig [key] (How a virtual property is derived from relationships) -> "queryConfig": {
    	"referencedRelationshipFields": [$1],
    	"referencedObjectFields": [$2]
    }, (snippet)
    relationshipGrantTemporalConstraintsEnforced [key] (Enforce time limits on grants (array only)) -> "relationshipGrantTemporalConstraintsEnforced": \${1|true,false|}, (snippet)
  `.toBe(completionText(managedWith(`{
            "type": "array",
            |
            "items": { "type": "relationship" }
          }`)));
  expect`
    complete
    reverseRelationship [key] (Bidirectional relationship (default false)) -> "reverseRelationship": \${1|true,false|} (snippet)
    reversePropertyName [key] (The property on the target that is the other side) -> "reversePropertyName": "$1" (snippet)
    validate [key] (Check the referenced object exists (default false)) -> "validate": \${1|true,false|} (snippet)
    notifySelf [key] (Notify the origin object of changes made through it) -> "notifySelf": \${1|true,false|} (snippet)
    resourceCollection [key] (The object types the relationship may point at) -> "resourceCollection": [
    	{
    		"path": "$1",
    		"label": "$2",
    		"query": {
    			"queryFilter": "true",
    			"fields": [$3]
    		}
    	}
    ] (snippet)
    properties [key] (\`_ref\` and \`_refProperties\` of the relationship) -> "properties": {
    	"_ref": { "type": "string" },
    	"_refProperties": {
    		"type": "object",
    		"properties": {
    			"_id": { "type": "string" }
    		}
    	}
    } (snippet)
    title [key] (Display name of the items) -> "title": "$1" (snippet)
  `.toBe(completionText(managedWith(`{
            "type": "array",
            "items": {
              "type": "relationship",
              |
            }
          }`)));
});

test('completion of a resourceCollection path and of a reversePropertyName', () => {
  expect`
    complete
    managed/user [reference] (1 relationship) -> "managed/user"
    managed/role [reference] (Role · 0 relationships) -> "managed/role"
    internal/role [reference] (IDM internal role) -> "internal/role"
    internal/user [reference] (IDM internal user) -> "internal/user"
  `.toBe(completionText(managedWith(`{
            "type": "relationship",
            "resourceCollection": [ { "path": "|" } ]
          }`)));
  expect`
    complete
    users [reference] (new property) -> "users"
  `.toBe(completionText(managedWith(`{
            "type": "relationship",
            "reverseRelationship": true,
            "reversePropertyName": "|",
            "resourceCollection": [ { "path": "managed/role" } ]
          }`)));
});

test('completion of the value of type', () => {
  expect`
    complete
    relationship [type] (A reference to one object) -> "relationship"
    array [type] (A list (with \`items\`)) -> "array"
    string [type] -> "string"
    boolean [type] -> "boolean"
    number [type] -> "number"
    object [type] -> "object"
  `.toBe(completionText(managedWith(`{ "type": "|" }`)));
});
