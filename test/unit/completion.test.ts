import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completions } from '../../server/src/service/completion';
import { analyzeText, markers, yaml } from '../helpers';

/** Completions at the cursor; `[[…]]` marks the range every item must replace. */
function complete(src: string) {
  const { text, cursors, ranges } = markers(src);
  assert.equal(cursors.length, 1, 'fixture needs exactly one cursor');
  const items = completions(analyzeText(text), cursors[0]);
  if (ranges.length) for (const item of items) assert.deepEqual(item.range, ranges[0], item.label);
  return items;
}

const pod = (...containerLines: string[]) =>
  yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '  - name: app', ...containerLines);

const labels = (items: { label: string }[]) => items.map((i) => i.label);
const preselected = (items: { label: string; preselect?: boolean }[]) => items.filter((i) => i.preselect).map((i) => i.label);

describe('completion of imagePullPolicy values', () => {
  it('nothing typed yet: the image default first and preselected, empty range at the cursor', () => {
    const items = complete(pod('    image: nginx:1.27', '    imagePullPolicy: [[|]]'));
    assert.deepEqual(labels(items), ['IfNotPresent', 'Always', 'Never']);
    assert.deepEqual(preselected(items), ['IfNotPresent']);
    assert.match(items[0].detail, /default for nginx:1\.27/);
    assert.match(items[0].documentation, /the tag `1\.27` is not `latest`/);
    assert.match(items[2].documentation, /ErrImageNeverPull/);
  });

  it('untagged image: Always first', () => {
    const items = complete(pod('    image: nginx', '    imagePullPolicy: [[|]]'));
    assert.deepEqual(labels(items), ['Always', 'IfNotPresent', 'Never']);
    assert.deepEqual(preselected(items), ['Always']);
  });

  it('partly typed value: the range covers what was typed', () => {
    const items = complete(pod('    image: nginx:latest', '    imagePullPolicy: [[If|]]'));
    assert.deepEqual(labels(items), ['Always', 'IfNotPresent', 'Never']);
  });

  it('cursor inside a value: the range covers the whole word, not the comment', () => {
    complete(pod('    image: nginx', '    imagePullPolicy: [[If|Not]]  # later'));
  });

  it('quoted value: the range stays inside the quotes', () => {
    complete(pod('    image: nginx', '    imagePullPolicy: "[[Ne|]]"'));
  });

  it('key before the image and as the first key of a list item', () => {
    const items = complete(yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:',
      '  - imagePullPolicy: [[|]]', '    image: nginx@sha256:' + 'b'.repeat(64)));
    assert.deepEqual(preselected(items), ['IfNotPresent']);
  });

  it('at the end of a file without a final line break, and with an unclosed quote', () => {
    const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n';
    assert.deepEqual(preselected(complete(head + '    imagePullPolicy: [[|]]')), ['Always']);
    assert.deepEqual(preselected(complete(head + '    imagePullPolicy: "[[If|]]')), ['Always']);
  });

  it('the default of its own container among several', () => {
    const items = complete(pod('    image: nginx', '  - name: b', '    image: nginx:1.27', '    imagePullPolicy: [[|]]',
      '  - name: c', '    image: redis'));
    assert.deepEqual(preselected(items), ['IfNotPresent']);
  });

  it('CRLF text', () => {
    const src = pod('    image: nginx', '    imagePullPolicy: [[Alw|]]', '    ports: []').replace(/\n/g, '\r\n');
    const items = complete(src);
    assert.deepEqual(preselected(items), ['Always']);
  });

  it('flow map', () => {
    const items = complete(yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:',
      '  containers: [{name: a, image: "nginx:1.27", imagePullPolicy: [[|]]}]'));
    assert.deepEqual(preselected(items), ['IfNotPresent']);
  });

  it('templated image: canonical order, nothing preselected', () => {
    const items = complete(pod('    image: "{{ .Values.image }}"', '    imagePullPolicy: [[|]]'));
    assert.deepEqual(labels(items), ['Always', 'IfNotPresent', 'Never']);
    assert.deepEqual(preselected(items), []);
  });

  it('outside a known pod spec: canonical order, nothing preselected', () => {
    const items = complete(yaml('containers:', '- name: a', '  image: nginx', '  imagePullPolicy: [[|]]', '  bad: [unclosed'));
    assert.deepEqual(labels(items), ['Always', 'IfNotPresent', 'Never']);
  });

  it('image volume pullPolicy', () => {
    const items = complete(yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  volumes:', '  - name: m',
      '    image:', '      reference: repo/models:v1', '      pullPolicy: [[|]]'));
    assert.deepEqual(preselected(items), ['IfNotPresent']);
  });

  for (const [name, src] of [
    ['on the key', pod('    image: nginx', '    imagePull|Policy: ')],
    ['right after the colon, no space', pod('    image: nginx', '    imagePullPolicy:|')],
    ['in a comment', pod('    image: nginx', '    # imagePullPolicy: |')],
    ['after a non-word value', pod('    image: nginx', '    imagePullPolicy: If-|')],
    ['on an image value', pod('    image: ng|inx')],
    ['pullPolicy outside an image volume (Helm values)', yaml('image:', '  repository: nginx', '  pullPolicy: |')],
  ] as const) {
    it(`nothing ${name}`, () => assert.deepEqual(complete(src), []));
  }
});
