/**
 * `npm start`'s first run and the Getting Started walkthrough, without VS Code: when the extension opens the sample's
 * config with the graph beside it (only when the start script asks, once per workspace), that the start script asks
 * with the variable the extension reads, and that every step of the walkthrough links a command the extension
 * registers or declares, with its media packaged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIRST_RUN_VARIABLE, firstRunConfig } from '../../../client/src/firstRun';
import { repoRoot } from '../../e2e/codeServer';

const root = repoRoot(__dirname);

test('first run: only when the start script sets the variable, and once per workspace', () => {
  assert.equal(firstRunConfig({}, false), undefined, 'an ordinary start opens nothing');
  assert.equal(firstRunConfig({ [FIRST_RUN_VARIABLE]: '' }, false), undefined);
  assert.equal(firstRunConfig({ [FIRST_RUN_VARIABLE]: 'conf/managed.json' }, false), 'conf/managed.json');
  assert.equal(firstRunConfig({ [FIRST_RUN_VARIABLE]: 'conf/managed.json' }, true), undefined, 'a reload after the first run opens nothing');
  assert.equal(firstRunConfig({ [FIRST_RUN_VARIABLE]: ' conf\\managed.json ' }, false), 'conf/managed.json');
});

test('first run: a path outside the workspace is refused', () => {
  for (const path of ['/etc/passwd', '../other/managed.json', 'conf/../../managed.json', 'C:/conf/managed.json']) {
    assert.equal(firstRunConfig({ [FIRST_RUN_VARIABLE]: path }, false), undefined, path);
  }
});

test('first run: npm start asks with the variable the extension reads, for the sample config that exists', () => {
  const start = readFileSync(join(root, 'scripts', 'start.mjs'), 'utf8');
  assert.match(start, new RegExp(`const FIRST_RUN_VARIABLE = '${FIRST_RUN_VARIABLE}';`));
  const config = /const SAMPLE_CONFIG = '([^']+)';/.exec(start)?.[1];
  assert.equal(config, 'conf/managed.json');
  assert.ok(existsSync(join(root, 'samples', 'workspace', config)));
});

interface WalkthroughStep {
  id: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}

test('walkthrough: every step links a command the extension registers and declares, with its media in a packaged folder', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    contributes: { commands: Array<{ command: string }>; walkthroughs: Array<{ id: string; steps: WalkthroughStep[] }> };
  };
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  const clientDir = join(root, 'client', 'src');
  const clientSource = readdirSync(clientDir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(clientDir, f), 'utf8')).join('\n');
  // Commands are registered by name or through a constant holding it.
  const registered = (command: string) =>
    clientSource.includes(`registerCommand('${command}'`) || new RegExp(`export const \\w+_COMMAND = '${command.replace(/\./g, '\\.')}';`).test(clientSource);
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.equal(walkthrough.id, 'gettingStarted');
  assert.deepEqual(walkthrough.steps.map((s) => s.id), ['findBrokenPair', 'fixBrokenPair', 'showGraph', 'runScenario']);
  for (const step of walkthrough.steps) {
    const links = [...step.description.matchAll(/\]\(command:(?:toSide:)?([\w.]+)\)/g)].map((m) => m[1]);
    assert.equal(links.length, 1, `${step.id}: one button`);
    const [command] = links;
    assert.ok(declared.has(command), `${step.id}: ${command} is in contributes.commands`);
    assert.ok(registered(command), `${step.id}: ${command} is registered by the client`);
    assert.deepEqual(step.completionEvents, [`onCommand:${command}`], `${step.id}: done when its button ran`);
    const media = step.media.markdown;
    assert.ok(media && media.startsWith('media/') && existsSync(join(root, media)), `${step.id}: media ${media} exists under media/`);
  }
});
