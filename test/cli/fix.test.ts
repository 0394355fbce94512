/**
 * `idm-rel check --fix` and `--fix-dry-run` on copies of the corpus and of hand-made files: only the fixes that need no
 * choice are applied, the re-check leaves only what needs a human, a second run changes nothing, files keep their
 * encoding and line endings, are replaced atomically, and a file changed on disk meanwhile is left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CORPUS, REPO_ROOT, jsonFilesUnder } from '../helpers/fixtures';
import { runCheckCommand } from '../../server/src/node/checkCommand';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkWorkspace, safeFix } from '../../server/src/core/fixes/batchFix';
import { getQuickFixes } from '../../server/src/core/fixes/quickFixes';
import { decode } from '../../server/src/node/fileText';

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function copyOf(source: string): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-fix-'));
  fs.cpSync(source, target, { recursive: true });
  return target;
}

function snapshot(folder: string): Map<string, Buffer> {
  return new Map(jsonFilesUnder(folder).map((file) => [path.relative(folder, file), fs.readFileSync(file)]));
}

/** Every finding left in `folder`, with how many fixes it offers and whether one is safe to apply unasked. */
function remaining(folder: string) {
  const workspace = new Workspace();
  for (const file of jsonFilesUnder(folder)) workspace.setFile(pathToFileURL(file).href, decode(fs.readFileSync(file)).text);
  const left: Array<{ code: string; fixes: number; safe: boolean }> = [];
  for (const findings of checkWorkspace(workspace).values()) {
    for (const finding of findings) {
      const fixes = getQuickFixes(workspace, finding.data);
      left.push({ code: finding.code, fixes: fixes.length, safe: safeFix(fixes) !== undefined });
    }
  }
  return left;
}

test('--fix on a copy of the corpus: the safe fixes are applied, what is left needs a human, a second --fix changes nothing', () => {
  const folder = copyOf(CORPUS);
  try {
    const before = snapshot(folder);
    const beforeLeft = remaining(folder);
    const safeBefore = beforeLeft.filter((f) => f.safe).length;
    assert.ok(safeBefore >= 6, `the corpus has safe fixes to apply (found ${safeBefore})`);

    const first = run(['check', '--fix', '.'], folder);
    assert.equal(first.code, 0, first.stderr);
    const fixedLines = first.stdout.split('\n').filter((line) => / fixed /.test(line));
    assert.equal(fixedLines.length, 6, first.stdout);
    assert.ok(fixedLines.some((line) => line.startsWith('tahahasan88_idmapi/conf/managed.json:2446:53 fixed reverse-missing-back-path: Add managed/preproduser')), first.stdout);
    assert.match(first.stderr, /\(6 fixes applied in 2 files\)/);

    const after = snapshot(folder);
    const changed = [...after].filter(([name, bytes]) => !bytes.equals(before.get(name)!)).map(([name]) => name).sort();
    assert.deepEqual(changed, [
      'OpenIdentityPlatform_OpenIDM/history-2015-10-13/openidm-zip/src/main/resources/conf/managed.json',
      'tahahasan88_idmapi/conf/managed.json',
    ]);
    for (const name of changed) assert.doesNotThrow(() => JSON.parse(after.get(name)!.toString('utf8')), `${name} still parses`);

    // The re-check: nothing left that a fix could repair without a choice, and no new kind of problem.
    const left = remaining(folder);
    assert.deepEqual(left.filter((f) => f.safe), []);
    assert.ok(left.length <= beforeLeft.length - 6, `${left.length} left of ${beforeLeft.length}`);
    assert.ok(left.every((f) => beforeLeft.some((b) => b.code === f.code)), 'no new kind of finding');
    // What is left is reported with what it needs.
    assert.match(first.stdout, /reverse-property-missing .* \(not fixed: 2 fixes to choose from in the editor\)/);

    const second = run(['check', '--fix', '.'], folder);
    assert.equal(second.code, 0);
    assert.doesNotMatch(second.stdout, / fixed /);
    assert.match(second.stderr, /\(0 fixes applied in 0 files\)/);
    const again = snapshot(folder);
    for (const [name, bytes] of after) assert.ok(bytes.equals(again.get(name)!), `${name} unchanged by the second --fix`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('--fix-dry-run writes nothing and prints the diff that --fix applies', (t) => {
  const git = spawnSync('git', ['--version']);
  if (git.error) return t.skip('git is not installed: it applies the diff here');
  const folder = copyOf(CORPUS);
  try {
    const before = snapshot(folder);
    const dry = run(['check', '--fix-dry-run', '.'], folder);
    assert.equal(dry.code, 0, dry.stderr);
    for (const [name, bytes] of snapshot(folder)) assert.ok(bytes.equals(before.get(name)!), `${name} not written by a dry run`);
    assert.match(dry.stdout, /^--- a\/OpenIdentityPlatform_OpenIDM\/.*\n\+\+\+ b\/OpenIdentityPlatform_OpenIDM\//);
    assert.match(dry.stdout, /\n\+\s+"reverseRelationship" : true,\n/);
    assert.doesNotMatch(dry.stdout, /warning|information/, 'the report goes to stderr, stdout is the diff alone');
    assert.match(dry.stderr, /would fix reverse-missing-back-path/);
    assert.match(dry.stderr, /\(6 fixes would be applied in 2 files\)/);

    // The diff applies with git and gives exactly what --fix writes.
    const applied = copyOf(folder);
    try {
      const patch = path.join(os.tmpdir(), `idm-rel-fix-${process.pid}.diff`);
      fs.writeFileSync(patch, dry.stdout);
      const result = spawnSync('git', ['apply', '--unsafe-paths', '-p1', patch], { cwd: applied, encoding: 'utf8' });
      fs.rmSync(patch);
      assert.equal(result.status, 0, result.stderr);
      run(['check', '--fix', '.'], folder);
      const fixed = snapshot(folder);
      for (const [name, bytes] of snapshot(applied)) assert.ok(bytes.equals(fixed.get(name)!), `${name}: dry-run diff = --fix result`);
    } finally {
      fs.rmSync(applied, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

const TAHA = path.join(CORPUS, 'tahahasan88_idmapi', 'conf', 'managed.json');

/** Fixes one file written with `encode` in a temporary folder; returns the bytes afterwards and the output. */
function fixEncoded(text: string, encodeFile: (text: string) => Buffer) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-fix-'));
  try {
    const file = path.join(folder, 'conf', 'managed.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, encodeFile(text));
    const inode = fs.statSync(file).ino;
    fs.chmodSync(file, 0o640);
    const result = run(['check', '--fix', 'conf/managed.json'], folder);
    const leftovers = fs.readdirSync(path.dirname(file)).filter((name) => name !== 'managed.json');
    return { ...result, bytes: fs.readFileSync(file), replaced: fs.statSync(file).ino !== inode, mode: fs.statSync(file).mode & 0o777, leftovers };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

test('--fix keeps the encoding, byte order mark and line endings, and replaces the file atomically', () => {
  const lf = fs.readFileSync(TAHA, 'utf8');
  assert.ok(!lf.includes('\r'), 'the fixture is LF');
  const plain = fixEncoded(lf, (text) => Buffer.from(text));
  assert.match(plain.stdout, /fixed reverse-missing-back-path/);
  const fixedLf = plain.bytes.toString('utf8');
  assert.notEqual(fixedLf, lf);
  assert.ok(plain.replaced, 'written to a new file renamed over the old one');
  assert.equal(plain.mode, 0o640, 'permissions kept');
  assert.deepEqual(plain.leftovers, [], 'no temporary file left behind');

  const crlf = (text: string) => text.replace(/\n/g, '\r\n');
  const cases: Array<[string, (text: string) => Buffer]> = [
    ['CRLF with a UTF-8 BOM', (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf(text))])],
    ['UTF-16LE with its BOM', (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE with its BOM', (text) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
  ];
  for (const [name, encodeFile] of cases) {
    const result = fixEncoded(lf, encodeFile);
    assert.match(result.stdout, /fixed reverse-missing-back-path/, name);
    const expected = name.startsWith('CRLF') ? encodeFile(crlf(fixedLf).replace(/\r\n/g, '\n')) : encodeFile(fixedLf);
    assert.ok(result.bytes.equals(expected), `${name}: same fix, same encoding and line endings`);
  }

  // Bytes that are not UTF-8 would be lost by a write: the file is checked but left alone.
  assert.ok(lf.includes('"A role assignment"'));
  const latin1 = Buffer.from(lf.replace('"A role assignment"', '"A r\u00f4le assignment"'), 'latin1');
  const untouched = fixEncoded(lf, () => latin1);
  assert.ok(untouched.bytes.equals(latin1));
  assert.match(untouched.stderr, /not valid UTF-8 or UTF-16: no fix is written to it/);
  assert.equal(untouched.code, 1, 'its errors are still reported');
});

/** Two per-object files: user.manager's reverse, group.reports, is one-way, so the fix edits group's file. */
function crossFileWorkspace(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-fix-'));
  const write = (name: string, schema: object) => {
    const file = path.join(folder, 'managed-objects', name, `${name}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ name, schema }, null, 4) + '\n');
  };
  const collection = (type: string) => [{ path: `managed/${type}`, label: type, query: { queryFilter: 'true', fields: ['name'] } }];
  write('user', {
    order: ['name', 'manager'],
    properties: {
      name: { type: 'string' },
      manager: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'reports', resourceCollection: collection('group') },
    },
  });
  write('group', {
    order: ['name', 'reports'],
    properties: {
      name: { type: 'string' },
      reports: { type: 'array', items: { type: 'relationship', resourceCollection: collection('user') } },
    },
  });
  write('device', {
    order: ['name', 'owner'],
    properties: {
      name: { type: 'string' },
      owner: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'devices', resourceCollection: collection('user') },
    },
  });
  return folder;
}

test('--fix applies a fix that edits another file, and leaves a group of files alone when one changed on disk', () => {
  const folder = crossFileWorkspace();
  try {
    const group = path.join(folder, 'managed-objects', 'group', 'group.json');
    const original = fs.readFileSync(group, 'utf8');
    const result = run(['check', '--fix', 'managed-objects/user/user.json'], folder);
    assert.match(result.stdout, /^managed-objects\/user\/user\.json:\d+:\d+ fixed reverse-not-bidirectional: Make group\.reports bidirectional, pointing back at manager \(edits managed-objects\/group\/group\.json\)$/m);
    const fixed = JSON.parse(fs.readFileSync(group, 'utf8'));
    assert.equal(fixed.schema.properties.reports.items.reverseRelationship, true);
    assert.equal(fixed.schema.properties.reports.items.reversePropertyName, 'manager');
    assert.equal(result.code, 0, result.stdout + result.stderr);

    // Again from scratch, but group.json changes between the read and the write.
    fs.writeFileSync(group, original);
    const lines: string[] = [];
    const errors: string[] = [];
    const edited = original.replace('"name": "group"', '"name": "group" ');
    const code = runCheckCommand(['--fix', 'managed-objects/user/user.json', 'managed-objects/device/device.json'], {
      cwd: folder,
      stdout: (text) => lines.push(text),
      stderr: (text) => errors.push(text),
      beforeWrite: () => fs.writeFileSync(group, edited),
    });
    assert.equal(fs.readFileSync(group, 'utf8'), edited, 'the file changed on disk is left as it is');
    assert.match(errors.join(''), /'managed-objects\/group\/group\.json' changed on disk since it was read: left alone/);
    assert.doesNotMatch(lines.join(''), /fixed reverse-not-bidirectional/);
    assert.match(lines.join(''), /warning reverse-not-bidirectional .*\(not fixed: a file its fix edits changed on disk or could not be written\)/, 'and its finding is still reported');
    assert.match(lines.join(''), /error reverse-property-missing .*device\.owner\. \(not fixed: 2 fixes to choose from in the editor\)/);
    assert.equal(code, 1);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('--max-warnings N: exit 1 once there are more than N warnings', () => {
  const folder = path.join(CORPUS, 'PeteAzwork_IDM-Entitlements-Standalone');
  assert.equal(run(['check', '.'], folder).code, 0, 'one warning, no error');
  const over = run(['check', '.', '--max-warnings', '0'], folder);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /1 warnings, more than --max-warnings 0/);
  assert.equal(run(['check', '.', '--max-warnings=1'], folder).code, 0);
  assert.equal(run(['check', '.', '--max-warnings', '-1'], folder).code, 0, '-1: no limit');
  assert.equal(run(['check', '.', '--max-warnings', 'x'], folder).code, 2);
  assert.equal(run(['check', '.', '--fix', '--fix-dry-run'], folder).code, 2);
});
