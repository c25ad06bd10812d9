/**
 * "Will this pull?" against Debian's real docker-registry: the client's manifest descriptions (an OCI index, a
 * Docker list, an index of amd64 images with an attestation, a single image's config), and through the CLI's
 * `--resolve` and the real language server in `auto`: image-platform-mismatch (no image for the pod's platform; a
 * one-platform digest with its index-digest fix), digest-tag-mismatch after a tag moved, deprecated-registry's
 * rewrite checked at the destination, and the hover's checklist.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import {
  CodeActionTriggerKind, createConnection, StreamMessageReader, StreamMessageWriter, type CodeAction,
} from 'vscode-languageserver/node';
import { startServer } from '../../server/src/server';
import { cliAsync, tree } from '../cli/harness';
import { applyWorkspaceEdit, fullCapabilities, LspClient, positionOf, rangeOf, until } from '../lsp/lspClient';
import { registryFor, useFixture } from './support/suite';

const clients: LspClient[] = [];
after(() => {
  for (const c of clients) c.dispose();
});
const fx = useFixture();

const deployment = (image: string, ...podLines: string[]) => [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:',
  ...podLines.map((l) => `      ${l}`), '      containers:', '      - name: app', `        image: ${image}`, '        imagePullPolicy: Always', '',
].join('\n');
const ARM = 'nodeSelector: {kubernetes.io/arch: arm64}';

describe('manifest descriptions', () => {
  it('an index\'s images and platforms (attestations left out), a Docker list\'s, a single image\'s from its config', async () => {
    const client = registryFor(fx.empty).client({ timeoutMs: 3000, insecure: [fx.anon.host] });
    const at = (path: string, reference: string) => ({ domain: fx.anon.host, path, reference });
    const index = await client.describe(at('team/app', '1.2.3'));
    assert.ok(index.ok);
    assert.equal(index.value.digest, fx.images.appIndex.index.digest);
    assert.deepEqual(index.value.children, fx.images.appIndex.children.map((c, i) => ({ digest: c.digest, platform: { os: 'linux', architecture: ['amd64', 'arm64'][i] } })));
    const amd = await client.describe(at('team/amd', '2.0'));
    assert.ok(amd.ok);
    assert.deepEqual(amd.value.children.map((c) => c.platform.architecture), ['amd64']);
    const list = await client.describe(at('team/legacy', '3.1'));
    assert.ok(list.ok && list.value.multiArch && list.value.children.length === 2);
    const single = await client.describe(at('team/app', '1.10.0'));
    assert.ok(single.ok);
    assert.deepEqual([single.value.multiArch, single.value.platform], [false, { os: 'linux', architecture: 'amd64' }]);
    const child = await client.describe(at('team/app', fx.images.appIndex.children[1].digest));
    assert.ok(child.ok);
    assert.deepEqual(child.value.platform, { os: 'linux', architecture: 'arm64' });
    assert.deepEqual(client.cachedDescription(at('team/app', '1.2.3')), index, 'cached');
    const missing = await client.describe(at('team/app', '9.9.9'));
    assert.ok(!missing.ok && missing.error.kind === 'not-found');
  });
});

/** Runs the CLI bundle without blocking this process (the registry lives here), with no Docker credentials. */
const run = (args: string[], cwd: string) => cliAsync(args, cwd, fx.empty.env);

describe('the CLI with --resolve', () => {
  it('reports the platform, digest and moved-registry findings the registry\'s answers support', async () => {
    const host = fx.anon.host;
    const amdChild = fx.images.appIndex.children[0].digest;
    const root = tree({
      '.k8s-image-lint.yaml': `registry:\n  insecure: ["${host}"]\nplatforms: [linux/amd64, linux/arm64]\nregistryMoves:\n  "${host}/old": "${host}/team"\nrules:\n  private-image-without-pull-secret: "off"\n  tag-and-digest: "off"\n`,
      'a.yaml': [
        deployment(`${host}/team/amd:2.0`, ARM), deployment(`${host}/team/app:1.2.3@${amdChild}`),
        deployment(`${host}/team/moving:1.0@${fx.images.moving.before.digest}`), deployment(`${host}/team/app:1.2.3`, ARM),
        deployment(`${host}/old/app:1.2.3`),
      ].join('---\n'),
    });
    const r = await run(['--resolve', '--format', 'json', 'a.yaml'], root);
    assert.equal(r.code, 0, r.stderr);
    const findings = (JSON.parse(r.stdout) as { files: { findings: { ruleId: string; message: string; range: { start: { line: number } } }[] }[] }).files[0].findings
      .filter((f) => f.ruleId !== 'implicit-pull-policy')
      .map((f) => `${f.range.start.line + 1} ${f.ruleId} ${f.message}`);
    assert.deepEqual(findings, [
      '11 image-platform-mismatch No image for arm64 (nodeSelector); it has linux/amd64',
      '23 image-platform-mismatch The digest is the linux/amd64 image only; pin the index for linux/amd64, linux/arm64',
      '35 digest-tag-mismatch Tag "1.0" now names another image; the pinned digest is what runs',
      // The old repository is gone; the rewrite is offered since the registry has the image at the destination.
      '60 image-not-found The repository does not exist in the registry; pulls fail with ErrImagePull',
      `60 deprecated-registry "${host}/old" moved to "${host}/team"; use "${host}/team/app:1.2.3"`,
    ]);
  });
});

/** The real server in this process, VS Code-like capabilities, with `lookups` and `extra` settings. */
async function session(lookups: 'manual' | 'auto', extra: Record<string, unknown> = {}): Promise<LspClient> {
  const registry = registryFor(fx.empty);
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server, { registry });
  const caps = fullCapabilities();
  caps.textDocument!.codeAction = { ...caps.textDocument!.codeAction, resolveSupport: { properties: ['edit'] } };
  const c = await LspClient.over(new StreamMessageReader(toClient), new StreamMessageWriter(toServer), {
    capabilities: caps,
    configuration: (item) => (item.section === 'k8sImageLint' ? { registry: { lookups, insecure: [fx.anon.host], timeoutMs: 3000 }, ...extra } : null),
  }, () => {
    server.dispose();
    toServer.end();
    toClient.end();
  });
  clients.push(c);
  return c;
}

let n = 0;
const uri = () => `file:///will-it-pull/doc${++n}.yaml`;

describe('in the editor', () => {
  it('auto: the background lookups bring image-platform-mismatch with its fix, and the hover\'s checklist', async () => {
    const c = await session('auto', { platforms: ['linux/amd64', 'linux/arm64'] });
    const host = fx.anon.host;
    const amdChild = fx.images.appIndex.children[0].digest;
    const text = [deployment(`${host}/team/amd:2.0`, ARM), deployment(`${host}/team/app:1.2.3@${amdChild}`)].join('---\n');
    const u = uri();
    await c.open(u, text);
    await until(async () => (await c.pull(u)).filter((d) => d.code === 'image-platform-mismatch').length === 2, 'both platform findings');
    const child = `${host}/team/app:1.2.3@${amdChild}`;
    const actions = await c.codeActions(u, rangeOf(text, child));
    const fix = actions.find((a) => a.title === 'Pin the index of "1.2.3" (every platform)');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    assert.equal(applyWorkspaceEdit(text, fix.edit, u), text.replace(child, `${host}/team/app:1.2.3@${fx.images.appIndex.index.digest}`));
    const h = await c.hover(u, positionOf(text, 'team/amd'));
    const md = (h?.contents as { value: string }).value;
    assert.match(md, /— ✅ exists: the tag `2\.0`, just now · ⚠️ platform: none for arm64 \(nodeSelector\); it has linux\/amd64 · /);
    const pinned = (await c.hover(u, positionOf(text, 'team/app:1.2.3@')))?.contents as { value: string };
    assert.match(pinned.value, /The pinned digest is the `linux\/amd64` image of this index: `1\.2\.3` still points to it\./);
  });

  it('auto: a tag that moved after its pin gets digest-tag-mismatch and its two fixes', async () => {
    const c = await session('auto');
    const host = fx.anon.host;
    const image = `${host}/team/moving:1.0@${fx.images.moving.before.digest}`;
    const text = deployment(image);
    const u = uri();
    await c.open(u, text);
    await until(async () => (await c.pull(u)).some((d) => d.code === 'digest-tag-mismatch'), 'digest-tag-mismatch');
    const actions = await c.codeActions(u, rangeOf(text, image));
    const update = actions.find((a) => a.title.startsWith('Update the digest to the tag\'s'));
    const drop = actions.find((a) => a.title === 'Drop the tag (keep what runs)');
    assert.equal(applyWorkspaceEdit(text, update?.edit, u), text.replace(image, `${host}/team/moving:1.0@${fx.images.moving.after.index.digest}`));
    assert.equal(applyWorkspaceEdit(text, drop?.edit, u), text.replace(image, `${host}/team/moving@${fx.images.moving.before.digest}`));
    const h = (await c.hover(u, positionOf(text, 'team/moving')))?.contents as { value: string };
    assert.match(h.value, /platforms added: linux\/arm64/);
  });

  it('manual: a moved registry\'s rewrite is checked at the destination when picked', async () => {
    const host = fx.anon.host;
    const c = await session('manual', { registryMoves: { [`${host}/old`]: `${host}/team` } });
    const there = `${host}/old/app:1.2.3`;
    const gone = `${host}/old/app:9.9.9`;
    const text = [deployment(there), deployment(gone)].join('---\n');
    const u = uri();
    await c.open(u, text);
    const ds = (await c.pull(u)).filter((d) => d.code === 'deprecated-registry');
    assert.equal(ds.length, 2);
    const use = async (image: string) => {
      const action = (await c.codeActions(u, rangeOf(text, image), { triggerKind: CodeActionTriggerKind.Invoked })).find((a) => a.title.startsWith('Use '));
      assert.ok(action && !action.edit, `a deferred rewrite for ${image}`);
      return c.connection.sendRequest('codeAction/resolve', action) as Promise<CodeAction>;
    };
    const done = await use(there);
    assert.equal(applyWorkspaceEdit(text, done.edit, u), text.replace(there, `${host}/team/app:1.2.3`));
    const refused = await use(gone);
    assert.equal(refused.edit, undefined);
    assert.match(c.messages.at(-1)!.message, new RegExp(`${host.replace(/[.:]/g, '\\$&')}/team/app:9\\.9\\.9 does not exist; the image is left as it is\\.`));
  });
});
