/**
 * Driving VS Code's workbench in Chromium the way a person does: Quick Open, clicks, hovers, the keyboard.
 * Lessons from taking the README pictures: the hover is height-capped until its edge is dragged once, our hover
 * is the `.monaco-hover` with an `h3`, Go to Line scrolls unpredictably (Ctrl+Home and Ctrl+Down instead), and
 * long lines are split over several spans.
 */
import type { Locator, Page } from 'playwright-core';
import { until } from './vscodeServer';

// The callbacks below run in the page; this file is type-checked without the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const NodeFilter: any;
declare function requestAnimationFrame(cb: () => void): void;

export interface Box { x: number; y: number; width: number; height: number }
/** A place in the editor: 1-based line and column, the line's trimmed text, the word there and its offset in the trimmed line. */
export interface Target { lineNumber: number; column: number; line: string; word: string; offset: number }

/** Opens `fileName` through Quick Open and waits for its editor. */
export async function openFile(page: Page, fileName: string): Promise<Locator> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.locator('input').waitFor();
  await page.keyboard.insertText(fileName);
  await quickInput.locator('.monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').waitFor();
  return editor;
}

export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor textarea').first().focus();
}

/** The Problems panel's rows from k8s-image-lint, whitespace collapsed. */
export async function problemRows(page: Page): Promise<string[]> {
  const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'k8s-image-lint' });
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** `rule-id Ln:Col` of each Problems row, e.g. `latest-tag 22:18`, sorted. */
export function rowCodes(rows: string[]): string[] {
  return rows.map((r) => {
    const m = /k8s-image-lint\s*\(?([\w-]+)\)?\s*\[Ln (\d+), Col (\d+)\]/.exec(r);
    return m ? `${m[1]} ${m[2]}:${m[3]}` : `? ${r}`;
  }).sort();
}

/**
 * Where to hover and ask for quick fixes: the first Problems row (`… [Ln 22, Col 18]`) on an `image:` line, else
 * the first row.
 */
export function targetOf(text: string, rows: string[]): Target {
  const lines = text.split('\n');
  const positions = rows.flatMap((r) => {
    const m = /\[Ln (\d+), Col (\d+)\]/.exec(r);
    return m ? [{ lineNumber: Number(m[1]), column: Number(m[2]) }] : [];
  });
  if (positions.length === 0) throw new Error(`no [Ln, Col] in the Problems rows: ${rows.join(' / ')}`);
  const pos = positions.find((p) => /^\s*-?\s*image:/.test(lines[p.lineNumber - 1] ?? '')) ?? positions[0];
  const line = lines[pos.lineNumber - 1];
  const word = /^[\w.-]+/.exec(line.slice(pos.column - 1))?.[0] || line.trim().split(/\s+/)[0];
  const offset = pos.column - 1 - (line.length - line.trimStart().length);
  return { ...pos, line: line.trim(), word, offset };
}

/** Scrolls so that `topLine` is the first visible line: Ctrl+Home, then Ctrl+Down (scrolls, cursor stays). */
export async function scrollEditorTo(page: Page, editor: Locator, topLine: number): Promise<void> {
  const currentTop = (): Promise<number> => editor.evaluate((ed: any) => {
    const top = ed.querySelector('.lines-content').parentElement.getBoundingClientRect().top;
    const numbers = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')]
      .filter((e: any) => e.getBoundingClientRect().bottom > top + 4)
      .map((e: any) => Number(e.textContent));
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

/** Puts the cursor at `at` by clicking just inside the left edge of its word (the line must be on screen). */
export async function clickAt(page: Page, at: Target): Promise<void> {
  const box = await textBox(page, at.line, at.word, at.offset);
  await page.mouse.click(box.x + 1, box.y + box.height / 2);
  await page.locator('.statusbar-item', { hasText: `Ln ${at.lineNumber}, Col ${at.column}` }).first().waitFor({ timeout: 5_000 });
}

/** Moves the mouse onto `at.word` in the editor and waits for `hover`. */
export async function hoverOver(page: Page, at: Target, hover: Locator): Promise<void> {
  const box = await textBox(page, at.line, at.word, at.offset);
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
}

/** How many pixels of the shown hover's content are out of sight (0 or less: it fits its default height). */
export async function hoverOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const h = document.querySelector('.monaco-hover:not(.hidden)');
    const content = h?.querySelector('.monaco-hover-content');
    return h && content ? content.scrollHeight - h.clientHeight : Number.NaN;
  });
}

/** A clip of the editor part from its top-left to just past `widget` and the hovered line, at least 960 px wide. */
export async function clipAround(page: Page, widget: Locator, at: Target): Promise<Box> {
  const part = await page.locator('.part.editor').boundingBox();
  const w = await widget.boundingBox();
  if (!part || !w) throw new Error('the editor or the widget is not on screen');
  const line = await textBox(page, at.line, at.line.split(' ').pop() ?? at.word);
  const right = Math.min(part.x + part.width, Math.max(w.x + w.width + 24, line.x + line.width + 24, part.x + 960));
  const bottom = Math.min(part.y + part.height, Math.max(w.y + w.height, line.y + line.height) + 24);
  return { x: part.x, y: part.y, width: right - part.x, height: bottom - part.y };
}

/** The on-screen box of `word` in the rendered line containing `lineText` (searched over the line's spans). */
export async function textBox(page: Page, lineText: string, word: string, from = 0): Promise<Box> {
  return until(`"${word}" on screen`, () => page.evaluate(([lineText, word, from]: [string, string, number]) => {
    for (const el of document.querySelectorAll('.editor-instance .monaco-editor .view-line')) {
      const nodes: { n: any; start: number }[] = [];
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
      const locate = (offset: number, isEnd: boolean): [any, number] => {
        const hit = [...nodes].reverse().find((x) => (isEnd ? x.start < offset : x.start <= offset))!;
        return [hit.n, offset - hit.start];
      };
      const r = document.createRange();
      r.setStart(...locate(at, false));
      r.setEnd(...locate(at + word.length, true));
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    }
    return null;
  }, [lineText, word, from] as [string, string, number]));
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.insertText(title);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export async function clearNotifications(page: Page): Promise<void> {
  if ((await page.locator('.notification-toast').count()) === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
}

/** Parks the mouse on the empty middle of the activity bar, where it triggers no hover or tooltip. */
export async function moveMouseAway(page: Page): Promise<void> {
  await page.mouse.move(24, 600);
}

/** Lets pending renders finish: two animation frames and a short pause (for pictures only, never for results). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  await new Promise((r) => setTimeout(r, 400));
}
