// Issue 19 point 3 and issue 17 "the rest of the file": in the real VS Code, our completion runs beside VS Code's JSON
// support, which knows the files through the JSON schema the extension contributes. At the ten positions where users
// of relationship configs ask for completion most, the first row of the suggest widget must be our server's first
// item, and no row may appear twice (ours and the schema's). Our first item is computed here by the same core code the
// server runs, so the test follows the server's ranking rather than a copy of it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openFile, triggerCompletion } from './workbench';
import { goToAndFocus, step, TempWorkspace, waitForLanguageStatus, withSession } from './scenarioSupport';
import { repoRoot } from './codeServer';
import { COMPLETION_POSITIONS, atPosition } from '../helpers/completionPositions';
import { Workspace } from '../../server/src/core/model/workspace';
import { handleCompletion } from '../../server/src/core/features/completion';

const SAMPLE = join(repoRoot(), 'samples', 'workspace', 'conf');

function ourFirstItem(text: string, offset: number): string {
  const workspace = new Workspace();
  const uri = pathToFileURL('/ws/conf/managed.json').href;
  workspace.setFile(uri, text);
  workspace.setFile(pathToFileURL('/ws/conf/internal.json').href, readFileSync(join(SAMPLE, 'internal.json'), 'utf8'));
  const items = handleCompletion(workspace, uri, offset).items;
  assert.ok(items.length, 'our server answers here');
  return [...items].sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0))[0].label;
}

test('suggest widget: our item first and nothing twice at the ten most common positions', async (t) => {
  const sample = readFileSync(join(SAMPLE, 'managed.json'), 'utf8');
  const workspace = new TempWorkspace('suggest');
  const cases = COMPLETION_POSITIONS.map((position, i) => {
    const at = atPosition(sample, position);
    const folder = `p${i + 1}`;
    workspace.write(`${folder}/conf/managed.json`, at.text).copy('samples/workspace/conf/internal.json', `${folder}/conf/internal.json`);
    return { position, folder, at, expected: ourFirstItem(at.text, at.offset) };
  });

  await withSession('suggest', workspace, async ({ page }) => {
    const results: string[] = [];
    for (const { position, folder, at, expected } of cases) {
      await step(t, `${position.name}: ${expected} first`, async () => {
        await openFile(page, `${folder}/conf/managed.json`);
        await waitForLanguageStatus(page, (status) => status.objectTypes > 0);
        await goToAndFocus(page, { line: at.line + 1, column: at.character + 1 });
        const suggestions = await triggerCompletion(page);
        await page.keyboard.press('Escape');
        const labels = suggestions.map((s) => s.label.replace(/^"(.*)"$/, '$1'));
        results.push(`${position.name}: ${labels.slice(0, 3).join(', ')}`);
        assert.equal(labels[0], expected, `first row at ${position.name}: ${JSON.stringify(suggestions)}`);
        const twice = labels.filter((label, i) => labels.indexOf(label) !== i);
        assert.deepEqual(twice, [], `shown twice at ${position.name}: ${JSON.stringify(suggestions)}`);
      });
    }
    console.log(results.join('\n'));
  });
});
