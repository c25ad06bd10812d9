import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WORKFLOW, cli, deployment, tree } from './harness';

const WEB = deployment('nginx');
const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

test('json: the SPEC shape, exactly, for a Deployment with image: nginx', () => {
  const root = tree({ 'deploy/web.yaml': WEB, 'deploy/.github/ci.yml': WORKFLOW });
  const r = cli(['--format', 'json', 'deploy'], root);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'json mode writes nothing to stderr when all is well');
  const report = JSON.parse(r.stdout);
  for (const f of report.files) for (const finding of f.findings) {
    assert.equal(typeof finding.message, 'string');
    assert.ok(finding.message.length > 10, finding.message);
    finding.message = '…';
  }
  const imageRange = range(9, 15, 20);
  assert.deepEqual(report, {
    version: 1,
    files: [
      { path: 'deploy/.github/ci.yml', images: [], findings: [] },
      {
        path: 'deploy/web.yaml',
        images: [{
          image: 'nginx', document: 0, kind: 'Deployment', name: 'web', container: 'nginx', field: 'containers',
          range: imageRange,
          reference: { valid: true, error: null, name: 'docker.io/library/nginx', domain: 'docker.io', path: 'library/nginx', tag: null, digest: null },
          pullPolicy: { effective: 'Always', explicit: null, source: 'default' },
        }],
        findings: [
          { ruleId: 'missing-tag', severity: 'warning', message: '…', range: imageRange },
          { ruleId: 'implicit-pull-policy', severity: 'hint', message: '…', range: imageRange },
        ],
      },
    ],
    summary: { files: 2, images: 1, errors: 0, warnings: 1, infos: 0, hints: 1 },
  });
});

test('json: invalid references, explicit policies, several documents and fields', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  initContainers:',
    '  - name: init',
    '    image: NGINX',
    '    imagePullPolicy: Never',
    '  containers:',
    '  - name: app',
    '    image: ghcr.io/acme/app:1.2@sha256:' + 'a'.repeat(64),
    '  volumes:',
    '  - name: data',
    '    image: {reference: "quay.io/x/data:v1", pullPolicy: IfNotPresent}',
    '---',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata: {name: j}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: noimage',
    '',
  ].join('\n');
  const r = cli(['--format=json', 'pod.yaml'], tree({ 'pod.yaml': text }));
  assert.equal(r.code, 1, 'NGINX and the missing image are errors');
  const [file] = JSON.parse(r.stdout).files;
  const brief = file.images.map((i: any) => [i.document, i.kind, i.name, i.container, i.field, i.image, i.reference?.valid ?? null, i.pullPolicy.effective, i.pullPolicy.source]);
  assert.deepEqual(brief, [
    [0, 'Pod', 'p', 'init', 'initContainers', 'NGINX', false, 'Never', 'explicit'],
    [0, 'Pod', 'p', 'app', 'containers', 'ghcr.io/acme/app:1.2@sha256:' + 'a'.repeat(64), true, 'IfNotPresent', 'default'],
    [0, 'Pod', 'p', 'data', 'volumes', 'quay.io/x/data:v1', true, 'IfNotPresent', 'explicit'],
    [1, 'Job', 'j', 'noimage', 'containers', null, null, 'IfNotPresent', 'default'],
  ]);
  const invalid = file.images[0].reference;
  assert.match(invalid.error, /lowercase/);
  assert.deepEqual({ ...invalid, error: null }, { valid: false, error: null, name: null, domain: null, path: null, tag: null, digest: null });
  assert.deepEqual(file.images[1].reference, {
    valid: true, error: null, name: 'ghcr.io/acme/app', domain: 'ghcr.io', path: 'acme/app', tag: '1.2', digest: 'sha256:' + 'a'.repeat(64),
  });
  assert.deepEqual(file.images[0].pullPolicy, { effective: 'Never', explicit: 'Never', source: 'explicit' });
  const ruleIds = file.findings.map((f: any) => f.ruleId);
  assert.ok(ruleIds.includes('invalid-image-reference'), ruleIds.join());
  assert.ok(ruleIds.includes('missing-image'), ruleIds.join());
});

test('text: compiler-style lines on stdout with 1-based positions, summary on stderr', () => {
  const root = tree({ 'deploy/web.yaml': WEB });
  // Hints are opt-in for text (and github, sarif): --severity hint shows them.
  const r = cli(['deploy/web.yaml'], root);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^deploy\/web\.yaml:10:16 warning missing-tag \S.*\n$/);
  assert.equal(r.stderr, '1 problem (0 errors, 1 warning, 0 infos, 0 hints) in 1 file, 1 image.\n');
  const all = cli(['--severity', 'hint', 'deploy/web.yaml'], root);
  const lines = all.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, all.stdout);
  assert.match(lines[0], /^deploy\/web\.yaml:10:16 warning missing-tag \S.*$/);
  assert.match(lines[1], /^deploy\/web\.yaml:10:16 hint implicit-pull-policy \S.*$/);
  assert.equal(all.stderr, '2 problems (0 errors, 1 warning, 0 infos, 1 hint) in 1 file, 1 image.\n');
});

test('text: a clean file prints nothing on stdout', () => {
  const root = tree({ 'ok.yaml': deployment('nginx:1.27.2', 'imagePullPolicy: IfNotPresent') });
  const r = cli(['ok.yaml'], root);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'No problems found (1 file, 1 image).\n');
});

test('sarif: 2.1.0 with rule descriptors, levels and exact 1-based UTF-16 regions', () => {
  // The emoji is two UTF-16 code units: the image starts at JS index 29 of its line, so column 30.
  const text = deployment('nginx').replace('      - name: nginx\n        image: nginx\n', '      - {name: "\u{1F600}x", image: "nginx:latest"}\n');
  const root = tree({ 'a dir/pod.yaml': text });
  const sarifRun = cli(['--format', 'sarif', '--severity', 'hint', 'a dir'], root);
  const jsonRun = cli(['--format', 'json', 'a dir'], root);
  assert.equal(sarifRun.code, 0, sarifRun.stderr);
  const sarif = JSON.parse(sarifRun.stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  assert.equal(sarif.runs.length, 1);
  const run = sarif.runs[0];
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.equal(run.tool.driver.name, 'k8s-image-lint');
  assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
  assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
  const rules = run.tool.driver.rules;
  const ids = rules.map((r: any) => r.id);
  for (const id of ['invalid-image-reference', 'latest-tag', 'missing-tag', 'implicit-pull-policy']) assert.ok(ids.includes(id), id);
  for (const rule of rules) {
    assert.ok(rule.shortDescription.text.length > 0, rule.id);
    assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level), rule.id);
  }
  assert.equal(rules[ids.indexOf('invalid-image-reference')].defaultConfiguration.level, 'error');
  assert.equal(rules[ids.indexOf('implicit-pull-policy')].defaultConfiguration.level, 'note');

  const findings = JSON.parse(jsonRun.stdout).files[0].findings;
  assert.equal(run.results.length, findings.length);
  const line = text.split('\n')[8];
  const start = line.indexOf('"nginx:latest"');
  assert.equal(start, 29);
  run.results.forEach((result: any, i: number) => {
    const f = findings[i];
    assert.equal(result.ruleId, f.ruleId);
    assert.equal(ids[result.ruleIndex], f.ruleId);
    assert.equal(result.level, { error: 'error', warning: 'warning', info: 'note', hint: 'note' }[f.severity as string]);
    assert.equal(result.message.text, f.message);
    const loc = result.locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: 'a%20dir/pod.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(loc.region, {
      startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1,
      endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
    });
  });
  const latest = run.results.find((r: any) => r.ruleId === 'latest-tag');
  assert.ok(latest, 'latest-tag is reported');
  assert.deepEqual(latest.locations[0].physicalLocation.region, { startLine: 9, startColumn: 30, endLine: 9, endColumn: 30 + '"nginx:latest"'.length });
  assert.ok(run.results.some((r: any) => r.level === 'note'), 'the hint becomes a note');
});

test('text output cannot be forged: control characters in file names and images are escaped', async () => {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = tree({});
  const name = 'x\nevil.yaml:1:1 error fake-rule \u001b[2Jgone\u202e.yaml';
  writeFileSync(join(root, name), deployment('"nginx\\u001b[31m:latest"'));
  const r = cli(['--format', 'text', name], root);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.length >= 1 && r.stdout.includes('invalid-image-reference'), r.stdout);
  for (const line of lines) assert.match(line, /^x\\nevil\.yaml:1:1 error fake-rule \\u\{001B\}\[2Jgone\\u\{202E\}\.yaml:\d+:\d+ /, line);
  assert.ok(!/[\u001b\u202e]/.test(r.stdout + r.stderr), 'no raw ESC or bidi override');
});

test('sarif: rule metadata for code scanning, and paths relative to the repository root, never ../', async () => {
  const { mkdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = tree({ 'repo/deploy/web.yaml': deployment('nginx:latest'), 'outside/x.yaml': deployment('nginx:latest') });
  mkdirSync(join(root, 'repo/.git'));
  const r = cli(['--format', 'sarif', 'web.yaml', '../../outside/x.yaml'], join(root, 'repo/deploy'));
  const run = JSON.parse(r.stdout).runs[0];
  assert.equal(run.tool.driver.informationUri, 'https://github.com/k8s-image-lint/k8s-image-lint');
  assert.match(run.tool.driver.semanticVersion, /^\d+\.\d+\.\d+/);
  const latest = run.tool.driver.rules.find((x: any) => x.id === 'latest-tag');
  assert.equal(latest.name, 'LatestTag');
  assert.ok(latest.fullDescription.text.length > 0 && latest.help.text.length > 0);
  assert.match(latest.help.markdown, /^# latest-tag/);
  assert.deepEqual(latest.properties, { tags: ['kubernetes', 'container-image', 'image'], precision: 'very-high' });
  assert.ok(run.originalUriBaseIds['%SRCROOT%'].uri.endsWith('/repo/'));
  const uris = run.results.map((x: any) => x.locations[0].physicalLocation.artifactLocation);
  assert.deepEqual(uris[0], { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
  assert.match(uris[uris.length - 1].uri, /^file:\/\/.*\/outside\/x\.yaml$/);
  assert.ok(uris.every((u: any) => !u.uri.startsWith('..')));
  const rooted = JSON.parse(cli(['--format', 'sarif', '--sarif-root', '../..', 'web.yaml'], join(root, 'repo/deploy')).stdout).runs[0];
  assert.deepEqual(rooted.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'repo/deploy/web.yaml', uriBaseId: '%SRCROOT%' });
});
