// The CLI in pipelines: standard input ("-", named by --stdin-filename), "# Source:" attribution of rendered
// streams, --severity, --fail-on, --rule, --disable, and --format github's workflow commands.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tree } from './harness';
import { yaml } from '../helpers';
import { formatText, useColour } from '../../server/src/cli/formatText';

const CLI = join(__dirname, '..', '..', '..', 'server', 'out', 'cli.js');
const run = (args: string[], cwd: string, input: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** What `helm template` prints: documents under `# Source:` comments. */
const RENDERED = yaml(
  '---', '# Source: web/templates/deploy.yaml', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: a}', 'spec:', '  containers: [{name: a, image: "nginx:latest"}]',
  '---', '# Source: web/templates/job.yaml', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: b}', 'spec:', '  containers: [{name: b, image: "NGINX:1.2"}]',
);

describe('the CLI in pipelines', () => {
  it('"-" reads standard input; each finding names its # Source', () => {
    const r = run(['--format', 'json', '-'], tree({}), RENDERED);
    const [file] = JSON.parse(r.stdout).files;
    assert.equal(file.path, '<stdin>');
    assert.deepEqual(file.findings.map((f: { ruleId: string; source: string }) => `${f.ruleId} ${f.source}`), [
      'latest-tag web/templates/deploy.yaml', 'implicit-pull-policy web/templates/deploy.yaml', 'invalid-image-reference web/templates/job.yaml',
    ]);
    assert.equal(r.code, 1);
  });

  it('--stdin-filename names it, and its directory\'s config applies', () => {
    const root = tree({ 'chart/.k8s-image-lint.yaml': 'rules: {latest-tag: "off"}\n' });
    const r = run(['--stdin-filename', 'chart/rendered.yaml', '-'], root, RENDERED);
    assert.match(r.stdout, /^chart\/rendered\.yaml:14:33 error invalid-image-reference .* \(from web\/templates\/job\.yaml\)$/m);
    assert.doesNotMatch(r.stdout, /latest-tag/);
  });

  it('--severity, --fail-on, --rule and --disable', () => {
    const root = tree({});
    assert.doesNotMatch(run(['-'], root, RENDERED).stdout, / hint /, 'hints are opt-in in text');
    assert.match(run(['--severity', 'hint', '-'], root, RENDERED).stdout, / hint implicit-pull-policy /);
    const onlyErrors = run(['--severity', 'error', '-'], root, RENDERED);
    assert.deepEqual(onlyErrors.stdout.trimEnd().split('\n').map((l) => l.split(' ')[2]), ['invalid-image-reference']);
    const relaxed = run(['--rule', 'invalid-image-reference=warning', '-'], root, RENDERED);
    assert.equal(relaxed.code, 0, 'no error left');
    assert.equal(run(['--rule', 'invalid-image-reference=warning', '--fail-on', 'warning', '-'], root, RENDERED).code, 1);
    assert.doesNotMatch(run(['--disable', 'latest-tag', '-'], root, RENDERED).stdout, /latest-tag/);
    const bad = run(['--rule', 'latest-tag', '-'], root, RENDERED);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--rule needs ID=LEVEL, for example --rule latest-tag=error/);
  });

  it('--format github: workflow commands, escaped, on the file (or its # Source)', () => {
    const root = tree({ 'deploy,x:y.yaml': yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: a}', 'spec:', '  containers: [{name: a, image: "nginx:latest"}]') });
    const r = run(['--format', 'github', 'deploy,x:y.yaml'], root, '');
    assert.equal(r.stdout, '::warning file=deploy%2Cx%3Ay.yaml,line=5,col=33,endLine=5,endColumn=47,title=latest-tag::'
      + '":latest" moves with every push; pin a version or a digest\n');
    const piped = run(['--format', 'github', '-'], root, RENDERED);
    assert.match(piped.stdout, /^::error file=web\/templates\/job\.yaml,title=invalid-image-reference::Invalid image name: repository name must be lowercase; use "nginx:1\.2" \(<stdin>:14:33\)$/m);
  });
});

describe('--format junit', () => {
  it('a suite per file, a case per finding (errors and warnings fail), escaped, a clean file passing', () => {
    const root = tree({
      'a&b.yaml': yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: a}', 'spec:', '  containers: [{name: a, image: "nginx:latest"}]'),
      'clean.yaml': yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: c}', 'spec:', '  containers: [{name: a, image: "nginx:1.27", imagePullPolicy: IfNotPresent}]'),
    });
    const r = run(['--format', 'junit', 'a&b.yaml', 'clean.yaml'], root, '');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="k8s-image-lint" tests="2" failures="1" errors="0">\n/);
    assert.match(r.stdout, /<testsuite name="a&amp;b\.yaml" tests="1" failures="1" errors="0">/);
    assert.match(r.stdout, /<testcase classname="a&amp;b\.yaml" name="latest-tag at a&amp;b\.yaml:5:33"><failure type="warning" message="&quot;:latest&quot; moves with every push; pin a version or a digest"/);
    assert.match(r.stdout, /<testsuite name="clean\.yaml" tests="1" failures="0" errors="0">\n {4}<testcase classname="clean\.yaml" name="no problems"\/>/);
    assert.doesNotMatch(r.stdout.replace(/&(amp|lt|gt|quot|#10);/g, ''), /&/);
  });
});

describe('colour', () => {
  it('on a terminal only: never when piped, with NO_COLOR, or on a dumb terminal', () => {
    assert.equal(useColour(true, {}), true);
    assert.equal(useColour(false, {}), false);
    assert.equal(useColour(undefined, {}), false);
    assert.equal(useColour(true, { NO_COLOR: '' }), false);
    assert.equal(useColour(true, { TERM: 'dumb' }), false);
    const report = { version: 1 as const, summary: { files: 1, images: 1, errors: 1, warnings: 0, infos: 0, hints: 0 }, files: [{ path: 'a.yaml', images: [], findings: [{ ruleId: 'x', severity: 'error' as const, message: 'm', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }] }] };
    assert.equal(formatText(report, true), 'a.yaml:1:1 \u001b[31merror\u001b[0m x m\n');
    assert.equal(formatText(report), 'a.yaml:1:1 error x m\n');
    assert.doesNotMatch(run(['-'], tree({}), RENDERED).stdout, /\u001b/, 'piped: no colour');
  });
});
