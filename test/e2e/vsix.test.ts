/**
 * The installed product, not only the development path: `npm run package`'s VSIX is checked (budget, allow-list),
 * installed into a fresh VS Code server with `--install-extension` as a user would, and used in the workbench:
 * the Problems panel, the status-bar item, the hover and the quick-fix menu — photographed on the way
 * (K8S_IMAGE_LINT_SCREENSHOTS names the folder, default out/screenshots; `npm run screenshots` writes docs/images).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { missingForWeb, requirePrerequisites, ROOT } from './support/prerequisites';
import { startSession, until, type Session } from './support/vscodeServer';
import {
  clearNotifications, clickAt, clipAround, focusEditor, hoverOver, hoverOverflow, moveMouseAway, openFile, problemRows, rowCodes,
  scrollEditorTo, settle, targetOf,
} from './support/workbench';
import { zipEntries } from './support/zip';

const BUDGET_BYTES = 1.5 * 1024 * 1024;
const FILE = 'deployment-latest.yaml';
const shots = resolve(ROOT, process.env.K8S_IMAGE_LINT_SCREENSHOTS || join('out', 'screenshots'));
const scale = Number(process.env.K8S_IMAGE_LINT_SCREENSHOT_SCALE || 1);

const SETTINGS = {
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.inlayHints.enabled': 'on',
  'editor.minimap.enabled': false,
  'editor.fontSize': 15,
  'editor.hover.delay': 200,
  'editor.hover.sticky': true,
  'editor.hover.above': false,
  'editor.stickyScroll.enabled': false,
  'editor.occurrencesHighlight': 'off',
  'editor.selectionHighlight': false,
  'editor.cursorBlinking': 'solid',
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
};

test('the packaged VSIX, installed into real VS Code', { timeout: 8 * 60_000 }, async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'k8s-image-lint-vsix-test-'));
  const vsix = join(tmp, 'k8s-image-lint.vsix');
  let session: Session | undefined;
  try {
    await t.test('npm run package builds a VSIX within its 1.5 MB budget, with only the shipped files', () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      const size = statSync(vsix).size;
      assert.ok(size <= BUDGET_BYTES, `${size} bytes is over the budget`);
      const files = zipEntries(vsix).filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length)).sort();
      for (const f of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'client/out/extension.js', 'server/out/server.js', 'server/out/cli.js', 'syntaxes/k8s-image.injection.tmLanguage.json', 'docs/rules/latest-tag.md', 'schemas/k8s-image-lint.schema.json', 'docs/images/icon.png']) {
        assert.ok(files.includes(f), `${f} is in the VSIX (it has: ${files.join(', ')})`);
      }
      const unwanted = files.filter((f) => /\.map$|\.ts$|(^|\/)node_modules\/|^docs\/images\/(?!icon\.png$)|^test\/|^examples\/|^out\//.test(f));
      assert.deepEqual(unwanted, [], 'no sources, maps, node_modules, tests or pictures (but the icon)');
    });

    await t.test('installed with --install-extension, it lints the manifest: Problems panel and status bar', async () => {
      requirePrerequisites(missingForWeb());
      session = await startSession({
        workspaceFrom: join(ROOT, 'examples'), installVsix: [vsix], userSettings: SETTINGS, deviceScaleFactor: scale,
      });
      const { page } = session;
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
      assert.doesNotMatch(await page.title(), /Extension Development Host/, 'the installed extension, not a development one');
      await openFile(page, FILE);
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await until('squiggles from k8s-image-lint', async () => (await editor.locator('.squiggly-warning, .squiggly-info').count()) > 0, 60_000);
      // Hints are not listed in the Problems panel; the warnings and the info are.
      await focusEditor(page);
      await page.keyboard.press('Control+Shift+M');
      const expected = ['latest-tag 22:18', 'missing-tag 28:18', 'mutable-tag 52:18'];
      let rows: string[] = [];
      await until(`Problems rows ${expected.join(', ')}`, async () => JSON.stringify(rowCodes(rows = await problemRows(page))) === JSON.stringify(expected), 30_000)
        .catch(() => assert.deepEqual(rowCodes(rows), expected));
      await page.locator('.statusbar-item', { hasText: '4 images · 1 by digest' }).first().waitFor({ timeout: 30_000 });
    });

    await t.test('pictures of the workbench: diagnostics, hover, quick fix', async () => {
      assert.ok(session, 'the workbench is open');
      const { page, workspace } = session;
      const editor = page.locator('.editor-instance .monaco-editor').first();
      mkdirSync(shots, { recursive: true });
      const rows = await problemRows(page);
      const target = targetOf(readFileSync(join(workspace, FILE), 'utf8'), rows);
      await focusEditor(page);
      await page.keyboard.press('Control+B'); // room for the Problems messages
      await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
      await scrollEditorTo(page, editor, Math.max(1, target.lineNumber - 5));
      await clickAt(page, target);
      await clearNotifications(page);
      await moveMouseAway(page);
      await settle(page);
      await page.screenshot({ path: join(shots, 'diagnostics.png') });

      // The hover as VS Code first shows it (default size, never resized): the answer is its first line.
      await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden' });
      await focusEditor(page);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'pulls on every start' }).first();
      await hoverOver(page, target, hover);
      assert.match(await hover.innerText(), /^Always \(default: tag is latest\) · pulls on every start$/m);
      await settle(page);
      const hidden = await hoverOverflow(page);
      await page.screenshot({ path: join(shots, 'hover.png'), clip: await clipAround(page, hover, target) });
      assert.ok(hidden <= 0, `${hidden} px of the hover are out of sight at VS Code's default hover height`);

      await page.keyboard.press('Escape');
      await moveMouseAway(page);
      await hover.waitFor({ state: 'hidden' });
      await focusEditor(page);
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget').first();
      await menu.waitFor({ state: 'visible', timeout: 15_000 });
      await until('the quick fixes', async () => (await menu.innerText()).includes('Disable latest-tag for this line'), 15_000);
      await settle(page);
      await page.screenshot({ path: join(shots, 'quick-fix.png'), clip: await clipAround(page, menu, target) });
      await page.keyboard.press('Escape');
    });

    await t.test('clicking the status-bar item opens the Problems view with its filter focused', async () => {
      assert.ok(session, 'the workbench is open');
      const { page } = session;
      await page.locator('.statusbar-item', { hasText: '4 images · 1 by digest' }).first().click();
      await page.locator('.markers-panel').waitFor({ state: 'visible' });
      await until('the Problems filter to have the focus', () => page.evaluate(() => !!(globalThis as any).document.activeElement?.closest('.viewpane-filter')), 10_000);
    });
  } finally {
    await session?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
