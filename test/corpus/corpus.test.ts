/**
 * The checker on real configs: every finding on every corpus file, recorded. Clean configs report nothing; each
 * recorded finding is one a user would agree with (the reason is next to it). Lines are 1-based.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema } from '../../server/src/core/rules/index';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { CORPUS, jsonFilesUnder, uriOf } from '../helpers/fixtures';

const EXPECTED: Record<string, string[]> = {
  "ForgeRock_forgeops/config/6.5/cdk/idm/conf/managed.json": [],
  "ForgeRock_forgeops/docker/idm/config-profiles/cdk/conf/managed.json": [],
  "ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf/internal.json": [],
  "ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf/managed.json": [],
  "ForgeRock_forgeops/sample-platform/idm/conf/managed.json": [],
  "ForgeRock_forgeops/samples/fr-platform/idm/conf/managed.json": [],
  "OpenIdentityPlatform_OpenIDM/history-2015-07-20/openidm-zip/src/main/resources/conf/managed.json": [],
  // IDM 4.0 declared only one side of each pair (reports, members, assignments); since 4.5 both sides must be bidirectional.
  "OpenIdentityPlatform_OpenIDM/history-2015-10-13/openidm-zip/src/main/resources/conf/managed.json": ["293 warning reverse-not-bidirectional", "480 warning reverse-not-bidirectional", "629 warning reverse-not-bidirectional"],
  "OpenIdentityPlatform_OpenIDM/openidm-samples/social-identity/src/main/resources/conf/managed.json": [],
  "OpenIdentityPlatform_OpenIDM/openidm-zip/src/main/resources/conf/managed.json": [],
  // Arrangement has only ID and ProductCode: the `AdminCode` display field does not exist.
  "PeteAzwork_IDM-Entitlements-Standalone/conf/managed.json": ["2009 warning query-field-unknown"],
  "rockcarver_frodo-cli/test/e2e/exports/all-separate/cloud/global/idm/managed/alpha_organization.managed.json": [],
  // frodo --separate export holding only alpha_user and alpha_organization: the other targets live in files not in the repository (information only).
  "rockcarver_frodo-cli/test/e2e/exports/all-separate/cloud/global/idm/managed/alpha_user.managed.json": ["210 information resource-collection-unknown", "285 information resource-collection-unknown", "939 information resource-collection-unknown", "1150 information resource-collection-unknown", "1353 information resource-collection-unknown"],
  // internal.json exported alone: alpha_user is elsewhere (information only).
  "rockcarver_frodo-cli/test/e2e/exports/all-separate/everything/global/idm/internal.json": ["14 information resource-collection-unknown"],
  "rockcarver_frodo-cli/test/e2e/exports/all/all.managed.json": [],
  // fr-config-manager export holding only the user object (information only).
  "rockcarver_frodo-cli/test/e2e/exports/fr-config-manager/forgeops/managed-objects/user/user.json": ["138 information resource-collection-unknown", "206 information resource-collection-unknown", "300 information resource-collection-unknown", "624 information resource-collection-unknown", "815 information resource-collection-unknown", "894 information resource-collection-unknown", "940 information resource-collection-unknown", "1169 information resource-collection-unknown"],
  // The known AIC template gap: teammember.authzRoles reaches alpha_role, which has no authzMembers (a warning, as internal/role has it).
  "rockcarver_frodo-lib/src/ops/templates/cloud/managed.json": ["165 warning reverse-property-missing"],
  // preproduser was copied from user: its roles/ownerOfOrg/adminOfOrg name reverse sides whose resourceCollection never lists managed/preproduser.
  "tahahasan88_idmapi/conf/managed.json": ["2446 error reverse-missing-back-path", "2814 error reverse-missing-back-path", "2859 error reverse-missing-back-path"],
};

test('every corpus file reports exactly its recorded findings', () => {
  const files = jsonFilesUnder(CORPUS);
  const workspace = new Workspace();
  for (const file of files) workspace.setFile(uriOf(file), fs.readFileSync(file, 'utf8'));
  const actual: Record<string, string[]> = {};
  for (const file of files) actual[path.relative(CORPUS, file).split(path.sep).join('/')] = [];
  for (const schema of workspace.allSchemas()) {
    for (const [uri, findings] of checkSchema(schema)) {
      const file = files.find((f) => uriOf(f) === uri)!;
      const index = new LineIndex(workspace.getFile(uri)!.text);
      actual[path.relative(CORPUS, file).split(path.sep).join('/')].push(...findings.map((f) => `${index.positionAt(f.range.start).line + 1} ${f.severity} ${f.code}`));
    }
  }
  assert.deepEqual(actual, EXPECTED);
});

test('every corpus layout is recognised and every object read', () => {
  const layouts = new Map<string, string>();
  for (const file of jsonFilesUnder(CORPUS)) {
    const workspace = new Workspace();
    const config = workspace.setFile(uriOf(file), fs.readFileSync(file, 'utf8'));
    layouts.set(path.basename(file), config.layout);
    assert.notEqual(config.layout, 'unknown', file);
    assert.ok(config.objects.length > 0, `no objects read from ${file}`);
    assert.deepEqual(config.syntaxErrors, []);
  }
  assert.equal(layouts.get('all.managed.json'), 'frodo-wrapper');
  assert.equal(layouts.get('user.json'), 'single-object');
  assert.equal(layouts.get('alpha_user.managed.json'), 'single-object');
  assert.equal(layouts.get('internal.json'), 'internal');
});
