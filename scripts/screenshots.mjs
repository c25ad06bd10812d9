#!/usr/bin/env node
// Takes the README screenshots (docs/images/*.png) of the extension running in real VS Code: the VS Code web
// server shipped in the `code-server` npm package, driven headless in Debian's Chromium by playwright-core.
// Recipe and one-time install: /work/shared/recipes/vscode-web-e2e.md; everything heavy lives in a cache
// folder outside the repo (K8S_IMAGE_LINT_E2E_CACHE, default ~/.cache/k8s-image-lint-e2e).
//
// Usage: node scripts/screenshots.mjs [--no-build] [--out DIR] [--file NAME.yaml] [--scale N] [--keep]
//   --no-build   use the existing client/out + server/out bundles instead of running `node esbuild.mjs`
//   --out DIR    where the PNGs go (default docs/images)
//   --file NAME  the example to open (default deployment-latest.yaml)
//   --scale N    device scale factor (default 2: sharp on high-DPI screens; 1 gives PNGs a quarter the size)
//   --keep       keep the temporary folder (server log, user data) for inspection
// Env: CHROMIUM (default /usr/bin/chromium), K8S_IMAGE_LINT_E2E_CACHE, SCREENSHOTS_TIMEOUT_MS (default 180000).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const outDir = resolve(root, option('--out', 'docs/images'));
const fileName = option('--file', 'deployment-latest.yaml');
const scale = Number(option('--scale', '2'));
const cache = resolve(process.env.K8S_IMAGE_LINT_E2E_CACHE || join(homedir(), '.cache', 'k8s-image-lint-e2e'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const overallTimeoutMs = Number(process.env.SCREENSHOTS_TIMEOUT_MS || 180_000);
const vscodeDir = join(cache, 'node_modules', 'code-server', 'lib', 'vscode');
const serverMain = join(vscodeDir, 'out', 'server-main.js');

const log = (...m) => console.log(`[screenshots ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m);
const t0 = Date.now();

for (const [what, path] of [['VS Code web server (code-server 4.100.3)', serverMain], ['chromium', chromiumPath], ['playwright-core', join(cache, 'node_modules', 'playwright-core')]]) {
  if (!existsSync(path)) {
    console.error(`screenshots: ${what} not found at ${path}; install it as /work/shared/recipes/vscode-web-e2e.md says (cache: ${cache}).`);
    process.exit(2);
  }
}
const { chromium } = createRequire(join(cache, 'package.json'))('playwright-core');

// ---- cleanup, whatever happens ------------------------------------------------------------------------------
let server; // ChildProcess, started detached so that its whole process group (extension host, language server) goes
let browser;
let tmp;
let cleaning; // the one cleanup promise: a second failure (e.g. main() rejecting as the browser closes) waits for it
function cleanup() {
  cleaning ??= (async () => {
    try { await browser?.close(); } catch { /* already gone */ }
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 1000));
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (tmp && !flag('--keep')) rmSync(tmp, { recursive: true, force: true });
    else if (tmp) log(`kept ${tmp}`);
  })();
  return cleaning;
}
let failed = false;
async function fail(err) {
  if (!failed) {
    failed = true;
    console.error('screenshots: FAILED:', err?.stack || err);
    if (tmp && existsSync(join(tmp, 'server.log'))) {
      console.error('--- last lines of the server log ---\n' + readFileSync(join(tmp, 'server.log'), 'utf8').split('\n').slice(-30).join('\n'));
    }
  }
  await cleanup();
  process.exit(1);
}
const watchdog = setTimeout(() => fail(new Error(`timed out after ${overallTimeoutMs / 1000}s`)), overallTimeoutMs);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => fail(new Error(`got ${sig}`)));

// ---- helpers -----------------------------------------------------------------------------------------------
function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function until(what, fn, timeoutMs = 30_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function main() {
  // 1. The extension bundles.
  if (!flag('--no-build')) {
    log('building (node esbuild.mjs)');
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  for (const f of ['client/out/extension.js', 'server/out/server.js']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing; run node esbuild.mjs`);
  }

  // 2. Fresh user data, server data, extensions folder and a copy of examples/ as the workspace.
  tmp = mkdtempSync(join(tmpdir(), 'k8s-image-lint-shots-'));
  const userData = join(tmp, 'data');
  const workspace = join(tmp, 'examples');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(join(tmp, 'server'));
  mkdirSync(join(tmp, 'ext'));
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  if (!existsSync(join(workspace, fileName))) throw new Error(`examples/${fileName} does not exist`);
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.editor.enablePreview': false,
    'editor.inlayHints.enabled': 'on',
    'editor.minimap.enabled': false,
    'editor.fontSize': 15,
    'editor.hover.delay': 200,
    'editor.hover.sticky': true,
    'editor.hover.above': false,
    'editor.stickyScroll.enabled': false,
    'editor.renderWhitespace': 'none',
    'editor.occurrencesHighlight': 'off',
    'editor.selectionHighlight': false,
    'editor.cursorBlinking': 'solid',
    'chat.commandCenter.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'window.commandCenter': false,
    'workbench.layoutControl.enabled': false,
  };
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  // 3. The VS Code web server.
  const port = await freePort();
  const serverLog = openSync(join(tmp, 'server.log'), 'a');
  server = spawn(process.execPath, [
    serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
    '--user-data-dir', userData, '--server-data-dir', join(tmp, 'server'), '--extensions-dir', join(tmp, 'ext'), workspace,
  ], { cwd: tmp, detached: true, stdio: ['ignore', serverLog, serverLog] });
  server.on('exit', (code, sig) => { if (!cleaning) log(`server exited early (${code ?? sig})`); });
  const base = `http://127.0.0.1:${port}`;
  await until('the VS Code server to answer', async () => (await fetch(base + '/')).ok, 30_000, 300);
  log(`server up on ${base}`);

  // 4. Chromium, and the workbench with the extension loaded from its development path.
  browser = await chromium.launch({
    executablePath: chromiumPath,
    // Our own handlers clean up (server included); playwright's would exit(130) first.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: scale });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => log('page error:', e.message));
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`]];
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await page.locator('.monaco-workbench').waitFor();
  await until('the [Extension Development Host] window title', async () => (await page.title()).includes('Extension Development Host'));
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor(); // workspace loaded
  log(`workbench ready: ${await page.title()}`);

  // 5. Open the manifest via Quick Open.
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.locator('input').waitFor();
  await page.keyboard.type(fileName);
  await quickInput.locator('.monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').waitFor();
  log(`opened ${fileName}`);

  // 6. Diagnostics: poll until squiggles, then the Problems panel with our rows. The target of the hover and the
  // quick fix is the first reported problem on an `image:` line (else the first reported problem). The side bar
  // is hidden so that the Problems rows have room for their messages, and the editor is scrolled to show the
  // target a few lines below its top.
  await until('squiggles from k8s-image-lint', async () => (await editor.locator('.squiggly-warning, .squiggly-error').count()) > 0, 60_000);
  await focusEditor(page);
  await page.keyboard.press('Control+B');
  await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
  await page.keyboard.press('Control+Shift+M');
  const ours = page.locator('.markers-panel .monaco-list-row', { hasText: 'k8s-image-lint' });
  await until('k8s-image-lint rows in the Problems panel', async () => (await ours.count()) > 0);
  const rows = (await ours.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  const target = targetOf(readFileSync(join(workspace, fileName), 'utf8'), rows);
  await scrollEditorTo(page, editor, Math.max(1, target.lineNumber - 5));
  await clickAt(page, target);
  await clearNotifications(page);
  await moveMouseAway(page);
  await settle(page);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'diagnostics.png') });
  log(`diagnostics.png: ${rows.length} k8s-image-lint rows in the Problems panel:\n  ${rows.map((r) => r.slice(0, 60) + '… ' + r.slice(r.lastIndexOf('k8s-image-lint'))).join('\n  ')}`);

  // 7. Hover over the target. The hover is no taller than max(editor height / 4, 250px, last size the
  // user resized it to), so it is first resized once to fit its content (VS Code keeps that size for the next
  // hovers), then shown afresh for the picture.
  await page.keyboard.press('Control+J'); // hide the panel: room for the hover
  await page.locator('.part.panel').waitFor({ state: 'hidden' });
  await focusEditor(page);
  // Diagnostics render in the hover before the language server's answer arrives: wait for the extension's own
  // part, whose markdown always starts with a `###` heading.
  const hover = page.locator('.monaco-hover:not(.hidden)', { has: page.locator('h3') }).first();
  await hoverOver(page, target, hover);
  await fitHoverToContent(page);
  await page.keyboard.press('Escape');
  await moveMouseAway(page);
  await hover.waitFor({ state: 'hidden' });
  await hoverOver(page, target, hover);
  await settle(page);
  await page.screenshot({ path: join(outDir, 'hover.png'), clip: await clipAround(page, hover, target) });
  log(`hover.png: ${(await hover.innerText()).split('\n').filter(Boolean).slice(0, 3).join(' | ')} …`);

  // 8. Quick fix on the same diagnostic (the cursor is still at its start).
  await page.keyboard.press('Escape');
  await moveMouseAway(page);
  await hover.waitFor({ state: 'hidden' });
  await focusEditor(page);
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget').first();
  await menu.waitFor({ state: 'visible', timeout: 15_000 });
  await until('quick-fix entries', async () => (await menu.locator('.monaco-list-row').count()) > 0, 10_000);
  await settle(page);
  await page.screenshot({ path: join(outDir, 'quick-fix.png'), clip: await clipAround(page, menu, target) });
  log(`quick-fix.png: ${(await menu.innerText()).replace(/\n+/g, ' | ')}`);
}

/**
 * Where to hover and ask for quick fixes: the first Problems row (`… [Ln 22, Col 18]`) on an `image:` line, else the
 * first row. Returns its 1-based line and column, the line's trimmed text, the word that starts there and the
 * word's offset in the trimmed line.
 */
function targetOf(text, rows) {
  const lines = text.split('\n');
  const positions = rows.flatMap((r) => {
    const m = /\[Ln (\d+), Col (\d+)\]/.exec(r);
    return m ? [{ lineNumber: Number(m[1]), column: Number(m[2]) }] : [];
  });
  if (positions.length === 0) throw new Error(`no [Ln, Col] in the Problems rows: ${rows.join(' / ')}`);
  const pos = positions.find((p) => /^\s*-?\s*image:/.test(lines[p.lineNumber - 1] ?? '')) ?? positions[0];
  const line = lines[pos.lineNumber - 1];
  const word = /^[\w.-]+/.exec(line.slice(pos.column - 1))?.[0] || line.trim().split(/\s+/)[0];
  const offset = pos.column - 1 - (line.length - line.trimStart().length); // of the word, in the trimmed line
  return { ...pos, line: line.trim(), word, offset };
}

async function focusEditor(page) {
  await page.locator('.editor-instance .monaco-editor textarea').first().focus();
}

/**
 * Scrolls so that `topLine` is the first visible line: Ctrl+Home (scroll position 0, so whole lines), then
 * Ctrl+Down (scroll line down, which leaves the cursor where it is) `topLine - 1` times.
 */
async function scrollEditorTo(page, editor, topLine) {
  const currentTop = () => editor.evaluate((ed) => {
    const top = ed.querySelector('.lines-content').parentElement.getBoundingClientRect().top;
    const numbers = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')]
      .filter((e) => e.getBoundingClientRect().bottom > top + 4)
      .map((e) => Number(e.textContent));
    return Math.min(...numbers);
  });
  await focusEditor(page);
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 3; i++) {
    const delta = topLine - (await currentTop());
    if (delta === 0) return;
    for (let j = 0; j < Math.abs(delta); j++) await page.keyboard.press(delta > 0 ? 'Control+ArrowDown' : 'Control+ArrowUp');
    await settle(page);
  }
  throw new Error(`could not scroll line ${topLine} to the top of the editor (it shows ${await currentTop()})`);
}

/**
 * Puts the cursor at `at` by clicking just inside the left edge of its word (the line must be on screen). Unlike
 * Go to Line, this never scrolls, which would undo the whole-line scroll position of scrollEditorTo.
 */
async function clickAt(page, at) {
  const box = await textBox(page, at.line, at.word, at.offset);
  await page.mouse.click(box.x + 1, box.y + box.height / 2);
  await page.locator('.statusbar-item', { hasText: `Ln ${at.lineNumber}, Col ${at.column}` }).first().waitFor({ timeout: 5_000 });
}

/** Moves the mouse onto `at.word` in the editor and waits for `hover`. */
async function hoverOver(page, at, hover) {
  const box = await textBox(page, at.line, at.word, at.offset);
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
}

/** Drags the hover's outer horizontal sash (the one away from the hovered line) until its content fits. */
async function fitHoverToContent(page) {
  const { missing, hoverBox } = await page.evaluate(() => {
    const h = document.querySelector('.monaco-resizable-hover .monaco-hover:not(.hidden)');
    const content = h?.querySelector('.monaco-hover-content');
    if (!h || !content) return { missing: 0 };
    const r = h.getBoundingClientRect();
    return { missing: content.scrollHeight - h.clientHeight, hoverBox: { x: r.x, y: r.y, width: r.width, height: r.height } };
  });
  if (!(missing > 0)) return;
  const sashes = await page.locator('.monaco-resizable-hover .monaco-sash.horizontal').evaluateAll((els) =>
    els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }));
  const hoverMid = hoverBox.y + hoverBox.height / 2;
  // Below the line the south sash grows it; above the line, the north one.
  const lineAbove = (await page.evaluate(() => document.querySelector('.editor-instance .monaco-editor .cursor')?.getBoundingClientRect().y ?? 0)) < hoverMid;
  const sash = lineAbove ? sashes.reduce((a, b) => (b.y > a.y ? b : a)) : sashes.reduce((a, b) => (b.y < a.y ? b : a));
  const x = sash.x + sash.width / 2;
  const y = sash.y + sash.height / 2;
  const target = lineAbove ? y + missing + 8 : y - missing - 8;
  await page.mouse.move(x, y, { steps: 2 });
  await page.mouse.down();
  await page.mouse.move(x, target, { steps: 8 });
  await page.mouse.up();
  await settle(page);
}

/**
 * A clip of the editor part (tabs included) from its top-left to just past `widget` and the hovered line, at
 * least CLIP_MIN_WIDTH wide so that the pictures line up in the README.
 */
const CLIP_MIN_WIDTH = 960;
async function clipAround(page, widget, at) {
  const part = await page.locator('.part.editor').boundingBox();
  const w = await widget.boundingBox();
  const line = await textBox(page, at.line, at.line.split(' ').pop());
  const right = Math.min(part.x + part.width, Math.max(w.x + w.width + 24, line.x + line.width + 24, part.x + CLIP_MIN_WIDTH));
  const bottom = Math.min(part.y + part.height, Math.max(w.y + w.height, line.y + line.height) + 24);
  return { x: part.x, y: part.y, width: right - part.x, height: bottom - part.y };
}

/**
 * The on-screen box of `word` in the rendered editor line whose text contains `lineText`. Searched in the whole
 * line's text, since the editor splits long tokens (over 50 characters) into several spans.
 */
async function textBox(page, lineText, word, from = 0) {
  return until(`"${word}" on screen`, () => page.evaluate(([lineText, word, from]) => {
    for (const el of document.querySelectorAll('.editor-instance .monaco-editor .view-line')) {
      const nodes = [];
      let text = '';
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ n, start: text.length });
        text += n.textContent.replace(/\u00a0/g, ' ');
      }
      const lineAt = text.indexOf(lineText);
      if (lineAt < 0) continue;
      const at = text.indexOf(word, lineAt + from);
      if (at < 0) continue;
      const locate = (offset, isEnd) => {
        const hit = nodes.findLast((x) => (isEnd ? x.start < offset : x.start <= offset));
        return [hit.n, offset - hit.start];
      };
      const r = document.createRange();
      r.setStart(...locate(at, false));
      r.setEnd(...locate(at + word.length, true));
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    }
    return null;
  }, [lineText, word, from]));
}

async function clearNotifications(page) {
  if ((await page.locator('.notification-toast').count()) === 0) return;
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type('Notifications: Clear All Notifications');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Clear All Notifications' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
}

/** Parks the mouse on the empty middle of the activity bar, where it triggers no hover or tooltip. */
async function moveMouseAway(page) {
  await page.mouse.move(24, 600);
}

/** Lets animations and pending renders finish: two animation frames plus a short pause. */
async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await new Promise((r) => setTimeout(r, 400));
}

main()
  .then(async () => {
    clearTimeout(watchdog);
    await cleanup();
    log(`done: ${['diagnostics.png', 'hover.png', 'quick-fix.png'].map((f) => join(outDir, f)).join(', ')}`);
  })
  .catch(fail);
