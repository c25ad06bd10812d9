import { analyze, FILE_TOO_LARGE, type Analysis } from './analyze';
import { applyEdits, overlaps } from './edit/applyEdits';
import { eolAfter } from './edit/nodeText';
import type { Settings } from './settings';
import type { Lines } from './text/lines';
import type { Finding, OffsetRange, TextEdit } from './types';

/** The code action kind of "fix all" (SPEC §1); clients ask for it on save via `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.k8sImageLint';
export const FIX_ALL_TITLE = 'Fix all auto-fixable k8s-image-lint problems';

/** A code action in service terms: edits in offsets of the analysed text; the server turns it into LSP. */
export interface CodeActionResult {
  title: string;
  kind: 'quickfix' | typeof FIX_ALL_KIND;
  edits: TextEdit[];
  isPreferred?: boolean;
  /** The finding the action answers (its diagnostic goes into the LSP action's `diagnostics`). */
  finding?: Finding;
  /** A "Disable … for this line" action: offered after every fix. */
  disable?: boolean;
}

/** Passes of fix-all before giving up: a fix may enable another (a moved list gets its entries repaired). */
const MAX_PASSES = 10;

/**
 * Quick fixes of findings overlapping `range`, plus one "Disable <rule> for this line" per finding (inserts
 * `# k8s-image-lint-disable-next-line <rule>` on a new line above, at that line's indentation, honouring CRLF;
 * when the line before is already such a directive, appends `,<rule>` to it instead).
 * A range touching a finding counts, so a bare cursor at the end of a value still gets its fixes.
 */
export function quickFixes(analysis: Analysis, range: OffsetRange): CodeActionResult[] {
  const hits = analysis.findings.filter((f) => f.range.start <= range.end && range.start <= f.range.end);
  const out: CodeActionResult[] = [];
  // Two findings may offer the same change (missing-tag and implicit-pull-policy both add the policy): offer it once.
  const sameEdits = new Set<string>();
  for (const finding of hits) {
    for (const fix of finding.fixes) {
      const key = JSON.stringify(fix.edits);
      if (sameEdits.has(key)) continue;
      sameEdits.add(key);
      out.push({ title: fix.title, kind: 'quickfix', edits: fix.edits, isPreferred: fix.isPreferred, finding });
    }
  }
  const offered = new Set<string>();
  for (const finding of hits) {
    // The too-large notice is not produced line by line, so a line directive could never silence it.
    if (finding.ruleId === FILE_TOO_LARGE) continue;
    const line = analysis.lines.lineOf(finding.range.start);
    if (!canDisableLine(analysis.lines, line)) continue;
    const key = `${finding.ruleId}\n${line}`;
    if (offered.has(key)) continue;
    offered.add(key);
    out.push({ title: `Disable ${finding.ruleId} for this line`, kind: 'quickfix', edits: [disableEdit(analysis.lines, line, finding.ruleId)], finding, disable: true });
  }
  return out;
}

/**
 * False for a line that starts after a lone `\r`: editors count that as a line break, but `yaml` (like most YAML
 * parsers in practice) reads on, so a directive line inserted there would land in the middle of what YAML
 * sees as one line (inside a flow collection, it broke the file).
 */
export function canDisableLine(lines: Lines, line: number): boolean {
  const start = lines.start(line);
  return start === 0 || lines.text.charCodeAt(start - 1) !== 13;
}

const NEXT_LINE_DIRECTIVE = /(?:^|\s)#\s*k8s-image-lint-disable-next-line\b/;

/** The edit that silences `ruleId` on `line`: extend the directive just above, or add one. */
export function disableEdit(lines: Lines, line: number, ruleId: string): TextEdit {
  if (line > 0) {
    const prev = lines.lineText(line - 1);
    const m = NEXT_LINE_DIRECTIVE.exec(prev);
    if (m) {
      const markerEnd = m.index + m[0].length;
      const ids = prev.slice(markerEnd).split('--')[0];
      // An empty list already means "every rule"; the finding could not exist, but never narrow it by appending.
      if (ids.trim() !== '') {
        const at = lines.start(line - 1) + markerEnd + ids.trimEnd().length;
        return { start: at, end: at, newText: `,${ruleId}` };
      }
    }
  }
  const at = lines.start(line);
  return { start: at, end: at, newText: `${lines.indent(line)}# k8s-image-lint-disable-next-line ${ruleId}${eolAfter(lines, line)}` };
}

/**
 * Edits of one fix-all pass: the fix-all fix (the preferred one when there are several) of each finding with
 * severity error or warning, in document order, skipping any whose edits overlap an already chosen one; the next
 * pass, on the new text, picks those up.
 */
export function fixAllEdits(analysis: Analysis): TextEdit[] {
  const chosen: TextEdit[] = [];
  for (const finding of analysis.findings) {
    if (finding.severity !== 'error' && finding.severity !== 'warning') continue;
    const fix = finding.fixes.find((f) => f.fixAll && f.isPreferred) ?? finding.fixes.find((f) => f.fixAll);
    if (!fix || fix.edits.length === 0) continue;
    if (fix.edits.some((e) => chosen.some((c) => overlaps(e, c)))) continue;
    chosen.push(...fix.edits);
  }
  return chosen;
}

/**
 * Applies fix-all until nothing changes (at most {@link MAX_PASSES} passes) and returns the new text.
 * Idempotent: `fixAllText(fixAllText(t)) === fixAllText(t)`. A pass that would add YAML syntax errors is
 * dropped and ends the run: a fix must never break the file.
 */
export function fixAllText(text: string, settings: Settings): string {
  let current = text;
  let analysis = analyze(current, settings);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const edits = fixAllEdits(analysis);
    if (edits.length === 0) break;
    const next = applyEdits(current, edits);
    if (next === current) break;
    const nextAnalysis = analyze(next, settings);
    if (nextAnalysis.file.syntaxErrors.length > analysis.file.syntaxErrors.length) break;
    current = next;
    analysis = nextAnalysis;
  }
  return current;
}

/**
 * Fix-all as one edit against the original text (what an LSP `source.fixAll` action returns): the changed span
 * between the common prefix and suffix, or `[]` when nothing changes. The span never splits a CRLF or a
 * surrogate pair, so its ends are valid LSP positions.
 */
export function fixAllAsEdits(text: string, settings: Settings): TextEdit[] {
  const next = fixAllText(text, settings);
  if (next === text) return [];
  const max = Math.min(text.length, next.length);
  let prefix = 0;
  while (prefix < max && text.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  while (prefix > 0 && (splits(text, prefix) || splits(next, prefix))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && text.charCodeAt(text.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)) suffix++;
  while (suffix > 0 && (splits(text, text.length - suffix) || splits(next, next.length - suffix))) suffix--;
  return [{ start: prefix, end: text.length - suffix, newText: next.slice(prefix, next.length - suffix) }];
}

/** True when offset `i` falls between `\r` and `\n` or between the halves of a surrogate pair. */
function splits(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false;
  const a = s.charCodeAt(i - 1);
  const b = s.charCodeAt(i);
  return (a === 13 && b === 10) || (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff);
}
