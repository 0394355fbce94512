/** Loads graph fixtures into a workspace, as the language server would group them. */
import * as fs from 'fs';
import * as path from 'path';
import { Workspace } from '../../../server/src/core/model/workspace';
import type { Schema } from '../../../server/src/core/model/schema';
import { fixturePath, uriOf } from '../../helpers/fixtures';

/** The schema of a fixture config under `test/fixtures/corpus/`, with the `internal.json` beside it when there is one. */
export function fixtureSchema(relative: string): { schema: Schema; uri: string; text: string } {
  const file = fixturePath('corpus', relative);
  const workspace = new Workspace();
  const uri = uriOf(file);
  const text = fs.readFileSync(file, 'utf8');
  workspace.setFile(uri, text);
  const internal = path.join(path.dirname(file), 'internal.json');
  if (internal !== file && fs.existsSync(internal)) workspace.setFile(uriOf(internal), fs.readFileSync(internal, 'utf8'));
  return { schema: workspace.schemaFor(uri)!, uri, text };
}

/** A schema from inline files: `{ 'conf/managed.json': '...' }`. */
export function inlineSchema(files: Record<string, string>, main = Object.keys(files)[0]): Schema {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///ws/${name}`, text);
  return workspace.schemaFor(`file:///ws/${main}`)!;
}

export const IDM_ONLY = 'ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf/managed.json';
export const AIC_TEMPLATE = 'rockcarver_frodo-lib/src/ops/templates/cloud/managed.json';
export const PREPROD_COPY = 'tahahasan88_idmapi/conf/managed.json';
export const SOCIAL = 'OpenIdentityPlatform_OpenIDM/openidm-samples/social-identity/src/main/resources/conf/managed.json';
export const IDM_40 = 'OpenIdentityPlatform_OpenIDM/history-2015-10-13/openidm-zip/src/main/resources/conf/managed.json';

/** A managed.json text with the given objects: `{ user: { manager: {...} } }` becomes schema properties. */
export function managedJson(objects: Record<string, Record<string, unknown>>): string {
  return JSON.stringify({
    objects: Object.entries(objects).map(([name, properties]) => ({ name, schema: { title: name, properties } })),
  }, null, 2);
}

export function relationship(target: string | string[], options: { reverse?: string; notifySelf?: boolean; notify?: boolean } = {}): Record<string, unknown> {
  const targets = Array.isArray(target) ? target : [target];
  const node: Record<string, unknown> = {
    type: 'relationship',
    resourceCollection: targets.map((path) => ({ path, ...(options.notify ? { notify: true } : {}), query: { queryFilter: 'true', fields: [] } })),
  };
  if (options.reverse) Object.assign(node, { reverseRelationship: true, reversePropertyName: options.reverse });
  if (options.notifySelf) node.notifySelf = true;
  return node;
}

export function many(item: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'array', items: item, ...extra };
}
