// Code actions as data: quick fixes and "disable for this line" at a cursor, fix-all as text-before -> text-after,
// its idempotence, byte-preservation outside its targets, and that its output still parses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { analyzeText, applyEdits, markers, settingsWith, yaml } from '../helpers';
import { FIX_ALL_KIND, fixAllAsEdits, fixAllEdits, fixAllText, quickFixes } from '../../server/src/service/codeActions';

const pod = (...lines: string[]) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', ...lines);
const crlf = (s: string) => s.replace(/\n/g, '\r\n');
const S = settingsWith();

/** Actions at the `|` cursor of `src`. */
function actionsAt(src: string, raw: Record<string, unknown> = {}) {
  const { text, cursors } = markers(src);
  const at = cursors[0];
  return { text, actions: quickFixes(analyzeText(text, raw), { start: at, end: at }) };
}

function yamlErrorCount(text: string): number {
  return parseAllDocuments(text).reduce((n, d) => n + ('errors' in d ? d.errors.length : 0), 0);
}

/** A realistic file: two documents, comments, odd spacing, trailing whitespace, quoting and non-ASCII. */
const BIG_BEFORE = [
  '# top comment — ünïcödé',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web   ',
  '  labels: {app: "web"}',
  'spec:',
  '  imagePullPolicy: Always   # wrong level',
  '  template:',
  '    metadata:',
  "      labels: {app: 'web'}",
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: "nginx:1.27"   ',
  '          imagePullSecrets:',
  '            - regcred',
  '        - name: side',
  '          image: redis:7 # 🚀',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: p}',
  'spec:',
  '  imagePullSecrets: {name: regcred}',
  '  containers: [{name: a, image: "app:1", imagePullSecrets: [other]}]',
];
const BIG_AFTER = [
  '# top comment — ünïcödé',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web   ',
  '  labels: {app: "web"}',
  'spec:',
  '  template:',
  '    metadata:',
  "      labels: {app: 'web'}",
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: "nginx:1.27"   ',
  '          imagePullPolicy: Always   # wrong level',
  '        - name: side',
  '          image: redis:7 # 🚀',
  '          imagePullPolicy: Always   # wrong level',
  '      imagePullSecrets:',
  '        - name: regcred',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: p}',
  'spec:',
  '  imagePullSecrets: [{name: regcred}, {name: other}]',
  '  containers: [{name: a, image: "app:1"}]',
];

/** Inputs for the properties every fix-all run must have. */
const CORPUS: Record<string, string> = {
  big: yaml(...BIG_BEFORE),
  bigCrlf: crlf(yaml(...BIG_BEFORE)),
  bigNoFinalBreak: yaml(...BIG_BEFORE).trimEnd(),
  clean: pod('  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: IfNotPresent'),
  twoContainerSecrets: pod('  containers:', '  - name: a', '    image: a:1', '    imagePullSecrets: [{name: x}]', '  - name: b', '    image: b:1', '    imagePullSecrets:', '    - z', '    - name: x'),
  mixedRules: pod('  imagePullPolicy: always', '  imagePullSecrets: [regcred, regcred]', '  containers:', '  - name: a', '    image: NGINX:1.27', '    imagePullPolicy: always'),
  notKubernetes: yaml('on: push', 'jobs:', '  build:', '    imagePullPolicy: Always'),
  helm: yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: {{ .Release.Name }}', 'spec:', '  imagePullPolicy: {{ .Values.policy }}', '  containers:', '  - name: a', '    image: "{{ .Values.image }}"'),
  broken: pod('  imagePullPolicy: Always', '  containers:', '  - name: a', '    image: "nginx:1.27'),
};

describe('quickFixes', () => {
  it('returns the fixes of the finding under the cursor, then a disable action', () => {
    const { actions } = actionsAt(pod('  imageP|ullPolicy: Always', '  containers: [{name: a, image: "app:1"}]'));
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred, a.finding?.ruleId]), [
      ['Move imagePullPolicy: Always into each container that has none', 'quickfix', true, 'misplaced-image-pull-policy'],
      ['Disable misplaced-image-pull-policy for this line', 'quickfix', undefined, 'misplaced-image-pull-policy'],
    ]);
  });
  it('counts a cursor touching either end of a finding, and nothing elsewhere', () => {
    assert.equal(actionsAt(pod('  imagePullPolicy|: Always', '  containers: [{name: a, image: "app:1"}]')).actions.length, 2);
    assert.equal(actionsAt(pod('  |imagePullPolicy: Always', '  containers: [{name: a, image: "app:1"}]')).actions.length, 2);
    assert.deepEqual(actionsAt(pod('  imagePullPolicy: Always', '  containers: [{na|me: a, image: "app:1", imagePullPolicy: Never}]')).actions, []);
  });
  it('offers one disable action per rule and line', () => {
    const all = quickFixes(analyzeText(pod('  imagePullSecrets: [regcred, other]', '  containers: [{name: a, image: "app:1"}]')), { start: 0, end: 1e9 });
    assert.equal(all.filter((a) => a.finding?.ruleId === 'malformed-image-pull-secrets' && !a.title.startsWith('Disable')).length, 2);
    assert.deepEqual(all.filter((a) => a.title.startsWith('Disable malformed')).map((a) => a.title), ['Disable malformed-image-pull-secrets for this line']);
  });
  it('offers a change once when two findings propose the same edits', () => {
    const { text, actions } = actionsAt(pod('  containers:', '  - name: a', '    image: ngi|nx'));
    const policyFixes = actions.filter((a) => a.edits.some((e) => e.newText.includes('imagePullPolicy: Always')));
    assert.equal(policyFixes.length, 1);
    assert.equal(applyEdits(text, policyFixes[0].edits), pod('  containers:', '  - name: a', '    image: nginx', '    imagePullPolicy: Always'));
  });

  it('offers quick fixes whatever the severity, fix-all only for errors and warnings', () => {
    const src = pod('  imageP|ullPolicy: Always', '  containers: [{name: a, image: "app:1"}]');
    const { text, actions } = actionsAt(src, { rules: { 'misplaced-image-pull-policy': 'info' } });
    assert.equal(actions.length, 2);
    assert.deepEqual(fixAllEdits(analyzeText(text, { rules: { 'misplaced-image-pull-policy': 'info' } })), []);
    assert.notDeepEqual(fixAllEdits(analyzeText(text)), []);
  });
});

describe('disable for this line', () => {
  const cases: { name: string; before: string; after: string; rule: string }[] = [
    {
      name: 'a new directive above, at the line’s indentation',
      rule: 'misplaced-image-pull-policy',
      before: pod('  imageP|ullPolicy: Always', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  # k8s-image-lint-disable-next-line misplaced-image-pull-policy', '  imagePullPolicy: Always', '  containers: [{name: a, image: "app:1"}]'),
    },
    {
      name: 'above a sequence dash, at the dash',
      rule: 'misplaced-image-pull-secrets',
      before: pod('  containers:', '    - imageP|ullSecrets: [{name: x}]', '      name: a', '      image: app:1'),
      after: pod('  containers:', '    # k8s-image-lint-disable-next-line misplaced-image-pull-secrets', '    - imagePullSecrets: [{name: x}]', '      name: a', '      image: app:1'),
    },
    {
      name: 'appended to the directive already above, before its reason',
      rule: 'misplaced-image-pull-policy',
      before: pod('  # k8s-image-lint-disable-next-line latest-tag  -- legacy', '  imageP|ullPolicy: Always', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  # k8s-image-lint-disable-next-line latest-tag,misplaced-image-pull-policy  -- legacy', '  imagePullPolicy: Always', '  containers: [{name: a, image: "app:1"}]'),
    },
    {
      name: 'CRLF',
      rule: 'misplaced-image-pull-policy',
      before: crlf(pod('  imageP|ullPolicy: Always', '  containers: [{name: a, image: "app:1"}]')),
      after: crlf(pod('  # k8s-image-lint-disable-next-line misplaced-image-pull-policy', '  imagePullPolicy: Always', '  containers: [{name: a, image: "app:1"}]')),
    },
    {
      name: 'last line of a file without a final line break',
      rule: 'misplaced-image-pull-policy',
      before: yaml('apiVersion: v1', 'kind: Pod', 'spec: {containers: [{name: a, image: "app:1"}], imageP|ullPolicy: Always}').trimEnd(),
      after: yaml('apiVersion: v1', 'kind: Pod', '# k8s-image-lint-disable-next-line misplaced-image-pull-policy', 'spec: {containers: [{name: a, image: "app:1"}], imagePullPolicy: Always}').trimEnd(),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { text, actions } = actionsAt(c.before);
      const disable = actions.find((a) => a.title === `Disable ${c.rule} for this line`);
      assert.ok(disable, actions.map((a) => a.title).join(' | '));
      const out = applyEdits(text, disable.edits);
      assert.equal(out, c.after);
      assert.deepEqual(analyzeText(out).findings.filter((f) => f.ruleId === c.rule), [], 'the finding is suppressed');
    });
  }
  it('suppresses every finding of a file, one at a time, and nothing else', () => {
    for (const text of [CORPUS.big, CORPUS.bigCrlf, CORPUS.mixedRules]) {
      const analysis = analyzeText(text);
      for (const f of analysis.findings) {
        const action = quickFixes(analysis, f.range).find((a) => a.title === `Disable ${f.ruleId} for this line` && a.finding === f);
        if (!action) continue; // a second finding of the same rule on the same line shares the first one's action
        const out = applyEdits(text, action.edits);
        const line = analysis.lines.lineOf(f.range.start);
        const sameRule = analysis.findings.filter((g) => g.ruleId === f.ruleId);
        const onLine = sameRule.filter((g) => analysis.lines.lineOf(g.range.start) === line).length;
        const after = analyzeText(out).findings;
        assert.equal(after.filter((g) => g.ruleId === f.ruleId).length, sameRule.length - onLine, `${f.ruleId} at line ${line} suppressed`);
        assert.equal(after.filter((g) => g.ruleId !== f.ruleId).length, analysis.findings.length - sameRule.length, 'other findings stay');
      }
    }
  });
});

describe('fix-all', () => {
  it('fixes a realistic file and leaves every other byte alone', () => {
    assert.equal(fixAllText(yaml(...BIG_BEFORE), S), yaml(...BIG_AFTER));
    assert.equal(fixAllText(crlf(yaml(...BIG_BEFORE)), S), crlf(yaml(...BIG_AFTER)));
    assert.equal(fixAllText(yaml(...BIG_BEFORE).trimEnd(), S), yaml(...BIG_AFTER).trimEnd());
  });
  it('one pass skips fixes that overlap an earlier one; the next pass gets them', () => {
    const text = CORPUS.twoContainerSecrets;
    const analysis = analyzeText(text);
    const movable = analysis.findings.filter((f) => f.ruleId === 'misplaced-image-pull-secrets');
    assert.equal(movable.length, 2);
    assert.deepEqual(fixAllEdits(analysis), movable[0].fixes[0].edits, 'both insert at the end of the pod spec');
    assert.equal(fixAllText(text, S), pod('  containers:', '  - name: a', '    image: a:1', '  - name: b', '    image: b:1', '  imagePullSecrets: [{name: x}, {name: z}]'));
  });
  it('applies only fix-all fixes of errors and warnings, across rules', () => {
    // `always` → `Always` twice (invalid-pull-policy), the pod-level one moved (the container has one), the bare
    // name rewritten and its duplicate left for the user (a quick fix only); NGINX fixed by its own rule.
    assert.equal(fixAllText(CORPUS.mixedRules, S), pod('  imagePullSecrets: [{name: regcred}, {name: regcred}]', '  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: Always'));
  });
  for (const [name, text] of Object.entries(CORPUS)) {
    it(`is idempotent and keeps the YAML parseable: ${name}`, () => {
      const once = fixAllText(text, S);
      assert.equal(fixAllText(once, S), once);
      assert.ok(yamlErrorCount(once) <= yamlErrorCount(text), 'no new YAML errors');
      const edits = fixAllAsEdits(text, S);
      assert.equal(applyEdits(text, edits), once);
      assert.ok(edits.length <= 1);
      assert.deepEqual(fixAllAsEdits(once, S), []);
    });
  }
  it('leaves files without Kubernetes objects, Helm templates and clean files unchanged', () => {
    for (const name of ['notKubernetes', 'clean', 'helm'] as const) {
      assert.equal(fixAllText(CORPUS[name], S), CORPUS[name], name);
    }
  });
  it('as one edit: the changed span only, never splitting a CRLF or a surrogate pair', () => {
    const text = crlf(pod('  imagePullPolicy: Always', '  containers:', '  - name: 🚀', '    image: app:1'));
    const [edit] = fixAllAsEdits(text, S);
    assert.ok(edit.start > 0 && edit.end < text.length, 'a minimal span');
    for (const at of [edit.start, edit.end]) {
      assert.ok(!(text[at - 1] === '\r' && text[at] === '\n'), 'not inside CRLF');
      assert.ok(!/[\ud800-\udbff]/.test(text[at - 1] ?? ''), 'not inside a surrogate pair');
    }
    assert.equal(applyEdits(text, [edit]), crlf(pod('  containers:', '  - name: 🚀', '    image: app:1', '    imagePullPolicy: Always')));
  });
  it('uses the fixed code action kind', () => {
    assert.equal(FIX_ALL_KIND, 'source.fixAll.k8sImageLint');
  });
  it('does nothing when the linter is disabled', () => {
    assert.equal(fixAllText(CORPUS.big, settingsWith({ enable: false })), CORPUS.big);
  });
});
