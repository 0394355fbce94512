// Playwright helpers that drive the VS Code workbench served by code-server (see codeServer.ts) the way a person
// would: keyboard shortcuts, Quick Open, the command palette, the Problems panel, the light bulb menu, the suggest
// widget, rename, webviews. Every wait is on a DOM signal the workbench itself shows, never a fixed sleep.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { readE2eEnvironment, repoRoot, type CodeServer } from './codeServer';

/**
 * Default time allowed for one workbench reaction (a widget opening, diagnostics arriving); E2E_TIMEOUT_MS overrides
 * it. Generous because a loaded 2-core machine can take tens of seconds to start the extension host.
 */
export const DEFAULT_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 60_000;

// Chromium as this machine needs it: no sandbox (root), no GPU, and none of the background traffic that a closed
// network refuses.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Workbench {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile, opens the workbench of `server` and waits until it is ready: the workbench
 * laid out with the workspace in the Explorer, and the extension host up with its startup extensions activated.
 */
export async function openWorkbench(server: CodeServer, options: { timeoutMs?: number } = {}): Promise<Workbench> {
  const environment = readE2eEnvironment();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const profileDir = mkdtempSync(join(tmpdir(), 'idm-e2e-chromium-'));
  // Playwright refuses --user-data-dir among the args: a persistent context is how it takes a profile folder.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: environment.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 1000 },
  });
  const close = async () => {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeoutMs);
    // Not until the page's `load` event: on a loaded machine the workbench's scripts alone took over a minute to load,
    // and what the scenarios need is the workbench laid out, which waitForWorkbenchReady waits for.
    await page.goto(server.workbenchUrl, { waitUntil: 'commit' });
    await waitForWorkbenchReady(page);
    await server.waitForExtensionHost(timeoutMs);
    return { page, context, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The workbench's own readiness: laid out, the Explorer listing the workspace's files (so the folder is resolved),
 * and keyboard focus in the editor area so that shortcuts reach the workbench.
 */
export async function waitForWorkbenchReady(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
  await page.locator('.part.statusbar').waitFor({ state: 'visible' });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible' });
  await page.locator('.part.editor').click({ position: { x: 5, y: 5 } });
}

/**
 * Quick Open (Ctrl+P): types `file` (a file name, or a workspace-relative path such as "conf/managed.json" when several
 * files share the name), opens the entry with that name (and folder), and waits for its editor to be active.
 */
export async function openFile(page: Page, file: string): Promise<Locator> {
  const parts = file.split('/').filter(Boolean);
  const fileName = parts.pop() ?? file;
  const folder = parts.join('/');
  const input = await openQuickInput(page, 'Control+P');
  await input.fill(file);
  let pick = quickInputRows(page).filter({ has: page.locator('.label-name', { hasText: exactText(fileName) }) });
  // Quick Open shows the folder (relative to the workspace) as the entry's description.
  if (folder) pick = pick.filter({ has: page.locator('.label-description', { hasText: new RegExp(`(^|/)${escapeRegExp(folder)}\\s*$`) }) });
  await pick.first().waitFor({ state: 'visible' });
  await pick.first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator(`.tabs-container .tab.active[aria-label^="${cssString(fileName)}"]`).waitFor({ state: 'visible' });
  const editor = activeEditor(page);
  // Monaco renders lines after the editor is shown: an open editor always has at least one line.
  await editor.locator('.view-lines .view-line').first().waitFor({ state: 'attached' });
  return editor;
}

/** The text editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

/** The visible lines of the active editor (Monaco renders only what is on screen), spaces normalised. */
export async function visibleEditorText(page: Page): Promise<string> {
  return renderedLines(activeEditor(page).locator('.view-lines .view-line'));
}

/** The text of rendered Monaco lines, in document order. */
export async function renderedLines(lines: Locator): Promise<string> {
  const entries = await lines.evaluateAll((elements) =>
    elements.map((element) => ({
      top: Number.parseFloat((element as unknown as { style: { top: string } }).style.top),
      text: (element as unknown as { textContent: string | null }).textContent ?? '',
    })),
  );
  // Lines are absolutely positioned and not in document order: sort them by their offset.
  return entries
    .sort((a, b) => a.top - b.top)
    .map((entry) => entry.text.replace(/\u00a0/g, ' '))
    .join('\n');
}

/** Moves the cursor with Go to Line (Ctrl+G), 1-based line and column. */
export async function goToPosition(page: Page, line: number, column = 1): Promise<void> {
  const input = await openQuickInput(page, 'Control+G');
  // Ctrl+G opens the quick input with ':' already typed.
  await input.fill(`:${line}:${column}`);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await activeEditor(page).locator('.cursors-layer .cursor').first().waitFor({ state: 'attached' });
}

/** Runs a command through the command palette (Ctrl+Shift+P), choosing the entry whose label is exactly `label`. */
export async function runCommand(page: Page, label: string): Promise<void> {
  const input = await openQuickInput(page, 'Control+Shift+P');
  await input.fill(`>${label}`);
  const pick = quickInputRows(page).filter({ has: page.locator('.label-name', { hasText: exactText(label) }) }).first();
  await pick.waitFor({ state: 'visible' });
  await pick.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** The word that starts a marker row's accessible label, by severity (VS Code says "Problem" for a hint). */
const SEVERITY_OF_LABEL: Record<string, Severity> = { Error: 'error', Warning: 'warning', Info: 'info', Problem: 'hint' };

function fail(message: string): never {
  throw new Error(message);
}

export interface RelatedLocation {
  /** File name as shown. */
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface Problem {
  /** Absolute path of the file (from the resource row's label). */
  path: string;
  /** File name as the Problems panel shows it. */
  file: string;
  /** Folder of the file relative to the workspace, as shown beside the name ('' at the root). */
  folder: string;
  severity: Severity;
  /** The whole message, lines joined with '\n' (the panel only cuts it short visually). */
  message: string;
  /** Diagnostic source, e.g. "idm-relationships" ('' if none). */
  source: string;
  /** Diagnostic code ('' if none). */
  code: string;
  line: number;
  column: number;
  /** The diagnostic's related information, shown as rows under it. */
  related: RelatedLocation[];
}

interface ProblemRow {
  index: number;
  kind: 'resource' | 'marker' | 'related' | 'other';
  path: string;
  name: string;
  description: string;
  severity: string;
  message: string;
  source: string;
  code: string;
  position: string;
}

/**
 * Opens the Problems panel (Ctrl+Shift+M) and returns all its entries, read from its DOM. The list is virtual (only
 * rows on screen exist), so it is scrolled through until no new rows appear. Its rows are of three kinds: a file,
 * a problem in it, and a related location under the problem.
 */
export async function readProblems(page: Page): Promise<Problem[]> {
  const panel = await showProblemsPanel(page);
  const list = panel.locator('.monaco-list').first();
  const rowsByIndex = new Map<number, ProblemRow>();
  const collect = async () => {
    const rows = await panel.locator('.monaco-list-row').evaluateAll((elements) => {
      type El = {
        querySelector(s: string): El | null;
        querySelectorAll(s: string): ArrayLike<El>;
        textContent: string | null;
        className: string;
        getAttribute(n: string): string | null;
      };
      const text = (el: El | null) => (el?.textContent ?? '').trim();
      return (elements as unknown as El[]).map((row) => {
        const kind = row.querySelector('.resource-label-container')
          ? 'resource'
          : row.querySelector('.marker-icon')
            ? 'marker'
            : row.querySelector('.related-info-resource')
              ? 'related'
              : 'other';
        return {
          index: Number(row.getAttribute('data-index')),
          kind: kind as ProblemRow['kind'],
          path: row.querySelector('.resource-label-container .monaco-icon-label')?.getAttribute('aria-label') ?? '',
          name: text(row.querySelector('.label-name')) || text(row.querySelector('.related-info-resource')),
          description: text(row.querySelector('.label-description')),
          // The severity as the row's accessible label says it ("Error: <message> at line 3 and character 5. ..."),
          // written with the row itself. Not the icon's class list: once the panel has asked for the marker's quick
          // fixes (when its row is focused, selected or hovered) the icon is "marker-icon error quickFix".
          severity: /^(Error|Warning|Info|Problem):/.exec(row.getAttribute('aria-label') ?? '')?.[1] ?? '',
          // A multi-line message is rendered one line per element.
          message: Array.from(row.querySelectorAll('.marker-message, .marker-description'), (el) => text(el)).join('\n'),
          source: text(row.querySelector('.marker-source')),
          code: text(row.querySelector('.marker-code')),
          position: text(row.querySelector('.marker-line')),
        };
      });
    });
    let added = 0;
    for (const row of rows) {
      if (!rowsByIndex.has(row.index)) added++;
      rowsByIndex.set(row.index, row);
    }
    return added;
  };
  await collect();
  if (await list.isVisible()) {
    const box = await list.boundingBox();
    const step = (box?.height ?? 200) * 0.8;
    while ((await scrollListBy(page, list, step)) && (await collect()) > 0);
    // Back to the top, as a person would find it.
    while (await scrollListBy(page, list, -step));
  }
  const lineAndColumn = (position: string) => {
    const match = /Ln (\d+), Col (\d+)/.exec(position);
    return { line: match ? Number(match[1]) : 0, column: match ? Number(match[2]) : 0 };
  };
  const problems: Problem[] = [];
  let resource = { path: '', file: '', folder: '' };
  for (const row of [...rowsByIndex.values()].sort((a, b) => a.index - b.index)) {
    if (row.kind === 'resource') {
      resource = { path: row.path, file: row.name, folder: row.description };
    } else if (row.kind === 'marker') {
      problems.push({
        ...resource,
        severity: SEVERITY_OF_LABEL[row.severity] ?? fail(`a Problems row without a severity in its label: ${JSON.stringify(row)}`),
        message: row.message,
        source: row.source,
        code: row.code,
        ...lineAndColumn(row.position),
        related: [],
      });
    } else if (row.kind === 'related' && problems.length > 0) {
      problems[problems.length - 1].related.push({ file: row.name, ...lineAndColumn(row.position), message: row.message });
    }
  }
  return problems;
}

/**
 * Scrolls a workbench list by `deltaY` pixels; resolves true if it moved (after the list re-rendered). The wheel event
 * is dispatched on the list itself rather than sent with the mouse, so a hover card that the pointer raised over the
 * list cannot swallow it.
 */
async function scrollListBy(page: Page, list: Locator, deltaY: number): Promise<boolean> {
  const rows = list.locator('.monaco-list-rows');
  const scrollTopOf = () => rows.evaluate((element) => (element as unknown as { style: { top: string } }).style.top);
  const before = await scrollTopOf();
  await list.locator('.monaco-scrollable-element').first().evaluate((element, delta) => {
    const WheelEventClass = (globalThis as unknown as { WheelEvent: new (type: string, init: object) => unknown }).WheelEvent;
    (element as unknown as { dispatchEvent(event: unknown): void }).dispatchEvent(
      new WheelEventClass('wheel', { deltaY: delta, deltaMode: 0, bubbles: true, cancelable: true }),
    );
  }, deltaY);
  await nextFrames(page);
  return (await scrollTopOf()) !== before;
}

/** Resolves after the page has rendered two more frames (the workbench renders scrolled lists on animation frames). */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolveFrame) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
        raf(() => raf(() => resolveFrame()));
      }),
  );
}

/**
 * Polls the Problems panel until `accept` holds for its entries (diagnostics arrive asynchronously from the
 * extension host), and returns them.
 */
export async function waitForProblems(page: Page, accept: (problems: Problem[]) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Problem[]> {
  return pollUntil(
    'the Problems panel',
    () => readProblems(page),
    accept,
    () => changeOf(page.locator('.part.panel .markers-panel')),
    timeoutMs,
  );
}

/**
 * Waits until the active editor's visible text satisfies `accept` (edits from quick fixes, renames and completions
 * are applied asynchronously) and returns it.
 */
export async function waitForEditorText(page: Page, accept: (text: string) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  return pollUntil(
    'the editor text',
    () => visibleEditorText(page),
    accept,
    () => changeOf(activeEditor(page).locator('.view-lines')),
    timeoutMs,
  );
}

/** Reads until `accept` holds, re-reading whenever `changed` resolves; fails with the last value read. */
async function pollUntil<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, changed: () => Promise<void>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen:\n${JSON.stringify(value, null, 2)}`);
    await changed();
  }
}

/**
 * Resolves on the next DOM mutation inside `target`, or after `maxMs` at the latest (a change can land between the
 * read and the moment the observer is attached, so the wait is capped rather than trusted to see everything).
 */
async function changeOf(target: Locator, maxMs = 500): Promise<void> {
  await target.first().evaluate(
    (element, ms) =>
      new Promise<void>((resolveWait) => {
        type Observer = { observe(target: unknown, options: unknown): void; disconnect(): void };
        const MutationObserverClass = (globalThis as unknown as { MutationObserver: new (callback: () => void) => Observer }).MutationObserver;
        const done = () => {
          observer.disconnect();
          clearTimeout(timer);
          resolveWait();
        };
        const observer = new MutationObserverClass(done);
        const timer = setTimeout(done, ms);
        observer.observe(element, { childList: true, subtree: true, characterData: true, attributes: true });
      }),
    maxMs,
  );
}

async function showProblemsPanel(page: Page): Promise<Locator> {
  const panel = page.locator('.part.panel .markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible' });
  }
  return panel;
}

/**
 * Opens the Quick Fix menu (Ctrl+.) at the cursor, or at `at` (1-based line/column) when given, and applies the action
 * whose title is exactly `title`; returns the titles that were offered.
 */
export async function applyQuickFix(page: Page, title: string, at?: { line: number; column: number }): Promise<string[]> {
  if (at) await goToPosition(page, at.line, at.column);
  await page.keyboard.press('Control+.');
  // The menu is the action widget that holds actions (its empty submenu panel shares the class).
  const menu = page.locator('.action-widget').filter({ has: page.locator('.monaco-list-row.action') });
  await menu.waitFor({ state: 'visible' });
  const actions = menu.locator('.monaco-list-row.action');
  await actions.first().waitFor({ state: 'visible' });
  const titles = (await actions.allTextContents()).map((t) => t.trim());
  const action = actions.filter({ hasText: exactText(title) }).first();
  if ((await action.count()) === 0) throw new Error(`no quick fix "${title}"; offered: ${JSON.stringify(titles)}`);
  await action.click();
  await menu.waitFor({ state: 'hidden' });
  return titles;
}

export interface Suggestion {
  label: string;
  /** Detail text shown to the right, if any. */
  detail: string;
}

/** Triggers completion (Ctrl+Space) at the cursor and returns the suggest widget's entries, in display order. */
export async function triggerCompletion(page: Page): Promise<Suggestion[]> {
  await page.keyboard.press('Control+Space');
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  await widget.waitFor({ state: 'visible' });
  const rows = widget.locator('.monaco-list-row');
  await rows.first().waitFor({ state: 'visible' });
  const entries = await rows.evaluateAll((elements) => {
    type El = { querySelector(s: string): El | null; textContent: string | null; getAttribute(n: string): string | null };
    return (elements as unknown as El[]).map((row) => ({
      index: Number(row.getAttribute('data-index')),
      label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
      detail: (row.querySelector('.details-label')?.textContent ?? '').trim(),
    }));
  });
  return entries.sort((a, b) => a.index - b.index).map(({ label, detail }) => ({ label, detail }));
}

/** Accepts the suggestion whose label is exactly `label` in the open suggest widget. */
export async function acceptSuggestion(page: Page, label: string): Promise<void> {
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  const row = widget.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactText(label) }) }).first();
  await row.click();
  await widget.waitFor({ state: 'hidden' });
}

/**
 * Renames the symbol at the cursor (F2), typing `newName` into the rename box and confirming it. Throws with the
 * editor's message when the rename is refused (the provider's prepareRename error, shown over the editor).
 */
export async function renameSymbol(page: Page, newName: string): Promise<void> {
  await page.keyboard.press('F2');
  // Both widgets live in the workbench's shared overflow layer, not inside the editor's DOM; every editor has its own
  // (hidden) rename box, so only the visible one counts.
  const input = page.locator('.monaco-editor.rename-box .rename-input').filter({ visible: true });
  const refusal = page.locator('.monaco-editor-overlaymessage .message').filter({ visible: true });
  await input.or(refusal).first().waitFor({ state: 'visible' });
  if (!(await input.count())) throw new Error(`rename refused: ${(await refusal.first().textContent())?.trim()}`);
  await input.fill(newName);
  await input.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * A workspace edit whose changes need confirmation (LSP change annotations with `needsConfirmation`, as rename sends for
 * relationships that may hold data in a deployed IDM) opens in the Refactor Preview panel with those changes unticked.
 * Returns the panel's rows (files and changes), then ticks every change, as a user confirming them does, and applies.
 */
export async function confirmRefactorPreview(page: Page): Promise<string[]> {
  const panel = page.locator('.bulk-edit-panel').filter({ visible: true });
  await panel.waitFor({ state: 'visible' });
  const rows = panel.locator('.monaco-list-row');
  await rows.first().waitFor({ state: 'visible' });
  const shown = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  // Ticking a file's row ticks its changes: tick the first unticked box until none is left.
  // Only boxes on screen: the tree keeps rendered rows it is not showing (not clickable), which would never tick.
  // The tree redraws its rows after each tick, a moment later: a box counted as unticked may be ticked (by its file's
  // row) before the click reaches it, and the click would then wait for an unticked box that is no longer there (a
  // soak run timed out so, with every box ticked). Such a click gives up after a while and the boxes are counted
  // again; the loop ends only when none is left unticked, and the caller checks the files the applied changes wrote.
  const unticked = panel.locator('.edit-checkbox:not(.checked)').filter({ visible: true });
  for (let guard = 0; (await unticked.count()) > 0; guard++) {
    if (guard > 100) throw new Error('the Refactor Preview\'s changes could not all be ticked');
    await unticked.first().click({ timeout: 5_000 }).catch((error: unknown) => {
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    });
  }
  await panel.locator('.monaco-button', { hasText: /^Apply$/ }).click();
  await panel.waitFor({ state: 'hidden' });
  return shown;
}

export interface WebviewChoice {
  /** Only webviews of this extension ("publisher.name"), as named in the webview's address. */
  extensionId?: string;
  /** Which of the matching visible webviews, in DOM order; default 0. */
  index?: number;
}

/**
 * The document of a visible webview, to locate elements in it. The workbench hosts each webview in an
 * <iframe class="webview"> of its own origin, which loads the extension's HTML into a nested iframe; the nested one
 * starts as "pending-frame" and becomes #active-frame once the extension's HTML is in, which is what this waits for.
 * Hidden webviews (background tabs) stay in the DOM, so only visible ones are considered.
 */
export async function webviewContent(page: Page, choice: WebviewChoice = {}): Promise<FrameLocator> {
  let outer = page.locator('iframe.webview.ready').filter({ visible: true });
  if (choice.extensionId) outer = outer.and(page.locator(`iframe[src*="extensionId=${encodeURIComponent(choice.extensionId)}&"]`));
  const host = outer.nth(choice.index ?? 0);
  await host.waitFor({ state: 'visible' });
  const content = host.contentFrame();
  await content.locator('iframe#active-frame').waitFor({ state: 'attached' });
  return content.frameLocator('iframe#active-frame');
}

/** Saves a screenshot of the whole page to test-results/<name>.png (at the repo root) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(repoRoot(), 'test-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path });
  return path;
}

async function openQuickInput(page: Page, shortcut: string): Promise<Locator> {
  await page.keyboard.press(shortcut);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  return input;
}

function quickInputRows(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
}

function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
