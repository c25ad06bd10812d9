/**
 * The incremental split (`splitEdited`) against the whole-text split it stands for, on texts made of the pieces
 * that decide where a text is cut: markers (real and not), empty documents, comments, directives, JSON objects,
 * CR and CRLF breaks, and edits that write or break any of them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitDocuments, splitEdited } from '../../server/src/service/parse/split';
import { commonAffixes } from '../../server/src/service/text/affixes';
import { params, seedNote } from './config';

const PIECES = ['---\n', '--- \n', '---', '----\n', ' ---\n', '---x\n', '...\n', '\n', '\r\n', '\r', '# c\n', 'a: 1\n', 'b:\n  - x\n', '%YAML 1.1\n',
  '{"a": 1}\n', '{', '}', '"', '-', '%', 'k: |\n  ---\n', '--- # c\n', 'x'];
/** Mostly the few pieces whose combinations are the hard cases (empty documents beside edited ones, a `%` at a new line start). */
const piece = fc.oneof({ arbitrary: fc.constantFrom('---\n', '\n', 'x', '%', 'a: 1\n'), weight: 3 }, { arbitrary: fc.constantFrom(...PIECES), weight: 2 });
const text = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));
const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 6 }), fc.array(piece, { maxLength: 3 }).map((p) => p.join('')));

test('splitting after an edit gives the whole-text split, whatever the edit', (t) => {
  t.diagnostic(seedNote());
  fc.assert(fc.property(text, fc.array(edit, { minLength: 1, maxLength: 5 }), (start, edits) => {
    let oldText = start;
    let bounds = splitDocuments(oldText);
    for (const [at, removed, inserted] of edits) {
      const pos = Math.floor(at * oldText.length);
      const next = oldText.slice(0, pos) + inserted + oldText.slice(Math.min(oldText.length, pos + removed));
      const got = splitEdited(next, oldText, bounds, commonAffixes(oldText, next));
      assert.deepEqual(got, splitDocuments(next), `${JSON.stringify(oldText)} → ${JSON.stringify(next)}`);
      oldText = next;
      bounds = got;
    }
  }), params(20000, 1));
});
