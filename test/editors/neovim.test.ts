/**
 * Neovim's built-in LSP client against the language server over stdio, configured with the README's snippet
 * verbatim (paths aside): Debian's Neovim (0.7 on bookworm), headless, no plugins. A small Lua harness waits
 * for the pushed diagnostics, asks for a hover and writes both as JSON.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { editorVersion, inTempDir, runEditor } from './editorProcess';
import { EXPECTED, MANIFEST, readmeSnippet, ROOT } from './readmeSnippets';

const NVIM = process.env.NVIM_BIN || 'nvim';

const HARNESS = `
local out = os.getenv('K8S_OUT')
local result = { ok = false, diagnostics = {}, hover = '' }
result.ok = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result.diagnostics, {
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity,
    source = d.source or lsp.source, code = d.code or lsp.code, message = d.message,
  })
end
vim.api.nvim_win_set_cursor(0, { 10, 20 })
local answers = vim.lsp.buf_request_sync(0, 'textDocument/hover', vim.lsp.util.make_position_params(), 10000) or {}
for _, a in pairs(answers) do
  if a.result and a.result.contents then result.hover = result.hover .. (a.result.contents.value or '') end
end
result.clients = #vim.lsp.get_active_clients()
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd('qa!')
`;

function hasLspStart(): boolean {
  const r = spawnSync(NVIM, ['--headless', '-u', 'NONE', '-c', "lua io.stdout:write(vim.lsp.start and 'yes' or 'no')", '-c', 'qa!'], { encoding: 'utf8' });
  return r.stdout.includes('yes');
}

interface NvimResult {
  ok: boolean;
  clients: number;
  hover: string;
  diagnostics: { lnum: number; col: number; end_lnum: number; end_col: number; severity: number; source: string; code: string; message: string }[];
}

/** Runs headless Neovim with `config` as init.lua on a fresh copy of MANIFEST. */
async function runNeovim(config: string): Promise<NvimResult> {
  return inTempDir('k8s-image-lint-nvim-', async (dir) => {
    writeFileSync(join(dir, 'init.lua'), config);
    writeFileSync(join(dir, 'harness.lua'), HARNESS);
    writeFileSync(join(dir, 'deployment.yaml'), MANIFEST);
    const out = join(dir, 'result.json');
    const { code, output } = await runEditor(NVIM, ['--headless', '-i', 'NONE', '--noplugin', '-u', join(dir, 'init.lua'), 'deployment.yaml', '-c', `luafile ${join(dir, 'harness.lua')}`], {
      cwd: dir, env: { ...process.env, K8S_OUT: out, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CACHE_HOME: dir },
    });
    assert.ok(existsSync(out), `Neovim wrote no result (exit ${code}): ${output}`);
    return JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
  });
}

function summary(r: NvimResult): string[] {
  return r.diagnostics.map((d) => `${d.code} ${d.lnum}:${d.col}-${d.end_lnum}:${d.end_col}`).sort();
}

const version = editorVersion(NVIM);
const missing = version ? null : `Neovim is not installed (${NVIM}); run \`npm run test:setup\``;

test(`Neovim (${version ?? 'missing'}) with the README's vim.lsp.start_client configuration gets diagnostics and hovers`, { timeout: 90_000 }, async () => {
  if (missing) throw new Error(missing);
  const r = await runNeovim(readmeSnippet('lua', 'vim.lsp.start_client'));
  assert.equal(r.ok, true, 'diagnostics arrived');
  assert.equal(r.clients, 1);
  assert.deepEqual(summary(r), EXPECTED);
  assert.ok(r.diagnostics.every((d) => d.source === 'k8s-image-lint'));
  const severities = Object.fromEntries(r.diagnostics.map((d) => [d.code, d.severity]));
  assert.deepEqual(severities, { 'latest-tag': 2, 'implicit-pull-policy': 4, 'invalid-pull-policy': 1 }, 'LSP severities: 1 error, 2 warning, 4 hint');
  assert.match(r.hover, /^\*\*`Always`\*\* \(default: tag is `latest`\) · pulls on every start$/m);
  assert.match(r.hover, /\*\*Pulls\*\* `docker\.io\/library\/nginx:latest`/);
});

test("Neovim with the README's vim.lsp.start configuration (0.8 and newer)", { timeout: 90_000 }, async (t) => {
  if (missing) throw new Error(missing);
  const snippet = readmeSnippet('lua', 'vim.lsp.start({');
  if (!hasLspStart()) {
    // Still parse it with this Neovim's Lua, so a typo in the README fails here.
    const r = spawnSync(NVIM, ['--headless', '-u', 'NONE', '-c', `lua assert(loadstring(${JSON.stringify(snippet)}))`, '-c', 'qa!'], { encoding: 'utf8' });
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'the snippet is valid Lua');
    t.skip(`${version} has no vim.lsp.start (0.8+); the snippet was only parsed`);
    return;
  }
  const r = await runNeovim(snippet);
  assert.equal(r.ok, true, 'diagnostics arrived');
  assert.deepEqual(summary(r), EXPECTED);
});

test('the README snippets point at the bundled server', () => {
  assert.ok(existsSync(join(ROOT, 'server', 'out', 'server.js')));
});
