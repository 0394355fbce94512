/**
 * The language server in a client other than VS Code: Neovim's built-in LSP client, headless, on a copy of the sample
 * workspace, started as the README tells Neovim users (`node dist/server.js --stdio`). It must receive the
 * diagnostics, a completion and a code action, and applying that code action must clear its diagnostic.
 *
 * Debian's neovim (bookworm: 0.7.2) is installed by scripts/e2e-setup.mjs; the test skips, saying so, only when
 * `nvim` is not on PATH. Neovim 0.8+ has `vim.lsp.start`; 0.7 has `vim.lsp.start_client` + `buf_attach_client`, which
 * the script falls back to (the README shows both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../helpers/fixtures';

const NVIM = 'nvim';

function nvimVersion(): string | undefined {
  const result = spawnSync(NVIM, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0] : undefined;
}

/** The Lua the test runs; it writes what the client saw to `results` as JSON and quits. */
function script(server: string, workspace: string, file: string, completionAt: { line: number; character: number }, results: string): string {
  const lua = (value: string) => JSON.stringify(value);
  return `
local results = { diagnostics = {}, log = {} }
local function finish()
  local out = io.open(${lua(results)}, 'w')
  out:write(vim.fn.json_encode(results))
  out:close()
  vim.cmd('qa!')
end
local ok, err = xpcall(function()
  local published = {}
  local config = {
    name = 'idm-relationships',
    cmd = { ${lua(process.execPath)}, ${lua(server)}, '--stdio' },
    root_dir = ${lua(workspace)},
    handlers = {
      -- Keep the raw LSP diagnostics (with their data) for the code action request.
      ['textDocument/publishDiagnostics'] = function(e, params, ctx, c)
        published[params.uri] = params.diagnostics
        return vim.lsp.handlers['textDocument/publishDiagnostics'](e, params, ctx, c)
      end,
    },
  }
  vim.cmd('edit ' .. vim.fn.fnameescape(${lua(file)}))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
    results.started_with = 'vim.lsp.start'
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
    results.started_with = 'vim.lsp.start_client'
  end
  local uri = vim.uri_from_bufnr(bufnr)
  local function wait_for(predicate, what)
    if not vim.wait(90000, predicate, 50) then error('timed out waiting for ' .. what) end
  end
  wait_for(function() return published[uri] ~= nil and #published[uri] > 0 end, 'diagnostics')
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(results.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, severity = d.severity, message = d.message })
  end

  local completion = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = uri }, position = { line = ${completionAt.line}, character = ${completionAt.character} },
  }, 30000)
  results.completion = {}
  for _, response in pairs(completion or {}) do
    local items = response.result and (response.result.items or response.result) or {}
    for _, item in ipairs(items) do table.insert(results.completion, item.label) end
  end

  local target
  for _, d in ipairs(published[uri]) do if d.code == 'reverse-property-missing' then target = d end end
  if not target then error('no reverse-property-missing diagnostic') end
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri }, range = target.range, context = { diagnostics = { target } },
  }, 30000)
  results.actions = {}
  local preferred
  for _, response in pairs(actions or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(results.actions, { title = action.title, isPreferred = action.isPreferred == true })
      if action.isPreferred and not preferred then preferred = action end
    end
  end
  if not preferred then error('no preferred code action') end
  vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
  results.changedtick_after_fix = vim.api.nvim_buf_get_changedtick(bufnr)
  wait_for(function()
    for _, d in ipairs(published[uri] or {}) do if d.code == 'reverse-property-missing' then return false end end
    return true
  end, 'the fixed diagnostic to go away')
  results.after_fix = {}
  for _, d in ipairs(published[uri]) do table.insert(results.after_fix, d.code) end
  results.buffer_text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\\n')
  vim.lsp.stop_client(client_id)
end, debug.traceback)
if not ok then results.error = err end
finish()
`;
}

test('Neovim (headless) receives diagnostics, a completion and a code action from node dist/server.js --stdio', (t) => {
  const version = nvimVersion();
  if (!version) return t.skip('nvim is not installed (Debian: apt-get install neovim; scripts/e2e-setup.mjs installs it)');
  const server = path.join(REPO_ROOT, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), 'npm run build first');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-nvim-'));
  try {
    const workspace = path.join(work, 'workspace');
    fs.cpSync(path.join(REPO_ROOT, 'samples', 'workspace'), workspace, { recursive: true });
    const file = path.join(workspace, 'conf', 'managed.json');
    const text = fs.readFileSync(file, 'utf8');
    // Inside `"path" : "managed/role"`, just after `managed/`: the object types are offered.
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"path" : "managed/role"'));
    assert.ok(line >= 0);
    const character = lines[line].indexOf('managed/role') + 'managed/'.length;
    const results = path.join(work, 'results.json');
    const lua = path.join(work, 'test.lua');
    fs.writeFileSync(lua, script(server, workspace, file, { line, character }, results));

    const run = spawnSync(NVIM, ['--headless', '--clean', '-n', '-c', `luafile ${lua}`], {
      cwd: workspace, encoding: 'utf8', timeout: 240000, env: { ...process.env, XDG_STATE_HOME: work, XDG_DATA_HOME: work, XDG_CACHE_HOME: work },
    });
    assert.ok(fs.existsSync(results), `nvim wrote no results (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
    const seen = JSON.parse(fs.readFileSync(results, 'utf8'));
    assert.equal(seen.error, undefined, `${version}: ${seen.error}`);

    const codes = seen.diagnostics.map((d: { code: string }) => d.code).sort();
    assert.deepEqual(codes, ['notify-unidirectional', 'resource-collection-unknown', 'reverse-property-missing']);
    const missing = seen.diagnostics.find((d: { code: string }) => d.code === 'reverse-property-missing');
    assert.equal(missing.lnum, 547, 'on the reversePropertyName value, 0-based line');
    assert.equal(missing.severity, 1, 'an error');

    assert.ok(seen.completion.some((label: string) => /\brole\b/.test(label)), `completion offers role: ${seen.completion.join(', ')}`);
    assert.ok(seen.completion.some((label: string) => /\bdevice\b/.test(label)));

    assert.ok(seen.actions.length >= 2, JSON.stringify(seen.actions));
    assert.ok(seen.actions.some((a: { title: string; isPreferred: boolean }) => a.isPreferred && /Add `owner` to device/.test(a.title)), JSON.stringify(seen.actions));
    assert.ok(!seen.after_fix.includes('reverse-property-missing'));
    assert.match(seen.buffer_text, /"owner"\s*:/, 'the fix added device.owner to the buffer');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
