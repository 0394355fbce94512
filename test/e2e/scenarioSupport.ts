// What the end-to-end scenarios (*.e2e.ts) share on top of codeServer.ts and workbench.ts: a throw-away copy of the
// workspace they edit (the repository is never modified), one code-server + Chromium session per scenario file, and
// the readiness signals of this extension (its language status item, the light bulb, a tab's dirty mark, the editor
// of another group). Every wait is on something the workbench shows; none is a fixed sleep.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Locator, Page } from 'playwright-core';
import { extensionVsix, repoRoot, startCodeServer, type CodeServer } from './codeServer';
import { activeEditor, applyQuickFix, DEFAULT_TIMEOUT_MS, goToPosition, openWorkbench, renderedLines, screenshot, waitForEditorText, type Problem } from './workbench';

export const EXTENSION_ID = 'idm-relationships.idm-relationships';

/** A folder under the OS temp dir holding copies of repository files and files written by the scenario. */
export class TempWorkspace {
  readonly dir: string;

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `idm-e2e-${name}-`));
  }

  /** Copies a repository file or folder (path relative to the repository root) to `to` (relative to the workspace). */
  copy(from: string, to: string = from): this {
    const source = join(repoRoot(), from);
    if (!existsSync(source)) throw new Error(`${source} does not exist`);
    cpSync(source, this.path(to), { recursive: true });
    return this;
  }

  write(relativePath: string, text: string): this {
    mkdirSync(dirname(this.path(relativePath)), { recursive: true });
    writeFileSync(this.path(relativePath), text);
    return this;
  }

  read(relativePath: string): string {
    return readFileSync(this.path(relativePath), 'utf8');
  }

  /**
   * The file's text once `accept` holds for it. The workbench writes a file in place (truncated, then written), and
   * it saves the files a refactoring changed in the background (files.refactoring.autoSave): a read at the wrong moment
   * sees an empty or older file, so wait for the content expected, as a user looking at the disk would.
   */
  async readWhen(relativePath: string, accept: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.read(relativePath);
      if (accept(text)) return text;
      if (Date.now() > deadline) throw new Error(`${relativePath} never held what was expected; last read:\n${text.slice(0, 2000)}`);
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
    }
  }

  path(relativePath: string): string {
    const path = resolve(this.dir, relativePath);
    if (!path.startsWith(this.dir)) throw new Error(`${relativePath} is outside the workspace`);
    return path;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Session {
  server: CodeServer;
  page: Page;
  workspace: TempWorkspace;
}

/**
 * Settings every scenario runs with. Quick Open opens files as kept editors rather than previews, so that opening a
 * second file does not close the first: this extension publishes problems for open files only, and the scenarios look
 * at both sides of a relationship at once.
 */
export const SCENARIO_SETTINGS: Record<string, unknown> = {
  'workbench.editor.enablePreviewFromQuickOpen': false,
};

/**
 * Starts code-server on `workspace` with the extension's VSIX (and `environment` added to its own), opens the workbench
 * and runs `body`. On failure the page is saved to test-results/<name>-failure.png and the error carries the end of
 * the extension host's log.
 * Always stops the browser and the server and deletes the workspace.
 */
export async function withSession(
  name: string,
  workspace: TempWorkspace,
  body: (session: Session) => Promise<void>,
  settings: Record<string, unknown> = {},
  environment: Record<string, string> = {},
): Promise<void> {
  let server: CodeServer | undefined;
  let workbench: Awaited<ReturnType<typeof openWorkbench>> | undefined;
  try {
    server = await startCodeServer({ workspace: workspace.dir, vsixes: [extensionVsix()], settings: { ...SCENARIO_SETTINGS, ...settings }, environment });
    workbench = await openWorkbench(server);
    // Scenarios paste blocks of text (see pasteLinesAbove).
    await workbench.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
    await body({ server, page: workbench.page, workspace });
  } catch (error) {
    if (workbench) await screenshot(workbench.page, `${name}-failure`).catch(() => undefined);
    if (error instanceof Error && server) error.message += `\n--- end of the extension host log ---\n${extensionHostLogTail(server)}`;
    throw error;
  } finally {
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    workspace.remove();
  }
}

function extensionHostLogTail(server: CodeServer, lines = 40): string {
  const logs = join(server.userDataDir, 'logs');
  if (!existsSync(logs)) return '(no logs)';
  // The server is still running here (stop() comes after), so its temp folder and logs exist.
  const text = readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('remoteexthost.log') || path.endsWith('IDM Relationships.log'))
    .map((path) => readFileSync(join(logs, path), 'utf8'))
    .join('\n');
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Runs one step of a scenario as a subtest, so that the report names and times each step. A failed step fails the
 * scenario too and stops it there (later steps build on it), with the page saved by withSession.
 */
export async function step(t: TestContext, name: string, body: () => Promise<void>): Promise<void> {
  let failure: unknown;
  await t.test(name, async () => {
    try {
      await body();
    } catch (error) {
      failure = error;
      throw error;
    }
  });
  if (failure !== undefined) throw new Error(`step "${name}" failed: ${failure instanceof Error ? failure.message.split('\n')[0] : String(failure)}`);
}

export interface LanguageStatus {
  objectTypes: number;
  files: number;
  relationships: number;
  /** The "checked <time>" part, which changes after each check. */
  checked: string;
}

/**
 * Waits for the extension's language status item (shown for config files and scenarios: "N object types, F config
 * files · R relationships · checked <time>") and returns it: the language server has started, scanned the workspace
 * and checked the configs. `accept` can wait for a particular state (a later check, more files).
 */
export async function waitForLanguageStatus(page: Page, accept: (status: LanguageStatus) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LanguageStatus> {
  const item = page.locator('[id="status.languageStatus"]');
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await item.getAttribute('aria-label', { timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? '';
    const match = /(\d+) object types?, (\d+) config files? · (\d+) relationships? · checked ([^,]+)/.exec(last);
    if (match) {
      const status = { objectTypes: Number(match[1]), files: Number(match[2]), relationships: Number(match[3]), checked: match[4].trim() };
      if (accept(status)) return status;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the IDM language status; last seen: ${JSON.stringify(last)}`);
    await nextChangeOf(item, 'aria-label', 1_000);
  }
}

/**
 * Resolves on the next DOM mutation of `target` (its `attribute` only, when given; else anything in its subtree), or
 * after `maxMs` at the latest: a change can land between a read and the moment the observer is attached.
 */
async function nextChangeOf(target: Locator, attribute: string | undefined, maxMs: number): Promise<void> {
  const handle = await target.first().elementHandle({ timeout: maxMs }).catch(() => null);
  if (!handle) return;
  await handle.evaluate(
    (element, [name, ms]) =>
      new Promise<void>((done) => {
        type Observer = { observe(target: unknown, options: unknown): void; disconnect(): void };
        const ObserverClass = (globalThis as unknown as { MutationObserver: new (callback: () => void) => Observer }).MutationObserver;
        const finish = () => {
          observer.disconnect();
          clearTimeout(timer);
          done();
        };
        const observer = new ObserverClass(finish);
        const timer = setTimeout(finish, ms as number);
        observer.observe(element, name ? { attributes: true, attributeFilter: [name] } : { childList: true, subtree: true, characterData: true, attributes: true });
      }),
    [attribute ?? '', maxMs] as const,
  );
  await handle.dispose();
}

/** The code lenses the active editor shows on screen, top to bottom ("Send | Run all" is one entry). */
export async function codeLenses(page: Page): Promise<string[]> {
  const entries = await activeEditor(page).locator('.codelens-decoration').evaluateAll((elements) =>
    elements.map((element) => ({
      top: Number.parseFloat((element as unknown as { style: { top: string } }).style.top),
      text: ((element as unknown as { textContent: string | null }).textContent ?? '').replace(/\u00a0/g, ' ').trim(),
    })),
  );
  return entries.sort((a, b) => a.top - b.top).map((entry) => entry.text);
}

/**
 * Waits until the active editor's code lenses satisfy `accept` and returns them. The server recomputes them after
 * each check, so they show the state of the pairs after an edit.
 */
export async function waitForCodeLenses(page: Page, accept: (lenses: string[]) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lenses = await codeLenses(page);
    if (accept(lenses)) return lenses;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the code lenses; last seen:\n${JSON.stringify(lenses, null, 2)}`);
    await nextChangeOf(activeEditor(page), undefined, 1_000);
  }
}

/** The active editor's tab. */
export function activeTab(page: Page): Locator {
  return page.locator('.editor-group-container.active .tabs-container .tab.active');
}

/** A tab by file name, in any editor group. */
export function tabOf(page: Page, fileName: string): Locator {
  return page.locator(`.tabs-container .tab[aria-label^="${fileName.replace(/["\\]/g, '\\$&')}"]`);
}

/** Saves the active editor (Ctrl+S) and waits for its tab to lose the dirty mark. */
export async function saveActiveEditor(page: Page): Promise<void> {
  await activeEditor(page).locator('.monaco-editor.focused, .native-edit-context').first().waitFor({ state: 'attached' });
  await page.keyboard.press('Control+S');
  await page.locator('.editor-group-container.active .tabs-container .tab.active:not(.dirty)').waitFor({ state: 'visible' });
}

/** Brings the editor of `fileName` to the front by clicking its tab, and waits for it to be the active editor. */
export async function showTab(page: Page, fileName: string): Promise<void> {
  await tabOf(page, fileName).first().click();
  await page.locator(`.editor-group-container.active .tabs-container .tab.active[aria-label^="${fileName.replace(/["\\]/g, '\\$&')}"]`).waitFor({ state: 'visible' });
  await activeEditor(page).locator('.view-lines .view-line').first().waitFor({ state: 'attached' });
}

/**
 * Moves the cursor to `at` and waits until the editor has keyboard focus and shows its light bulb there (the server
 * has answered the code action request): a Ctrl+. pressed earlier can reach the workbench while the focus is still
 * coming back from the Go to Line box, and then nothing opens. Then applies the quick fix `title`.
 */
export async function applyQuickFixAt(page: Page, at: { line: number; column: number }, title: string): Promise<string[]> {
  await goToPosition(page, at.line, at.column);
  await page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ state: 'attached' });
  await activeEditor(page).locator('.lightBulbWidget').first().waitFor({ state: 'visible' });
  return applyQuickFix(page, title);
}

/** Moves the cursor to `at` (Ctrl+G) and waits until the editor has the keyboard focus back. */
export async function goToAndFocus(page: Page, at: { line: number; column: number }): Promise<void> {
  await goToPosition(page, at.line, at.column);
  await page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ state: 'attached' });
}

/**
 * The visible lines of the (first) text editor in the editor group that shows `fileName` in its active tab, e.g. a
 * view opened beside the active editor without taking the focus.
 */
export async function editorTextOf(page: Page, fileName: string): Promise<string> {
  const group = page.locator('.editor-group-container').filter({ has: page.locator(`.tabs-container .tab.active[aria-label^="${fileName.replace(/["\\]/g, '\\$&')}"]`) });
  const lines = group.first().locator('.editor-instance .monaco-editor .view-lines .view-line');
  await lines.first().waitFor({ state: 'attached' });
  return renderedLines(lines);
}

/** Problems of one file (by workspace-relative path, as the Problems panel shows folder and name). */
export function problemsOf(problems: Problem[], relativePath: string): Problem[] {
  const parts = relativePath.split('/');
  const file = parts.pop()!;
  const folder = parts.join('/');
  return problems.filter((p) => p.file === file && p.folder === folder);
}

/**
 * Pastes `lines` (each indented by `indent`) above line `line` of the active editor, the way a user pastes a block
 * (typed text would be changed by auto-closing and auto-indentation as it arrives), and returns the 1-based places
 * of the `|` cursor marks in it.
 */
export async function pasteLinesAbove(page: Page, line: number, indent: string, lines: string[]): Promise<Array<{ line: number; column: number }>> {
  const marks: Array<{ line: number; column: number }> = [];
  const clean = lines.map((text, index) => {
    const pieces = text.split('|');
    let column = indent.length + 1;
    for (const piece of pieces.slice(0, -1)) {
      column += piece.length;
      marks.push({ line: line + index, column });
    }
    return indent + pieces.join('');
  });
  await goToAndFocus(page, { line, column: 1 });
  await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text),
    clean.join('\n') + '\n');
  await page.keyboard.press('Control+V');
  await waitForEditorText(page, (text) => text.includes(clean[0]));
  return marks;
}

/** A 1-based line and column of the `occurrence`-th (0-based) `needle` in `text`, for Go to Line. */
export function positionOf(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times`);
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bounding box of an element on screen (throws when it is not). */
export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.first().boundingBox();
  if (!box) throw new Error(`${locator} is not on screen`);
  return box;
}

/** The smallest box holding all `boxes`, grown by `margin` and kept inside the page. */
export function unionBox(page: Page, boxes: Box[], margin = 0): Box {
  const viewport = page.viewportSize() ?? { width: 1600, height: 1000 };
  const left = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x: Math.round(left), y: Math.round(top), width: Math.round(right - left), height: Math.round(bottom - top) };
}

/**
 * Saves the `clip` part of the page to test-results/<name>.png and, when E2E_UPDATE_SCREENSHOTS=1, to
 * docs/images/<name>.png as well (the README's pictures). Returns the paths written.
 */
export async function saveScreenshot(page: Page, name: string, clip: Box): Promise<string[]> {
  const result = join(repoRoot(), 'test-results', `${name}.png`);
  mkdirSync(dirname(result), { recursive: true });
  // Widgets fade in (hover, suggest, menus): on a loaded machine a picture can catch one half transparent. Wait for
  // the running finite animations to end; Playwright also fast-forwards any left when it takes the picture.
  await page.evaluate(() => {
    type Animation = { finished: Promise<unknown>; effect: { getComputedTiming(): { iterations?: number } } | null };
    const animations = (globalThis as unknown as { document: { getAnimations(): Animation[] } }).document.getAnimations();
    return Promise.all(animations.filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined)));
  });
  await page.screenshot({ path: result, clip, animations: 'disabled' });
  if (process.env.E2E_UPDATE_SCREENSHOTS !== '1') return [result];
  const picture = join(repoRoot(), 'docs', 'images', `${name}.png`);
  mkdirSync(dirname(picture), { recursive: true });
  copyFileSync(result, picture);
  return [result, picture];
}

/** A relationship node (`type: relationship`, one `resourceCollection` entry) as fr-config-manager exports write it. */
export function relationshipTo(path: string, fields: string[], keys: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'relationship',
    ...keys,
    validate: true,
    resourceCollection: [{ path, label: path.split('/')[1], query: { queryFilter: 'true', fields } }],
  };
}

/** Parses a saved config (comments and trailing commas allowed, as IDM reads them); throws on a syntax error. */
export function parseConfig<T>(text: string): T {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true }) as T;
  if (errors.length) {
    const first = errors[0];
    const before = text.slice(0, first.offset).split('\n');
    throw new Error(`${printParseErrorCode(first.error)} at line ${before.length}, column ${before[before.length - 1].length + 1}:\n${text}`);
  }
  return value;
}
