// The server's document (lsp/textDocument.ts) against vscode-languageserver-textdocument, whose conversions it
// must reproduce exactly: after random incremental and full changes over texts with LF, CRLF and lone CR breaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LinesDocument } from '../../server/src/lsp/textDocument';
import { params } from '../fuzz/config';

const piece = fc.constantFrom('a', 'image: x', '\n', '\r\n', '\r', ' ', '---\n', 'é', '😀');
const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
const position = fc.record({ line: fc.integer({ min: -1, max: 12 }), character: fc.integer({ min: -1, max: 14 }) });
const change = fc.oneof(
  { arbitrary: fc.record({ range: fc.record({ start: position, end: position }), text }), weight: 5 },
  { arbitrary: fc.record({ text }), weight: 1 },
);

test('converts positions and applies changes exactly as vscode-languageserver-textdocument', () => {
  fc.assert(fc.property(text, fc.array(change, { minLength: 1, maxLength: 4 }), fc.array(position, { maxLength: 6 }), (start, changes, probes) => {
    const ours = LinesDocument.create('file:///a.yaml', 'yaml', 1, start);
    LinesDocument.update(ours, changes, 2);
    // Each change applied by the library to a fresh document of the text so far: its own incremental line table
    // goes wrong after a change at a line past the end, which a client never sends.
    let expected = start;
    for (const c of changes) expected = TextDocument.update(TextDocument.create('file:///a.yaml', 'yaml', 1, expected), [c], 2).getText();
    const updated = TextDocument.create('file:///a.yaml', 'yaml', 1, expected);
    assert.equal(ours.getText(), updated.getText());
    // Positions as the library computes them for this text (a fresh document: no state of its own update).
    const fresh = TextDocument.create('file:///a.yaml', 'yaml', 2, updated.getText());
    assert.equal(ours.lineCount, fresh.lineCount);
    assert.equal(ours.version, 2);
    for (let o = -1; o <= fresh.getText().length + 1; o++) assert.deepEqual(ours.positionAt(o), fresh.positionAt(o), `positionAt(${o})`);
    for (let l = -1; l <= fresh.lineCount; l++) {
      assert.deepEqual(ours.getLineRange(l), fresh.getLineRange(l), `getLineRange(${l})`);
      assert.equal(ours.getEOLCharacters(l), fresh.getEOLCharacters(l), `getEOLCharacters(${l})`);
    }
    for (const p of probes) {
      assert.equal(ours.offsetAt(p), fresh.offsetAt(p), `offsetAt(${JSON.stringify(p)})`);
      assert.equal(ours.getText({ start: p, end: probes[0] }), fresh.getText({ start: p, end: probes[0] }));
    }
  }), params(3000));
});
