// The source-text edit helpers under service/edit: every case is text-before -> edit -> text-after, so the
// bytes around the target (comments, quoting, CRLF, missing final line break) are checked exactly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isSeq, parseDocument, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { applyEdits, yaml } from '../helpers';
import { Lines } from '../../server/src/service/text/lines';
import { appendPair, insertPairAfter, keyIndent, removePair } from '../../server/src/service/edit/pairEdits';
import { attachedCommentsStart, blockSource, contentEnd, flowSource } from '../../server/src/service/edit/nodeText';
import { insertPairLines, pairSource, removePairWithComments, withRemoval } from '../../server/src/service/edit/movePair';
import { appendSeqItems, itemSource, removeSeqItem, wrapMapInList } from '../../server/src/service/edit/seqEdits';
import type { TextEdit } from '../../server/src/service/types';

const crlf = (s: string) => s.replace(/\n/g, '\r\n');

/** Parses `text` and returns the node at a path of map keys / sequence indexes, with the text's lines. */
function nodeAt(text: string, path: (string | number)[]): { lines: Lines; node: unknown; parent: unknown; pair?: Pair } {
  const doc = parseDocument(text);
  let node: unknown = doc.contents;
  let parent: unknown = null;
  let pair: Pair | undefined;
  for (const step of path) {
    parent = node;
    if (typeof step === 'number') node = (node as YAMLSeq).items[step];
    else {
      pair = (node as YAMLMap).items.find((p) => (p.key as { value?: unknown }).value === step) as Pair;
      node = pair.value;
    }
  }
  return { lines: new Lines(text), node, parent, pair };
}

/** The pair at `path` (its last step is the key) and its map. */
function pairAt(text: string, path: (string | number)[]) {
  const { lines, parent, pair } = nodeAt(text, path);
  assert.ok(isMap(parent) && pair);
  return { lines, map: parent as YAMLMap, pair: pair! };
}

function check(before: string, edits: TextEdit | TextEdit[] | null, after: string): void {
  assert.ok(edits, 'an edit');
  assert.equal(applyEdits(before, Array.isArray(edits) ? edits : [edits]), after);
}

describe('pairEdits (existing behaviour kept)', () => {
  it('insertPairAfter: block, after a dash, multi-line text, flow, CRLF', () => {
    const t = yaml('c:', '- name: a', '  image: x # c', '- image: y');
    let p = pairAt(t, ['c', 0, 'image']);
    check(t, insertPairAfter(p.lines, p.map, p.pair, 'imagePullPolicy: Always'), yaml('c:', '- name: a', '  image: x # c', '  imagePullPolicy: Always', '- image: y'));
    p = pairAt(t, ['c', 1, 'image']);
    check(t, insertPairAfter(p.lines, p.map, p.pair, 'k:\n- v'), yaml('c:', '- name: a', '  image: x # c', '- image: y', '  k:', '  - v'));
    const f = yaml('c: [{name: a, image: x}]');
    p = pairAt(f, ['c', 0, 'name']);
    check(f, insertPairAfter(p.lines, p.map, p.pair, 'k: v'), yaml('c: [{name: a, k: v, image: x}]'));
    const r = crlf(yaml('a:', '  b: 1', 'z: 2'));
    p = pairAt(r, ['a', 'b']);
    check(r, insertPairAfter(p.lines, p.map, p.pair, 'c: 3'), crlf(yaml('a:', '  b: 1', '  c: 3', 'z: 2')));
    assert.equal(keyIndent(p.lines, p.pair), '  ');
  });
  it('appendPair: after the last pair; null for an empty map', () => {
    const t = yaml('a:', '  b: 1', '  c: [x]');
    const { lines, node } = nodeAt(t, ['a']);
    check(t, appendPair(lines, node as YAMLMap, 'd: 4'), yaml('a:', '  b: 1', '  c: [x]', '  d: 4'));
    const e = yaml('a: {}');
    const empty = nodeAt(e, ['a']);
    assert.equal(appendPair(empty.lines, empty.node as YAMLMap, 'd: 4'), null);
  });
  it('removePair: whole lines, dash line, last pair of a dash line, flow, end of file', () => {
    const t = yaml('c:', '- k: 1', '  name: a', '- name: b', '  k: [1,', '    2]', 'z: 0');
    let p = pairAt(t, ['c', 0, 'k']);
    check(t, removePair(p.lines, p.map, p.pair), yaml('c:', '- name: a', '- name: b', '  k: [1,', '    2]', 'z: 0'));
    p = pairAt(t, ['c', 1, 'k']);
    check(t, removePair(p.lines, p.map, p.pair), yaml('c:', '- k: 1', '  name: a', '- name: b', 'z: 0'));
    const lone = yaml('c:', '- k: 1');
    p = pairAt(lone, ['c', 0, 'k']);
    check(lone, removePair(p.lines, p.map, p.pair), yaml('c:', '- {}'));
    const f = yaml('m: {a: 1, b: 2, c: 3}');
    p = pairAt(f, ['m', 'b']);
    check(f, removePair(p.lines, p.map, p.pair), yaml('m: {a: 1, c: 3}'));
    p = pairAt(f, ['m', 'c']);
    check(f, removePair(p.lines, p.map, p.pair), yaml('m: {a: 1, b: 2}'));
    const eof = 'a: 1\nb: 2';
    p = pairAt(eof, ['b']);
    check(eof, removePair(p.lines, p.map, p.pair), 'a: 1');
  });
});

describe('nodeText', () => {
  it('contentEnd stops before trailing comments and the final break of block collections and scalars', () => {
    const t = yaml('s:', '- name: a # c1', '', '- b # c2', 'x: |', '  hi', '', 'y: 1');
    const seq = nodeAt(t, ['s']);
    assert.equal(t.slice(0, contentEnd(t, seq.node)!), yaml('s:', '- name: a # c1', '', '- b').trimEnd());
    const lit = nodeAt(t, ['x']);
    assert.equal(t.slice(0, contentEnd(t, lit.node)!).endsWith('  hi'), true);
  });
  it('flowSource: scalars, flow collections, one-line block maps; null when it would need re-serializing', () => {
    const t = yaml('a: "q"', 'b: {x: 1}', 'c:', '  name: r', "  k: 'v'", 'd:', '  name: r # c', 'e: a,b', 'f:', '- name: x', '- y');
    assert.equal(flowSource(t, nodeAt(t, ['a']).node), '"q"');
    assert.equal(flowSource(t, nodeAt(t, ['b']).node), '{x: 1}');
    assert.equal(flowSource(t, nodeAt(t, ['c']).node), "{name: r, k: 'v'}");
    assert.equal(flowSource(t, nodeAt(t, ['d']).node), null);
    assert.equal(flowSource(t, nodeAt(t, ['e']).node), null);
    assert.equal(flowSource(t, nodeAt(t, ['f']).node), '[{name: x}, y]');
    const g = yaml('f:', '- name: x', '- y # c');
    assert.equal(flowSource(g, nodeAt(g, ['f']).node), null);
  });
  it('blockSource re-bases continuation lines; attachedCommentsStart finds the comments of a key', () => {
    const t = yaml('m:', '  # one', '  # two', '  k:', '    - a  # c', '    - b', '  # other');
    const { lines } = nodeAt(t, []);
    const start = t.indexOf('k:');
    assert.equal(blockSource(lines, start, t.indexOf('- b') + 3, 2), 'k:\n  - a  # c\n  - b');
    assert.equal(attachedCommentsStart(lines, 3, 2), 1);
    assert.equal(attachedCommentsStart(lines, 3, 4), 3, 'comments at another column belong elsewhere');
  });
});

describe('movePair', () => {
  it('pairSource: block form with comments above and after, flow form when possible', () => {
    const t = yaml('a:', '  x: 1', '', '  # about k', '  k: [1, 2] # tail', 'b:', '  # above', '  k:', '  - n: 1', '    m: 2');
    let p = pairAt(t, ['a', 'k']);
    assert.deepEqual(pairSource(p.lines, p.map, p.pair), { block: '# about k\nk: [1, 2] # tail', flow: 'k: [1, 2]' });
    p = pairAt(t, ['b', 'k']);
    assert.deepEqual(pairSource(p.lines, p.map, p.pair), { block: '# above\nk:\n- n: 1\n  m: 2', flow: 'k: [{n: 1, m: 2}]' });
  });
  it('insertPairLines: new lines at the start of the next line, or after a new break at the end of the file', () => {
    const t = yaml('a:', '  x: 1', 'b: 2');
    const p = pairAt(t, ['a', 'x']);
    const e = insertPairLines(p.lines, p.map, p.pair, { block: '# c\nk:\n- v', flow: null })!;
    assert.equal(e.start, t.indexOf('b: 2'), 'inserted at a line start');
    check(t, e, yaml('a:', '  x: 1', '  # c', '  k:', '  - v', 'b: 2'));
    const eof = 'a:\r\n  x: 1';
    const q = pairAt(eof, ['a', 'x']);
    check(eof, insertPairLines(q.lines, q.map, q.pair, { block: 'k: v', flow: 'k: v' }), 'a:\r\n  x: 1\r\n  k: v');
    const f = yaml('a: {x: 1}');
    const r = pairAt(f, ['a', 'x']);
    assert.equal(insertPairLines(r.lines, r.map, r.pair, { block: 'k:\n- v', flow: null }), null);
    check(f, insertPairLines(r.lines, r.map, r.pair, { block: 'k: [v]', flow: 'k: [v]' }), yaml('a: {x: 1, k: [v]}'));
  });
  it('removePairWithComments: takes the comment lines above; falls back to removePair after a dash', () => {
    const t = yaml('a:', '  x: 1', '  # about k', '  k:', '  - v # c', '  # stays', 'b: 2');
    let p = pairAt(t, ['a', 'k']);
    check(t, removePairWithComments(p.lines, p.map, p.pair), yaml('a:', '  x: 1', '  # stays', 'b: 2'));
    const d = yaml('- k: 1', '  n: 2');
    p = pairAt(d, [0, 'k']);
    check(d, removePairWithComments(p.lines, p.map, p.pair), yaml('- n: 2'));
  });
  it('withRemoval: an insertion where an end-of-file removal starts becomes one replacement', () => {
    const t = 'a:\n  x: 1\n  k: v';
    const p = pairAt(t, ['a', 'k']);
    const x = pairAt(t, ['a', 'x']);
    const ins = insertPairLines(x.lines, x.map, x.pair, { block: 'y: 2', flow: 'y: 2' })!;
    const edits = withRemoval(p.lines, [ins], removePairWithComments(p.lines, p.map, p.pair));
    assert.equal(edits.length, 1);
    check(t, edits, 'a:\n  x: 1\n  y: 2');
  });
});

describe('seqEdits', () => {
  it('appendSeqItems: block items copy the dash column and spacing; flow lists get `, item`', () => {
    const t = yaml('l:', '  -   a: 1', '      b: 2', 'z: 0');
    const { lines, node } = nodeAt(t, ['l']);
    check(t, appendSeqItems(lines, node as YAMLSeq, [{ block: 'name: x\ny: 1', flow: null }, { block: '"q"', flow: '"q"' }]),
      yaml('l:', '  -   a: 1', '      b: 2', '  -   name: x', '      y: 1', '  -   "q"', 'z: 0'));
    const f = yaml('l: [a]  # c');
    const fl = nodeAt(f, ['l']);
    check(f, appendSeqItems(fl.lines, fl.node as YAMLSeq, [{ block: 'b', flow: 'b' }]), yaml('l: [a, b]  # c'));
    assert.equal(appendSeqItems(fl.lines, fl.node as YAMLSeq, [{ block: 'k:\n- v', flow: null }]), null);
    const e = yaml('l: []');
    const el = nodeAt(e, ['l']);
    check(e, appendSeqItems(el.lines, el.node as YAMLSeq, [{ block: '{n: 1}', flow: '{n: 1}' }]), yaml('l: [{n: 1}]'));
  });
  it('itemSource: block items re-based with their trailing comment; flow items one-line', () => {
    const t = yaml('l:', '    - name: a  # c', '      x: 1', 'f: [{n: 1}, b]');
    const { lines, node } = nodeAt(t, ['l', 0]);
    assert.deepEqual(itemSource(lines, node, false), { block: 'name: a  # c\nx: 1', flow: null }, 'no flow form: it would drop the comment');
    const plain = nodeAt(t.replace('  # c', ''), ['l', 0]);
    assert.deepEqual(itemSource(plain.lines, plain.node, false), { block: 'name: a\nx: 1', flow: '{name: a, x: 1}' });
    const f = nodeAt(t, ['f', 0]);
    assert.deepEqual(itemSource(f.lines, f.node, true), { block: '{n: 1}', flow: '{n: 1}' });
  });
  it('removeSeqItem: whole lines in a block list, item and comma in a flow list', () => {
    const t = yaml('l:', '- a', '- name: b', '  x: 1', '- c');
    const { lines, node } = nodeAt(t, ['l']);
    const seq = node as YAMLSeq;
    check(t, removeSeqItem(lines, seq, seq.items[1]), yaml('l:', '- a', '- c'));
    check(t, removeSeqItem(lines, seq, seq.items[2]), yaml('l:', '- a', '- name: b', '  x: 1'));
    const f = yaml('l: [a, b, c]');
    const fl = nodeAt(f, ['l']);
    const fs = fl.node as YAMLSeq;
    check(f, removeSeqItem(fl.lines, fs, fs.items[0]), yaml('l: [b, c]'));
    check(f, removeSeqItem(fl.lines, fs, fs.items[2]), yaml('l: [a, b]'));
  });
  it('wrapMapInList: flow gets brackets, block gets a dash and two more spaces on later lines', () => {
    const f = yaml('s: {name: a} # c');
    const fl = nodeAt(f, ['s']);
    check(f, wrapMapInList(fl.lines, fl.node as YAMLMap), yaml('s: [{name: a}] # c'));
    const b = crlf(yaml('s:', '  name: a', '', '  x: |', '    hi', 'z: 1'));
    const bl = nodeAt(b, ['s']);
    assert.ok(isMap(bl.node) && !isSeq(bl.node));
    check(b, wrapMapInList(bl.lines, bl.node as YAMLMap), crlf(yaml('s:', '  - name: a', '', '    x: |', '      hi', 'z: 1')));
  });
});
