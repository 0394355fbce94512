/**
 * `npm run test:vscode`: the end-to-end scenarios through the `vscode` API in a VS Code that @vscode/test-electron
 * downloads. For machines that can download VS Code; where they cannot (only the npm registry reachable), the same
 * scenarios run in code-server through the browser (test/e2e/).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '../../..');
  // A copy of the sample workspace: the scenarios edit files.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-vscode-'));
  fs.cpSync(path.join(repoRoot, 'samples', 'workspace'), workspace, { recursive: true });
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'scenarios', 'conf'), path.join(workspace, 'clean-conf'), { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
