/**
 * The scenarios of test/e2e/, through the `vscode` API: diagnostics and a quick fix, completion, rename, a scenario
 * run and the graph panel. Run inside VS Code by test/vscode/runTests.ts (no test framework needed: each scenario
 * throws on failure and the first failure fails the run).
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const TIMEOUT_MS = 60_000;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Polling the editor's state, not sleeping for a result: each probe reads what VS Code shows now.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function workspaceFile(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, ...parts));
}

const diagnosticsWith = (uri: vscode.Uri, code: string) =>
  vscode.languages.getDiagnostics(uri).filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === code);

const scenarios: Array<[string, () => Promise<void>]> = [
  ['a broken reverse pair is reported and fixed by its quick fix', async () => {
    const uri = workspaceFile('conf', 'managed.json');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await until('reverse-property-missing', () => {
      const found = diagnosticsWith(uri, 'reverse-property-missing');
      return found.length ? found : undefined;
    });
    assert.equal(diagnostic.source, 'idm-relationships');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const fix = actions.find((action) => action.isPreferred && action.title.startsWith('Add `owner` to device'));
    assert.ok(fix?.edit, `no preferred fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /"owner"\s*:\s*\{/);
    await document.save();
    await until('the problem to go away', () => diagnosticsWith(uri, 'reverse-property-missing').length === 0 || undefined);
  }],
  ['completion offers the workspace types as resourceCollection paths', async () => {
    const uri = workspaceFile('conf', 'managed.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const offset = document.getText().indexOf('"path" : "managed/roles"') + '"path" : "'.length;
    const position = document.positionAt(offset + 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const expected of ['managed/user', 'managed/role', 'managed/device']) assert.ok(labels.includes(expected), `${expected} not in ${labels.join(', ')}`);
  }],
  ['renaming a relationship property renames the other side\'s reversePropertyName', async () => {
    const uri = workspaceFile('conf', 'managed.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const position = document.positionAt(document.getText().indexOf('"manager" : {') + 2);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', uri, position, 'supervisor');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.match(document.getText(), /"reversePropertyName" : "supervisor"/);
    assert.doesNotMatch(document.getText(), /"reversePropertyName" : "manager"/);
  }],
  ['Run all shows the scenario\'s responses', async () => {
    const scenario = workspaceFile('clean.idmsim');
    await vscode.workspace.fs.writeFile(scenario, Buffer.from([
      '@config clean-conf/managed.json', '### bjensen', 'PUT managed/user/bjensen', 'If-None-Match: *', '',
      '{ "userName": "bjensen", "sn": "Jensen", "givenName": "Barbara", "mail": "b@example.com" }', '',
    ].join('\n')));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scenario));
    await vscode.commands.executeCommand('idmRelationships.runAll', scenario.toString());
    const view = await until('the responses view', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'idm-simulation'));
    assert.match(view.getText(), /→ 201 Created/);
  }],
  ['the graph panel opens on a managed config', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('conf', 'managed.json')));
    await vscode.commands.executeCommand('idmRelationships.showGraph');
    await until('the graph tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview));
  }],
];

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('idm-relationships.idm-relationships');
  assert.ok(extension, 'the extension is installed');
  for (const [name, scenario] of scenarios) {
    const started = Date.now();
    await scenario();
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  }
}
