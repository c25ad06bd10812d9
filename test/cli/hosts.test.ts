// The CLI as its CI hosts run it: the GitHub Action's step script (action.yml → scripts/action.sh) through bash
// with the inputs set as the runner sets them, and the pre-commit hook (.pre-commit-hooks.yaml) through Debian's
// `pre-commit try-repo`, which installs the hook from this repository as it would from GitHub.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { deployment, PROJECT_ROOT, tree } from './harness';

const scratch = mkdtempSync(join(tmpdir(), 'k8s-image-lint-hosts-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the GitHub Action', () => {
  let tarball = '';
  before(() => {
    // The package as npm would fetch it (the bundles are built by `npm test`).
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    tarball = join(scratch, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
  });

  const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8'));
  const step = action.runs.steps[0];

  /** Runs the step's script as the runner does: bash, in the workspace, inputs as INPUT_* (defaults filled in). */
  function runStep(cwd: string, inputs: Record<string, string>) {
    const env: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs as Record<string, { default?: string }>)) {
      env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = inputs[name] ?? spec.default ?? '';
    }
    const output = join(cwd, '.github-output');
    writeFileSync(output, '');
    const r = spawnSync('bash', ['-c', step.run], {
      cwd, encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, INPUT_PACKAGE: tarball, GITHUB_ACTION_PATH: PROJECT_ROOT, GITHUB_OUTPUT: output,
        npm_config_cache: join(scratch, 'npm-cache'), npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    return { ...r, outputs: readFileSync(output, 'utf8') };
  }

  it('is a composite action whose step gets every input through its environment, never pasted into the script', () => {
    assert.equal(action.runs.using, 'composite');
    assert.equal(step.run, '"$GITHUB_ACTION_PATH/scripts/action.sh"');
    assert.doesNotMatch(step.run, /\$\{\{/);
    const passed = Object.keys(step.env).sort();
    const expected = Object.keys(action.inputs).filter((i) => i !== 'upload-sarif').map((i) => `INPUT_${i.toUpperCase().replace(/-/g, '_')}`).sort();
    assert.deepEqual(passed, expected);
    assert.equal(action.runs.steps[1].uses, 'github/codeql-action/upload-sarif@v3');
  });

  it('annotates the pull request by default, and fails on errors only unless fail-on says otherwise', () => {
    const root = tree({ 'k8s/web.yaml': deployment('nginx:latest') });
    const r = runStep(root, {});
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^::warning file=k8s\/web\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=latest-tag::":latest" moves with every push/m);
    assert.equal(runStep(root, { 'fail-on': 'warning' }).status, 1);
  });

  it('writes SARIF for code scanning and names the file in its outputs', () => {
    const root = tree({ 'k8s/web.yaml': deployment('NGINX') });
    const r = runStep(root, { format: 'sarif', paths: 'k8s' });
    assert.equal(r.status, 1, 'an error fails the step (the upload step still runs: if: always())');
    assert.equal(r.outputs, 'sarif-file=k8s-image-lint.sarif\n');
    const sarif = JSON.parse(readFileSync(join(root, 'k8s-image-lint.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].results[0].ruleId, 'invalid-image-reference');
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'k8s/web.yaml');
  });

  it('takes paths one per line, with spaces inside, and cannot be made to run shell code', () => {
    const root = tree({ 'my dir/web.yaml': deployment('nginx:latest'), 'b/api.yaml': deployment('NGINX') });
    const r = runStep(root, { paths: 'my dir\nb', format: 'text' });
    assert.match(r.stdout, /^my dir\/web\.yaml:\d+:\d+ warning latest-tag/m);
    assert.match(r.stdout, /^b\/api\.yaml:\d+:\d+ error invalid-image-reference/m);
    const evil = runStep(root, { paths: '$(touch pwned) `touch pwned2`', severity: '$(touch pwned3)' });
    assert.notEqual(evil.status, 0);
    for (const f of ['pwned', 'pwned2', 'pwned3']) assert.ok(!existsSync(join(root, f)), `${f} was created`);
  });

  it('refuses an unknown format with an annotation', () => {
    const r = runStep(tree({}), { format: 'xml' });
    assert.equal(r.status, 2);
    assert.match(r.stdout, /^::error title=k8s-image-lint::format must be github, sarif or text/m);
  });
});

const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

describe('the pre-commit hook', { skip: !preCommit && 'pre-commit is not installed (npm run test:setup installs Debian\'s)' }, () => {
  it('installs from the repository with pre-commit try-repo and lints the staged manifests', () => {
    const repo = tree({ 'k8s/web.yaml': deployment('NGINX'), 'k8s/ok.yaml': deployment('nginx:1.27'), 'notes.txt': 'image: NGINX\n' });
    const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    const env = { ...process.env, PRE_COMMIT_HOME: join(scratch, 'pre-commit'), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' };
    const r = spawnSync('pre-commit', ['try-repo', PROJECT_ROOT, 'k8s-image-lint', '--all-files'], { cwd: repo, encoding: 'utf8', env, timeout: 600_000 });
    assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^Kubernetes Image Lint\.+Failed$/m);
    assert.match(r.stdout, /^k8s\/web\.yaml:\d+:\d+ error invalid-image-reference Invalid image name: repository name must be lowercase; use "nginx"$/m);
    assert.doesNotMatch(r.stdout, /notes\.txt|ok\.yaml:/);
  });
});
