// Charts through the CLI, as a user runs it on a repository: each directory with Chart.yaml rendered with its
// values (and --values / --set), a library dependency found beside it, findings on the values lines.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createTar } from 'nanotar';
import { cli, PROJECT_ROOT } from './harness';

const root = mkdtempSync(join(tmpdir(), 'k8s-image-lint-charts-'));
after(() => rmSync(root, { recursive: true, force: true }));
cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'charts'), join(root, 'charts'), { recursive: true });

const lines = (stdout: string) => stdout.trim().split('\n').filter(Boolean);

/** `helm package` of a chart directory: a gzipped tar whose one top directory is the chart, at `archive`. */
function packageChart(dir: string, archive: string): void {
  const files: { name: string; data: Uint8Array }[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ name: `${basename(dir)}/${relative(dir, p).split(/[\\/]/).join('/')}`, data: readFileSync(p) });
    }
  };
  walk(dir);
  writeFileSync(archive, gzipSync(createTar(files)));
}

describe('charts in the CLI', () => {
  it('reports on the values lines and the template lines', () => {
    const r = cli(['charts'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(lines(r.stdout).sort(), [
      'charts/shop/templates/deployment.yaml:12:28 warning stale-image-risk IfNotPresent keeps each node on the ":latest" it cached; set Always or pin the image',
      'charts/shop/templates/deployment.yaml:19:28 warning stale-image-risk IfNotPresent keeps each node on the build of a moving tag it cached; set Always or pin the image',
      'charts/shop/templates/deployment.yaml:18:18 info mutable-tag Tag "nightly" moves to new builds (mutableTags); pin a version or a digest',
      'charts/shop/values.yaml:6:8 warning latest-tag ":latest" moves with every push; pin a version or a digest',
      'charts/store/values.yaml:7:10 warning latest-tag ":latest" moves with every push; pin a version or a digest',
      'charts/store/values.yaml:11:15 error invalid-pull-policy Unsupported value: "ifnotpresent": did you mean "IfNotPresent"?',
      'charts/web/templates/deployment.yaml:31:18 warning latest-tag ":latest" moves with every push; pin a version or a digest',
      'charts/web/values.yaml:5:15 error invalid-pull-policy Unsupported value: "ifnotpresent": did you mean "IfNotPresent"?',
      'charts/web/values.yaml:7:8 warning latest-tag ":latest" moves with every push; pin a version or a digest',
      'charts/web/values.yaml:10:5 error malformed-image-pull-secrets Write "- name: regcred": an entry is an object, not a bare name',
      'charts/web/values.yaml:13:15 error invalid-image-reference Invalid image name: repository name must be lowercase; use "Ghcr.io/acme/proxy:2.1"',
      'charts/web/values.yaml:18:8 warning helm-numeric-tag This number renders as "1.1", so the image is "ghcr.io/acme/exporter:1.1"; quote it',
    ].sort());
  });

  it('--values and --set override values.yaml as helm -f and --set do', () => {
    writeFileSync(join(root, 'prod.yaml'), 'image:\n  tag: "1.27.2"\n  pullPolicy: IfNotPresent\nimagePullSecrets: null\nmetrics:\n  tag: "1.10"\n');
    const r = cli(['--values', 'prod.yaml', '--set', 'sidecar.repository=ghcr.io/acme/proxy', 'charts/web'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ['charts/web/templates/deployment.yaml:31:18 warning latest-tag ":latest" moves with every push; pin a version or a digest']);
    const missing = cli(['--values', 'nope.yaml', 'charts/web'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /The values file .*nope\.yaml does not exist/);
  });

  it('renders vendored subcharts with the parent\'s section and global, when their condition allows', () => {
    const r = cli(['charts/store'], root);
    assert.deepEqual(lines(r.stdout), [
      'charts/store/values.yaml:7:10 warning latest-tag ":latest" moves with every push; pin a version or a digest',
      'charts/store/values.yaml:11:15 error invalid-pull-policy Unsupported value: "ifnotpresent": did you mean "IfNotPresent"?',
    ]);
    // The `jobs` alias of `queue` is off in values.yaml; --set turns it on, and its own values.yaml speaks.
    const on = cli(['--set', 'jobs.enabled=true', 'charts/store'], root);
    assert.ok(lines(on.stdout).includes('charts/store/charts/queue/values.yaml:1:8 warning latest-tag ":latest" moves with every push; pin a version or a digest'), on.stdout);
  });

  it('packaged dependencies (charts/*.tgz, as helm dependency build leaves them) render as their directories do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-chart-tgz-'));
    try {
      const fixtures = join(PROJECT_ROOT, 'test', 'fixtures', 'charts');
      // shop's library `common` and store's two subcharts, packaged in charts/ instead of beside or unpacked.
      cpSync(join(fixtures, 'shop'), join(dir, 'shop'), { recursive: true });
      mkdirSync(join(dir, 'shop', 'charts'));
      packageChart(join(fixtures, 'common'), join(dir, 'shop', 'charts', 'common-2.0.0.tgz'));
      cpSync(join(fixtures, 'store'), join(dir, 'store'), { recursive: true, filter: (src) => !src.includes(join('store', 'charts')) });
      mkdirSync(join(dir, 'store', 'charts'));
      packageChart(join(fixtures, 'store', 'charts', 'cache'), join(dir, 'store', 'charts', 'cache-0.1.0.tgz'));
      packageChart(join(fixtures, 'store', 'charts', 'queue'), join(dir, 'store', 'charts', 'queue-0.1.0.tgz'));
      writeFileSync(join(dir, 'store', 'charts', 'broken-1.0.0.tgz'), 'not gzip');
      const packaged = lines(cli(['shop', 'store'], dir).stdout);
      const unpacked = lines(cli(['charts/shop', 'charts/store'], root).stdout).map((l) => l.replace(/^charts\//, ''));
      assert.deepEqual(packaged, unpacked);
      // The archives' own defaults are their authors': a value the parent supplies is judged, in the parent.
      writeFileSync(join(dir, 'prod.yaml'), 'jobs:\n  enabled: true\n  image: rabbitmq:nightly\n');
      const jobs = lines(cli(['--values', 'prod.yaml', 'store'], dir).stdout);
      assert.ok(jobs.some((l) => /^prod\.yaml:3:10 info mutable-tag Tag "nightly"/.test(l)), jobs.join('\n'));
      assert.ok(!jobs.some((l) => l.includes('.tgz')), jobs.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--fix applies the values lines\' safe fixes to the values file, and reports what remains', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-chart-fix-'));
    try {
      cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'charts', 'web'), join(dir, 'web'), { recursive: true });
      const before = readFileSync(join(dir, 'web', 'values.yaml'), 'utf8');
      const r = cli(['--fix', 'web'], dir);
      const after = readFileSync(join(dir, 'web', 'values.yaml'), 'utf8');
      assert.equal(after, before.replace('pullPolicy: ifnotpresent', 'pullPolicy: IfNotPresent').replace('  - regcred', '  - name: regcred').replace('tag: 1.10', 'tag: "1.10"'));
      assert.match(r.stderr, /Fixed 1 file/);
      assert.ok(lines(r.stdout).includes('web/values.yaml:5:15 warning stale-image-risk IfNotPresent keeps each node on the ":latest" it cached; set Always or pin the image'), r.stdout);
      assert.equal(readFileSync(join(dir, 'web', 'templates', 'deployment.yaml'), 'utf8'), readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'charts', 'web', 'templates', 'deployment.yaml'), 'utf8'), 'templates are not touched');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a Flux HelmRelease and an Argo CD Application of a chart in the repository: their values\' findings land in them', () => {
    const repo = mkdtempSync(join(tmpdir(), 'k8s-image-lint-releases-'));
    try {
      mkdirSync(join(repo, '.git'));
      cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'charts', 'web'), join(repo, 'charts', 'web'), { recursive: true });
      mkdirSync(join(repo, 'deploy'));
      writeFileSync(join(repo, 'deploy', 'releases.yaml'), [
        'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata: {name: web}', 'spec:', '  chart:', '    spec:', '      chart: ./charts/web',
        '      sourceRef: {kind: GitRepository, name: repo}', '  values:', '    image:', '      tag: latest', '      pullPolicy: Allways',
        '---', 'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: web}', 'spec:', '  source:', '    repoURL: https://example.com/r.git',
        '    path: charts/web', '    helm:', '      valuesObject:', '        metrics: {tag: 2.0}', ''].join('\n'));
      // Argo CD's `helm.values` string (used when there is no valuesObject): a literal block keeps its lines.
      writeFileSync(join(repo, 'deploy', 'string.yaml'), [
        'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: web}', 'spec:', '  source:', '    repoURL: https://example.com/r.git',
        '    path: charts/web', '    helm:', '      values: |', '        image:', '          pullPolicy: Allways  # typo', '        metrics:', '          tag: 2.0',
        '---', 'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: quoted}', 'spec:', '  source:', '    repoURL: https://example.com/r.git',
        '    path: charts/web', '    helm:', '      values: "image: {pullPolicy: Always}"', ''].join('\n'));
      const r = cli(['deploy', 'charts'], repo);
      const ours = lines(r.stdout).filter((l) => l.startsWith('deploy/'));
      assert.deepEqual(ours, [
        'deploy/releases.yaml:11:12 warning latest-tag ":latest" moves with every push; pin a version or a digest',
        'deploy/releases.yaml:12:19 error invalid-pull-policy Unsupported value: "Allways": did you mean "Always"?',
        'deploy/releases.yaml:23:24 warning helm-numeric-tag This number renders as "2", so the image is "ghcr.io/acme/exporter:2"; quote it',
        'deploy/string.yaml:11:23 error invalid-pull-policy Unsupported value: "Allways": did you mean "Always"?',
        'deploy/string.yaml:13:16 warning helm-numeric-tag This number renders as "2", so the image is "ghcr.io/acme/exporter:2"; quote it',
      ]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('JSON lists each rendered image where the template writes it', () => {
    const r = cli(['--format', 'json', 'charts/web'], root);
    const deployment = (JSON.parse(r.stdout) as { files: { path: string; images: { image: string; range: { start: { line: number } } }[] }[] }).files.find((f) => f.path === 'charts/web/templates/deployment.yaml')!;
    assert.deepEqual(deployment.images.map((i) => [i.image, i.range.start.line + 1]), [['nginx:latest', 23], ['Ghcr.io/acme/Proxy:2.1', 26], ['ghcr.io/acme/exporter:1.1', 28], ['busybox:latest', 31]]);
  });
});
