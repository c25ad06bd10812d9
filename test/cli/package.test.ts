// The npm package as a user installs it: `npm pack`'s tarball holds the bundles and the docs only, has no runtime
// dependencies, and installs and runs from an empty folder offline.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('the npm package', () => {
  it('ships the bundles and docs, needs no dependency, and runs from an offline install', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.dependencies, undefined, 'the bundles need no runtime dependency');
    const dir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-pack-'));
    try {
      // The bundles are already built by `npm test`; packing must not rebuild them under the running suite.
      const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(pack.status, 0, pack.stderr);
      const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
      const files = info.files.map((f) => f.path);
      for (const f of ['server/out/cli.js', 'server/out/server.js', 'client/out/extension.js', 'README.md', 'LICENSE', 'docs/rules/latest-tag.md']) assert.ok(files.includes(f), f);
      assert.ok(files.every((f) => !/^(test|out|server\/src|client\/src|bench|scripts)\//.test(f) && !f.endsWith('.map')), files.join(', '));
      const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', dir, join(dir, info.filename)], { encoding: 'utf8' });
      assert.equal(install.status, 0, install.stderr);
      writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: nginx}]\n');
      const lint = spawnSync(join(dir, 'node_modules', '.bin', 'k8s-image-lint'), ['pod.yaml'], { cwd: dir, encoding: 'utf8' });
      assert.equal(lint.status, 0, lint.stderr);
      assert.match(lint.stdout, /^pod\.yaml:5:33 warning missing-tag /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
