// The server's kept diagnostics (lsp/diagnosticCache.ts) moved by the document's line starts (`Lines.moved`)
// must equal a fresh conversion of the findings, after any sequence of edits — lines added and removed,
// several changes before one analysis (a burst longer than the edits a Lines remembers), CR line breaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from '../../server/src/lsp/analysisCache';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { DiagnosticCache } from '../../server/src/lsp/diagnosticCache';
import { LinesDocument } from '../../server/src/lsp/textDocument';
import { defaultSettings } from '../../server/src/service/settings';
import { Lines } from '../../server/src/service/text/lines';
import { params } from '../fuzz/config';

const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: ${image}\n`;
const BASE = [pod('a', 'nginx'), pod('b', 'nginx:latest'), pod('c', 'registry.example.com/x:1.2'), pod('d', 'Bad:Ref')].join('---\n');

const piece = fc.constantFrom('\n', '\n\n', 'x', '  ', 'image: busybox', '---\n', '\r\n', '');
/** An edit as offsets into the text it applies to (fractions, so that it fits any text). */
const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.integer({ min: 0, max: 12 }), text: fc.array(piece, { maxLength: 3 }).map((p) => p.join('')) });
/** Rounds of edits; after each round the diagnostics are made (a round longer than 8 edits exceeds what Lines keeps). */
const rounds = fc.array(fc.array(edit, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 5 });

test('kept diagnostics, moved by the edits, equal a fresh conversion of every finding', () => {
  const settings = defaultSettings();
  let reused = 0;
  fc.assert(fc.property(rounds, fc.boolean(), (plan, crlf) => {
    const start = crlf ? BASE.replace(/\n/g, '\r\n') : BASE;
    let doc = LinesDocument.create('file:///a.yaml', 'yaml', 1, start);
    const analyses = new AnalysisCache();
    const cache = new DiagnosticCache(() => true);
    let last = new Map<unknown, unknown>();
    const check = () => {
      const a = analyses.get(doc, settings);
      const fresh = TextDocument.create(doc.uri, 'yaml', doc.version, doc.getText());
      const seen = new Map<unknown, unknown>();
      for (const f of a.findings) {
        const d = cache.of(doc, a.lines, f);
        assert.deepEqual(d, toDiagnostic(fresh, f, true), `${f.ruleId} in ${JSON.stringify(doc.getText())}`);
        if (last.get(f) === d) reused++;
        seen.set(f, d);
      }
      last = seen;
    };
    check();
    for (const round of plan) {
      for (const e of round) {
        const text = doc.getText();
        const from = Math.floor(e.at * text.length);
        const to = Math.min(text.length, from + e.remove);
        doc = LinesDocument.update(doc, [{ range: { start: doc.positionAt(from), end: doc.positionAt(to) }, text: e.text }], doc.version + 1);
      }
      check();
    }
  }), params(400));
  // Not a cache that never hits: most findings sit in documents an edit did not touch.
  assert.ok(reused > 0, 'no kept diagnostic was ever reused');
});

test('Lines.moved maps a range only when its line is untouched, and then exactly', () => {
  const text = 'a: 1\nbb: 2\nccc: 3\n';
  const before = new Lines(text);
  // Insert a line after "a: 1\n": "ccc: 3" moves down one line, "a: 1" stays; "bb: 2", whose line break before it
  // is not in the unchanged end, is left to a search.
  const next = Lines.update(before, `a: 1\nz\n${text.slice(5)}`, { prefix: 5, suffix: text.length - 5 });
  assert.deepEqual(next.moved(before.serial, 11, 14, 2, 0), { start: 13, end: 16, line: 3 });
  assert.deepEqual(next.moved(before.serial, 0, 1, 0, 0), { start: 0, end: 1, line: 0 });
  assert.equal(next.moved(before.serial, 5, 7, 1, 0), null);
  // A range at the end of the edited line's predecessor, but whose line starts inside the edit: null.
  const same = Lines.update(before, `a: 1\nbX: 2\n${text.slice(11)}`, { prefix: 6, suffix: text.length - 7 });
  assert.equal(same.moved(before.serial, 8, 9, 1, 3), null);
  // An unknown version: null, so the caller searches.
  assert.equal(next.moved(-1, 0, 1, 0, 0), null);
  // Texts with CR remember no edits.
  const cr = new Lines('a\r\nb\r\n');
  assert.equal(Lines.update(cr, 'a\r\nbb\r\n', { prefix: 4, suffix: 2 }).moved(cr.serial, 0, 1, 0, 0), null);
});
