/**
 * `k8s-image-lint --resolve` (the shipped bundle, as CI runs it) against the real registry: every image is
 * checked and its digest printed (text and json), image-not-found is reported whatever `registry.lookups` says,
 * an unreachable registry makes the run fail with status 2, and without `--resolve` no registry is contacted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliAsync, tree } from '../cli/harness';
import { startServer } from './support/httpServer';
import { useFixture } from './support/suite';

const fx = useFixture();

/** Runs the CLI bundle without blocking this process (the registry lives here), with no Docker credentials. */
const run = (args: string[], cwd: string) => cliAsync(args, cwd, fx.empty.env);

const pod = (...images: string[]) => [
  'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:',
  ...images.flatMap((image, i) => [`  - name: c${i}`, `    image: ${image}`, '    imagePullPolicy: Always']),
].join('\n') + '\n';

describe('--resolve', () => {
  it('json: the digest of every image, and image-not-found even with lookups off in the config', async () => {
    const host = fx.anon.host;
    const root = tree({
      '.k8s-image-lint.yaml': `registry:\n  lookups: "off"\n  insecure: ["${host}"]\n`,
      'pod.yaml': pod(`${host}/team/app:1.2.3`, `${host}/team/legacy:3.1`, `${host}/team/app@${fx.images.app191.digest}`, `${host}/team/app:9.9.9`),
    });
    const r = await run(['--resolve', '--format', 'json', 'pod.yaml'], root);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.files[0].images.map((i: { resolved: unknown }) => i.resolved), [
      { digest: fx.images.appIndex.index.digest, mediaType: 'application/vnd.oci.image.index.v1+json', multiArch: true },
      { digest: fx.images.legacyList.index.digest, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', multiArch: true },
      { digest: fx.images.app191.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', multiArch: false },
      { error: { kind: 'not-found', message: `${host}/team/app has no tag 9.9.9.` } },
    ]);
    const notFound = report.files[0].findings.filter((f: { ruleId: string }) => f.ruleId === 'image-not-found');
    assert.deepEqual(notFound.map((f: { range: { start: { line: number } }; severity: string }) => [f.range.start.line, f.severity]), [[16, 'warning']]);
  });

  it('text: one line per image after the findings; an error-severity image-not-found exits 1', async () => {
    const host = fx.anon.host;
    const root = tree({
      '.k8s-image-lint.yaml': `registry:\n  insecure: ["${host}"]\nrules:\n  image-not-found: error\n  private-image-without-pull-secret: "off"\n`,
      'pod.yaml': pod(`${host}/team/app:1.10.0`, `${host}/team/nothing:1.0`),
    });
    const r = await run(['--resolve', 'pod.yaml'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, [
      'pod.yaml:11:12 error image-not-found The repository does not exist in the registry; pulls fail with ErrImagePull',
      `pod.yaml:8:12 ${host}/team/app:1.10.0 ${fx.images.app1100.digest}`,
      `pod.yaml:11:12 ${host}/team/nothing:1.0 unresolved: The repository ${host}/team/nothing does not exist.`,
      '',
    ].join('\n'));
    assert.match(r.stderr, /Resolved 1 image; 1 not found; 0 could not be checked\.\n$/);
  });

  it('a registry that cannot be reached: exit status 2, saying which images were not checked', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    const root = tree({
      '.k8s-image-lint.yaml': `registry:\n  insecure: ["${gone.host}"]\n  timeoutMs: 2000\n`,
      'pod.yaml': pod(`${gone.host}/team/app:1.0`),
    });
    const r = await run(['--resolve', 'pod.yaml'], root);
    assert.equal(r.code, 2);
    assert.match(r.stdout, new RegExp(`pod\\.yaml:8:12 ${gone.host}/team/app:1\\.0 unresolved: Cannot reach ${gone.host}: the connection was refused`));
    assert.match(r.stderr, /1 image could not be checked \(see the reasons above\); exit status 2\.\n$/);
  });

  it('with --fix: fixes first, then checks the fixed images', async () => {
    const host = fx.anon.host;
    const root = tree({ '.k8s-image-lint.yaml': `registry:\n  insecure: ["${host}"]\n`, 'pod.yaml': pod(`${host}/team/app:1.2.3`).replace('imagePullPolicy: Always', 'imagePullPolicy: always') });
    const r = await run(['--resolve', '--fix', '--format', 'json', 'pod.yaml'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(root, 'pod.yaml'), 'utf8'), /imagePullPolicy: Always/);
    assert.equal(JSON.parse(r.stdout).files[0].images[0].resolved.digest, fx.images.appIndex.index.digest);
  });

  it('without --resolve, no registry is contacted, even with lookups: auto', async () => {
    fx.proxy.reset();
    const root = tree({ '.k8s-image-lint.yaml': `registry:\n  lookups: auto\n  insecure: ["${fx.proxy.host}"]\n`, 'pod.yaml': pod(`${fx.proxy.host}/team/app:9.9.9`) });
    const r = await run(['--format', 'json', 'pod.yaml'], root);
    assert.equal(r.code, 0, r.stderr);
    const image = JSON.parse(r.stdout).files[0].images[0];
    assert.equal('resolved' in image, false);
    assert.equal(fx.proxy.requests.length, 0);
  });
});
