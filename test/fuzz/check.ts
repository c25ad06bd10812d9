/**
 * The properties every input must satisfy, checked against the pure service exactly as the server and the CLI
 * call it. `checkService` throws an Error naming the first violated property (fast-check then shrinks the input).
 *
 * - analyze, hover, completion, definition, inlay hints, quick fixes and fix-all never throw, and each call
 *   answers within a time bound that grows with the input (re-measured once before failing, so one GC pause
 *   or a busy machine does not fail the run);
 * - every range they return lies within the text (integers, start ≤ end ≤ length), and each fix's edits do
 *   not overlap;
 * - every quick fix (each of a finding's own fixes, and its "Disable <rule> for this line" action) edits only
 *   within its target (the directive: the finding's line and the one above; "Create a Secret": appends only;
 *   any other fix: the YAML document of its finding) and keeps a CRLF file CRLF; on a file that parses cleanly
 *   it also yields YAML with no parse error and removes its finding, except the fixes that only accompany a
 *   finding ("Set imagePullPolicy: Always explicitly" beside a tag finding, "Create a Secret"), which must add
 *   no error or warning. (On YAML that is already broken, the parser's recovery makes error counts and finding
 *   positions move with any edit, so those two are not judged there.)
 * - fix-all adds no parse error, keeps every comment (of a file that parses cleanly), and is idempotent; its
 *   single-edit LSP form agrees.
 */
import { Lexer } from 'yaml';
import {
  analyze, applyEdits, completions, defaultSettings, definition, fixAllAsEdits, fixAllText, hover, inlayHints, quickFixes,
  WorkspaceIndex, type Analysis, type CodeActionResult, type Finding, type OffsetRange, type Settings, type TextEdit,
} from '../../server/src/service/index';
import { canDisableLine } from '../../server/src/service/codeActions';
import { DocumentCache } from '../../server/src/service/parse/documentCache';


export interface Input {
  text: string;
  uri?: string;
  settings?: Settings;
  /** Analyse within a workspace index holding just this file (turns on the "not found" rules). */
  workspace?: boolean;
}

export interface Limits {
  /** Findings whose quick fixes are applied and checked (spread over the file). */
  fixChecks: number;
  /** Extra offsets, as fractions of the length in [0, 1), for hover/completion/definition. */
  probes?: number[];
  fixAll?: boolean;
  /** At most this many probe offsets (spread over the candidates); all by default. */
  maxProbes?: number;
  /** Overrides {@link boundMs} for every call. */
  boundMs?: number;
}

/** The time one call may take: 2 s, plus 1 ms per KB (several times what today's analysis needs). */
export function boundMs(text: string): number {
  return 2000 + text.length / 1024;
}

class Violation extends Error {}

function fail(what: string): never {
  throw new Violation(what);
}

/** Runs `fn`, failing when it throws or takes longer than `bound` twice in a row. */
export function timed<T>(name: string, bound: number, fn: () => T): T {
  for (let attempt = 0; ; attempt++) {
    const start = performance.now();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      fail(`${name} threw: ${(e as Error)?.stack ?? e}`);
    }
    const ms = performance.now() - start;
    if (ms <= bound) return result;
    if (attempt === 1) fail(`${name} took ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms, measured twice)`);
  }
}

/** Analyses like the server: with the file's URI, and optionally a workspace index of just this file. */
export function analyzeInput(input: Input, text = input.text): Analysis {
  const settings = input.settings ?? defaultSettings();
  if (!input.workspace) return analyze(text, settings, { uri: input.uri });
  const index = new WorkspaceIndex();
  const uri = input.uri ?? 'file:///w/manifest.yaml';
  index.update(uri, text);
  return analyze(text, settings, { uri, workspace: index });
}

/**
 * YAML errors of a text, counted on a parse made the way the product parses: document by document (as
 * DocumentCache cuts them), each refused when nested past what `yaml` survives (it overflows the stack on ~1000
 * nested collections). Parsed whole, ten thousand documents each opening one `[` would count as one refused
 * text, parsed in milliseconds, and make a useless time bound for the streams.
 */
export function parseErrors(text: string): number {
  return new DocumentCache().parse(text).reduce((n, d) => n + d.errors.length, 0);
}

/** Every comment token's text with its count (lines of block scalars that start with `#` are not comments). */
export function comments(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of new Lexer().lex(text)) if (token.startsWith('#')) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

function checkRange(r: OffsetRange | null | undefined, length: number, what: string): void {
  if (!r) return;
  const ok = Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= length;
  if (!ok) fail(`${what} range [${r.start}, ${r.end}) is outside the text (length ${length})`);
}

function checkEdits(edits: readonly TextEdit[], length: number, what: string): void {
  for (const e of edits) {
    checkRange(e, length, `${what}: edit`);
    if (typeof e.newText !== 'string') fail(`${what}: an edit's newText is ${typeof e.newText}`);
  }
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) fail(`${what}: edits [${sorted[i - 1].start}, ${sorted[i - 1].end}) and [${sorted[i].start}, ${sorted[i].end}) overlap`);
  }
}

const overlap = (a: OffsetRange, b: OffsetRange): boolean =>
  (a.start < b.end && b.start < a.end) || (a.start === a.end && b.start <= a.start && a.start <= b.end) || (b.start === b.end && a.start <= b.start && b.start <= a.end);

/** Where `offset` of the old text lands after `edits` (an offset inside a replaced span maps to its start). */
export function mapOffset(offset: number, edits: readonly TextEdit[], end: boolean): number {
  let shift = 0;
  for (const e of edits) {
    if (e.end < offset || (e.end === offset && (e.start < e.end || end))) shift += e.newText.length - (e.end - e.start);
    else if (e.start < offset && offset < e.end) return e.start + shift + (end ? e.newText.length : 0);
  }
  return offset + shift;
}

/** The span of `after` that differs from `before`: [start, endInBefore). */
function changedSpan(before: string, after: string): { start: number; end: number } {
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let sfx = 0;
  while (sfx < max - p && before.charCodeAt(before.length - 1 - sfx) === after.charCodeAt(after.length - 1 - sfx)) sfx++;
  return { start: p, end: before.length - sfx };
}

const COMPANION = /Always explicitly$|^Create a docker-registry Secret/;

/** The YAML document holding `offset`, with the line break that ends it (a fix may append a line there). */
function documentRange(analysis: Analysis, offset: number): OffsetRange {
  const text = analysis.file.text;
  for (const doc of analysis.file.docs) {
    const [start, , end] = doc.range;
    if (start <= offset && offset <= end) return { start, end: end + (text.startsWith('\r\n', end) ? 2 : /[\r\n]/.test(text[end] ?? '') ? 1 : 0) };
  }
  return { start: 0, end: text.length };
}

function checkQuickFix(input: Input, analysis: Analysis, finding: Finding, action: CodeActionResult, errorsBefore: number, bound: number): void {
  const text = analysis.file.text;
  const what = `quick fix "${action.title}" for ${finding.ruleId} at [${finding.range.start}, ${finding.range.end})`;
  checkEdits(action.edits, text.length, what);
  if (action.edits.length === 0) return;
  const after = applyEdits(text, action.edits);

  // Only its target changes: the text outside the edits' hull is untouched by construction, so the hull must
  // lie within the target.
  const hull = { start: Math.min(...action.edits.map((e) => e.start)), end: Math.max(...action.edits.map((e) => e.end)) };
  const lines = analysis.lines;
  const line = lines.lineOf(finding.range.start);
  if (action.title.startsWith('Disable ')) {
    const target = { start: lines.start(Math.max(0, line - 1)), end: lines.end(line) };
    if (hull.start < target.start || hull.end > target.end) fail(`${what} edits [${hull.start}, ${hull.end}), outside lines ${line - 1}..${line}`);
  } else if (action.title.startsWith('Create a docker-registry Secret')) {
    if (!after.startsWith(text)) fail(`${what} changed the text instead of appending to it`);
  } else if (errorsBefore === 0) {
    // (In broken YAML the parser's idea of where a document ends is itself a guess.)
    const doc = documentRange(analysis, finding.range.start);
    if (hull.start < doc.start || hull.end > doc.end) fail(`${what} edits [${hull.start}, ${hull.end}), outside its YAML document [${doc.start}, ${doc.end})`);
  }
  if (/\r\n/.test(text) && !/(^|[^\r])\n/.test(text) && /(^|[^\r])\n/.test(after)) fail(`${what} put a bare LF into a CRLF file`);

  // On YAML that is already broken, the parser's recovery makes error counts and finding positions move with
  // any edit; the remaining properties are judged on files that parse cleanly.
  if (errorsBefore > 0) {
    timed(`analyze after ${what}`, bound, () => analyzeInput(input, after));
    return;
  }
  const errorsAfter = parseErrors(after);
  if (errorsAfter > errorsBefore) fail(`${what} added YAML parse errors (${errorsBefore} -> ${errorsAfter}): ${JSON.stringify(action.edits)}`);

  const next = timed(`analyze after ${what}`, bound, () => analyzeInput(input, after));
  const serious = (a: Analysis) => a.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
  if (COMPANION.test(action.title)) {
    if (!action.title.startsWith('Create') && serious(next) > serious(analysis)) fail(`${what} added error/warning findings: ${next.findings.map((f) => f.ruleId).join(', ')}`);
    return;
  }
  // Removed: fewer findings of its rule at its (mapped) place, or, when a neighbour of the same rule moved into
  // that place (the third of three duplicates), fewer of its rule in the file.
  const mapped = { start: mapOffset(finding.range.start, action.edits, false), end: mapOffset(finding.range.end, action.edits, true) };
  const same = (a: Analysis) => a.findings.filter((f) => f.ruleId === finding.ruleId);
  const before = same(analysis).filter((f) => overlap(f.range, finding.range)).length;
  const still = same(next).filter((f) => overlap(f.range, mapped));
  if (still.length >= before && same(next).length >= same(analysis).length) {
    fail(`${what} did not remove its finding: still ${still.map((f) => `${f.ruleId} [${f.range.start}, ${f.range.end}) "${f.message}"`).join('; ')} after ${JSON.stringify(action.edits)}`);
  }
}

/** Offsets worth probing: ends of the text, each finding and image, and the given fractions. */
function probeOffsets(analysis: Analysis, fractions: readonly number[]): number[] {
  const n = analysis.file.text.length;
  const out = new Set<number>([0, n, Math.floor(n / 2)]);
  for (const f of analysis.findings.slice(0, 40)) out.add(f.range.start).add(f.range.end);
  for (const i of analysis.images.slice(0, 40)) {
    if (i.range) out.add(i.range.start).add(i.range.end).add((i.range.start + i.range.end) >> 1);
    if (i.policyRange) out.add(i.policyRange.start + 1);
  }
  for (const p of fractions) out.add(Math.floor(p * (n + 1)));
  return [...out];
}

/** Checks every property on one input; throws on the first violation. */
export function checkService(input: Input, limits: Limits): Analysis {
  const { text } = input;
  const settings = input.settings ?? defaultSettings();
  const bound = limits.boundMs ?? boundMs(text);
  const analysis = timed('analyze', bound, () => analyzeInput(input));
  if (analysis.file.text !== text) fail('the analysis holds another text than it was given');

  for (const f of analysis.findings) {
    checkRange(f.range, text.length, `finding ${f.ruleId}`);
    for (const fix of f.fixes) checkEdits(fix.edits, text.length, `fix "${fix.title}" of ${f.ruleId}`);
  }
  for (const i of analysis.images) {
    checkRange(i.range, text.length, 'image');
    checkRange(i.policyRange, text.length, 'image policy');
  }

  const offsets = probeOffsets(analysis, limits.probes ?? []);
  const every = limits.maxProbes ? Math.max(1, Math.ceil(offsets.length / limits.maxProbes)) : 1;
  for (const offset of offsets.filter((_, i) => i % every === 0)) {
    const h = timed(`hover at ${offset}`, bound, () => hover(analysis, offset));
    if (h) {
      checkRange(h.range, text.length, `hover at ${offset}`);
      if (typeof h.markdown !== 'string' || h.markdown === '') fail(`hover at ${offset} has no text`);
    }
    for (const c of timed(`completion at ${offset}`, bound, () => completions(analysis, offset))) checkRange(c.range, text.length, `completion "${c.label}" at ${offset}`);
    const d = timed(`definition at ${offset}`, bound, () => definition(analysis, offset));
    if (d) checkRange(d.origin, text.length, `definition origin at ${offset}`);
    timed(`quick fixes at ${offset}`, bound, () => quickFixes(analysis, { start: offset, end: offset }));
  }
  const visible = [{ start: 0, end: text.length }, { start: text.length >> 2, end: text.length >> 1 }, { start: text.length, end: text.length }];
  for (const r of visible) {
    for (const h of timed('inlay hints', bound, () => inlayHints(analysis, r, settings))) {
      if (!(Number.isInteger(h.offset) && h.offset >= 0 && h.offset <= text.length)) fail(`inlay hint at ${h.offset} is outside the text (length ${text.length})`);
    }
  }

  if (limits.fixChecks > 0 && analysis.findings.length > 0) {
    const errorsBefore = parseErrors(text);
    const step = Math.max(1, Math.floor(analysis.findings.length / limits.fixChecks));
    for (let i = 0, done = 0; i < analysis.findings.length && done < limits.fixChecks; i += step, done++) {
      const finding = analysis.findings[i];
      const actions = timed(`quick fixes of ${finding.ruleId}`, bound, () => quickFixes(analysis, finding.range));
      // The finding's own fixes (quickFixes offers a fix shared by two findings once, under the first), and the
      // disable directive for its rule on its line.
      const own: CodeActionResult[] = finding.fixes.map((f) => ({ title: f.title, kind: 'quickfix', edits: f.edits, finding }));
      const line = analysis.lines.lineOf(finding.range.start);
      const disable = actions.find((a) => a.title === `Disable ${finding.ruleId} for this line` && a.finding && analysis.lines.lineOf(a.finding.range.start) === line);
      if (disable) own.push({ ...disable, finding });
      // (Not offered on a line after a lone `\r`, which YAML does not take for a line break: codeActions.ts.)
      else if (finding.ruleId !== 'file-too-large' && canDisableLine(analysis.lines, line)) fail(`no "Disable ${finding.ruleId} for this line" action for the finding at [${finding.range.start}, ${finding.range.end})`);
      for (const action of own) checkQuickFix(input, analysis, finding, action, errorsBefore, bound);
    }
  }

  if (limits.fixAll) {
    const fixed = timed('fix-all', bound * 4, () => fixAllText(text, settings));
    if (fixed !== text) {
      const before = parseErrors(text);
      const after = parseErrors(fixed);
      if (after > before) fail(`fix-all added YAML parse errors (${before} -> ${after})`);
      // Also in broken files: fixes leave documents with syntax errors alone (regressions.test.ts, "fix-all on a
      // file ending inside an unterminated quote…"), so no comment may be swallowed by a parser's recovery.
      const kept = comments(fixed);
      for (const [comment, count] of comments(text)) {
        if ((kept.get(comment) ?? 0) < count) fail(`fix-all lost the comment ${JSON.stringify(comment)}`);
      }
      const again = timed('fix-all (second pass)', bound * 4, () => fixAllText(fixed, settings));
      if (again !== fixed) fail(`fix-all is not idempotent: a second pass changes ${JSON.stringify(changedSpan(fixed, again))}`);
    }
    const edits = timed('fix-all as edits', bound * 4, () => fixAllAsEdits(text, settings));
    checkEdits(edits, text.length, 'fix-all edits');
    if (applyEdits(text, edits) !== fixed) fail('fix-all as one edit does not give the fix-all text');
  }
  return analysis;
}

/** True when an error is a property violation (as opposed to a bug in the fuzzer). */
export function isViolation(e: unknown): boolean {
  return e instanceof Violation;
}
