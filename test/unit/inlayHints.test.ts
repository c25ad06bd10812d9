import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inlayHints } from '../../server/src/service/inlayHints';
import { analyzeText, markers, settingsWith, yaml } from '../helpers';

/** Hints over the whole text; `|` in the fixture marks where each hint is expected. */
function hintsOf(src: string, raw: Record<string, unknown> = {}) {
  const { text, cursors } = markers(src);
  const hints = inlayHints(analyzeText(text, raw), { start: 0, end: text.length }, settingsWith(raw));
  return { text, cursors, hints };
}

const FIXTURE = yaml(
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:',
  '      initContainers:', '      - name: migrate', '        image: migrate:2.1|  # pinned',
  '      containers:',
  '      - name: app', '        image: "nginx"|',
  '      - name: side', '        image: envoy:latest', '        imagePullPolicy: IfNotPresent',
  '      - name: tpl', '        image: "{{ .Values.image }}"',
  '      - name: bad', '        image: NGINX|',
  '      volumes:', '      - name: models', '        image:', '          reference: repo/models|',
);

describe('inlayHints', () => {
  it('one hint after each image without an explicit policy, with the defaulted value', () => {
    const { cursors, hints } = hintsOf(FIXTURE);
    assert.deepEqual(hints.map((h) => h.offset), cursors);
    assert.deepEqual(hints.map((h) => h.label), [
      'imagePullPolicy: IfNotPresent', 'imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent', 'pullPolicy: Always',
    ]);
  });

  it('tooltips say why and that defaulting happens once', () => {
    const { hints } = hintsOf(FIXTURE);
    assert.match(hints[1].tooltip, /no tag and no digest, so Kubernetes assumes `:latest`/);
    assert.match(hints[1].tooltip, /Defaulting happens once/);
    assert.match(hints[2].tooltip, /cannot parse the image, and an unparsable image defaults to `IfNotPresent`/);
  });

  it('only images in the requested range', () => {
    const { text } = markers(FIXTURE);
    const start = text.indexOf('- name: app');
    const end = text.indexOf('- name: side');
    const hints = inlayHints(analyzeText(text), { start, end }, settingsWith());
    assert.deepEqual(hints.map((h) => h.label), ['imagePullPolicy: Always']);
  });

  it('none when disabled by the setting', () => {
    assert.deepEqual(hintsOf(FIXTURE, { inlayHints: { enabled: false } }).hints, []);
  });

  it('an empty policy is defaulted like an absent one; an invalid one gets no hint', () => {
    const src = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:',
      '  - name: a', '    image: nginx:1.27|', '    imagePullPolicy: ""',
      '  - name: b', '    image: nginx', '    imagePullPolicy: always');
    const { cursors, hints } = hintsOf(src);
    assert.deepEqual(hints.map((h) => [h.offset, h.label]), [[cursors[0], 'imagePullPolicy: IfNotPresent']]);
  });

  it('CRLF text: offsets still right after the value', () => {
    const src = FIXTURE.replace(/\n/g, '\r\n');
    const { cursors, hints } = hintsOf(src);
    assert.deepEqual(hints.map((h) => h.offset), cursors);
  });
});
