/**
 * The JSON schemas contributed through `jsonValidation`, run in VS Code's own JSON language service
 * (vscode-json-languageservice) as the editor runs them:
 *  - every real config of the corpus validates without a problem (no false positives);
 *  - wrong types, unknown keys, script hooks without `source`/`file` and policies without an id are flagged;
 *  - at the ten most common completion positions the JSON service offers nothing our server offers (no item twice),
 *    and where our server hovers the JSON service does not (no hover twice), while it answers where we do not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { getLanguageService, TextDocument, type LanguageService } from 'vscode-json-languageservice';
import { CORPUS, REPO_ROOT, jsonFilesUnder } from '../../helpers/fixtures';
import { COMPLETION_POSITIONS, atPosition } from '../../helpers/completionPositions';
import { Workspace } from '../../../server/src/core/model/workspace';
import { handleCompletion } from '../../../server/src/core/features/completion';
import { handleHover } from '../../../server/src/core/features/hover';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const validations: Array<{ fileMatch: string; url: string }> = manifest.contributes.jsonValidation;

function jsonService(): LanguageService {
  const service = getLanguageService({
    schemaRequestService: async (uri) => fs.readFileSync(fileURLToPath(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  service.configure({
    validate: true,
    allowComments: true,
    schemas: validations.map((v) => ({ uri: pathToFileURL(path.join(REPO_ROOT, v.url)).href, fileMatch: [v.fileMatch] })),
  });
  return service;
}

const service = jsonService();

async function problemsOf(uri: string, text: string) {
  const document = TextDocument.create(uri, 'json', 1, text);
  const diagnostics = await service.doValidation(document, service.parseJSONDocument(document), { comments: 'ignore', trailingCommas: 'ignore' });
  return diagnostics.map((d) => ({ line: d.range.start.line + 1, message: typeof d.message === 'string' ? d.message : d.message.value }));
}

test('jsonValidation covers the layouts the extension reads, with schemas that exist', () => {
  assert.deepEqual(validations.map((v) => v.fileMatch), ['**/managed.json', '**/managed-objects/**/*.json', '**/*.managed.json']);
  for (const v of validations) assert.ok(fs.existsSync(path.join(REPO_ROOT, v.url)), v.url);
});

test('every managed config of the corpus validates against the schema without a problem', async () => {
  let checked = 0;
  for (const file of jsonFilesUnder(CORPUS)) {
    const uri = pathToFileURL(file).href;
    if (!validations.some((v) => matches(v.fileMatch, file))) continue;
    const problems = await problemsOf(uri, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(problems, [], path.relative(CORPUS, file));
    checked++;
  }
  assert.ok(checked >= 15, `${checked} corpus files validated`);
  // The sample workspace too.
  const sample = path.join(REPO_ROOT, 'samples', 'workspace', 'conf', 'managed.json');
  assert.deepEqual(await problemsOf(pathToFileURL(sample).href, fs.readFileSync(sample, 'utf8')), []);
});

function matches(glob: string, file: string): boolean {
  const posix = file.split(path.sep).join('/');
  if (glob === '**/managed.json') return posix.endsWith('/managed.json');
  if (glob === '**/*.managed.json') return posix.endsWith('.managed.json');
  if (glob === '**/managed-objects/**/*.json') return /\/managed-objects\/.+\.json$/.test(posix);
  throw new Error(glob);
}

test('wrong types, unknown keys, incomplete script hooks and policies are flagged', async () => {
  const config = {
    objects: [{
      name: 'user',
      onCreate: { type: 'text/javascript' },
      onUpdat: { type: 'text/javascript', source: '' },
      schema: {
        title: 'User',
        viewble: true,
        properties: {
          userName: { type: 'string', viewable: 'yes', searchable: true, policies: [{ params: {} }] },
          mail: { type: 'string', userEditable: true, isVirtal: false },
          roles: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'members' } },
        },
      },
    }],
  };
  const text = JSON.stringify(config, null, 2);
  const problems = await problemsOf('file:///work/conf/managed.json', text);
  const at = (fragment: string) => text.split('\n').findIndex((line) => line.includes(fragment)) + 1;
  const expect = (fragment: string, message: RegExp) =>
    assert.ok(problems.some((p) => p.line === at(fragment) && message.test(p.message)), `${fragment}: ${JSON.stringify(problems)}`);
  expect('"onCreate"', /source|file/i);
  expect('"onUpdat"', /not allowed/);
  expect('"viewble"', /not allowed/);
  expect('"viewable": "yes"', /boolean/);
  assert.ok(problems.some((p) => p.line > at('"policies"') && /Missing property "policyId"/.test(p.message)), JSON.stringify(problems));
  expect('"isVirtal"', /not allowed/);
  // Relationship keys are the checker's (it says what IDM does with a wrong value): listed here, never flagged.
  assert.ok(!problems.some((p) => p.line >= at('"roles"')), JSON.stringify(problems));
  assert.equal(problems.length, 6, JSON.stringify(problems));

  // A per-object file and a frodo export get the object schema.
  const single = JSON.stringify({ name: 'user', schema: { properties: { a: { type: 'string', viewable: 1 } } } }, null, 2);
  assert.equal((await problemsOf('file:///work/managed-objects/user/user.json', single)).length, 1);
  assert.equal((await problemsOf('file:///work/idm/managed/alpha_user.managed.json', single)).length, 1);
});

const SAMPLE = path.join(REPO_ROOT, 'samples', 'workspace', 'conf', 'managed.json');

/** What each side offers at a position of the sample config. */
async function bothCompletions(text: string, offset: number) {
  const uri = pathToFileURL(SAMPLE).href;
  const workspace = new Workspace();
  workspace.setFile(uri, text);
  const internal = path.join(path.dirname(SAMPLE), 'internal.json');
  workspace.setFile(pathToFileURL(internal).href, fs.readFileSync(internal, 'utf8'));
  const ours = handleCompletion(workspace, uri, offset).items;
  const document = TextDocument.create(uri, 'json', 1, text);
  const theirs = await service.doComplete(document, document.positionAt(offset), service.parseJSONDocument(document));
  return { ours, theirs: theirs?.items ?? [], workspace, uri };
}

const unquote = (label: string) => label.replace(/^"(.*)"$/, '$1');

test('at the ten most common positions our server answers and the JSON service offers nothing of the same', async () => {
  const sample = fs.readFileSync(SAMPLE, 'utf8');
  for (const position of COMPLETION_POSITIONS) {
    const { text, offset } = atPosition(sample, position);
    const { ours, theirs } = await bothCompletions(text, offset);
    assert.ok(ours.length > 0, `${position.name}: our server answers`);
    const ourLabels = new Set(ours.map((i) => i.label));
    const twice = theirs.map((i) => unquote(i.label)).filter((label) => ourLabels.has(label));
    assert.deepEqual(twice, [], `${position.name}: offered by both`);
    // Nothing of theirs may sort above our first item in VS Code (which, with nothing typed, sorts by sortText).
    const ourFirst = [...ours].sort((a, b) => a.sortText.localeCompare(b.sortText))[0];
    // VS Code compares sortText (or the label) as plain strings, not by locale.
    const above = theirs.filter((i) => (i.sortText ?? i.label) < ourFirst.sortText).map((i) => i.label);
    assert.deepEqual(above, [], `${position.name}: sorted above ${ourFirst.label}`);
  }
});

test('a boolean UI key is completed once: by the schema', async () => {
  const sample = fs.readFileSync(SAMPLE, 'utf8');
  const { text, offset } = atPosition(sample, { name: 'viewable value', find: '"viewable" : true,', replace: '"viewable" : |,' });
  const { ours, theirs } = await bothCompletions(text, offset);
  assert.deepEqual(ours.map((i) => i.label), []);
  assert.deepEqual(theirs.map((i) => i.label).sort(), ['false', 'true']);
});

test('keys the server does not know are completed by the schema; no hover is given twice', async () => {
  const sample = fs.readFileSync(SAMPLE, 'utf8');
  const key = COMPLETION_POSITIONS.find((p) => p.name === 'key on a relationship property')!;
  const { text, offset } = atPosition(sample, key);
  const { ours, theirs } = await bothCompletions(text, offset);
  const theirLabels = theirs.map((i) => i.label);
  for (const label of ['policies', 'isProtected', 'encryption']) assert.ok(theirLabels.includes(label), `${label}: ${theirLabels.join(', ')}`);
  assert.ok(ours.some((i) => i.label === 'reverseRelationship' || i.label === 'returnByDefault'));

  // Hover: at every key and value of the sample, at most one side answers.
  const uri = pathToFileURL(SAMPLE).href;
  const workspace = new Workspace();
  workspace.setFile(uri, sample);
  const document = TextDocument.create(uri, 'json', 1, sample);
  const parsed = service.parseJSONDocument(document);
  let both = 0;
  let theirsOnly = 0;
  let oursOnly = 0;
  const seen: string[] = [];
  for (const match of sample.matchAll(/"([^"\\]*)"\s*:/g)) {
    const offset = match.index! + 2;
    const ourHover = handleHover(workspace, uri, offset);
    const hover = await service.doHover(document, document.positionAt(offset), parsed);
    // VS Code shows no hover whose contents are empty, as the JSON service's are for keys the schema leaves undescribed.
    const theirHover = hover && JSON.stringify(hover.contents) !== '[""]' ? hover : undefined;
    if (ourHover && theirHover) { both++; seen.push(`${match[1]} (line ${document.positionAt(offset).line + 1}: ${JSON.stringify(theirHover.contents).slice(0, 80)})`); }
    else if (theirHover) theirsOnly++;
    else if (ourHover) oursOnly++;
  }
  assert.deepEqual(seen, [], `keys hovered by both: ${[...new Set(seen)].join(', ')}`);
  assert.equal(both, 0);
  assert.ok(theirsOnly > 50 && oursOnly > 50, `the schema hovers ${theirsOnly} keys, the server ${oursOnly}`);
});
