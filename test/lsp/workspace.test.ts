/**
 * The real server with workspace folders on disk (temporary directories): the index is filled from the
 * folders, kept current from open documents, file events and folder changes, and a Deployment's diagnostics
 * follow edits of a Secret in another file — re-pulled after `workspace/diagnostic/refresh`, or pushed again.
 * Also go-to-definition, completion of Secret names and hovers across files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CompletionList, Diagnostic } from 'vscode-languageserver/node';
import { b64, deploymentWith, dockerSecret, yaml } from '../helpers';
import { fullCapabilities, LspClient, poll, positionOf, pushOnlyCapabilities, withClient } from './lspClient';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A temporary folder holding `files`; returns its path and a URI maker. */
function folder(files: Record<string, string>): { root: string; uri: (rel?: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'k8s-image-lint-ws-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, uri: (rel = '') => pathToFileURL(join(root, rel)).href.replace(/\/$/, '') };
}

const PASSWORD = 'never-shown-7';
const DEPLOY = deploymentWith(['imagePullSecrets:', '- name: regcred', 'containers:', '- name: web', '  image: registry.example.com/team/web:1.2']);
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).filter((c) => c.startsWith('pull-secret') || c.startsWith('private-image')).sort();

/** Pulls `uri` until its workspace-rule codes are `expected` (the folder scan and refreshes are asynchronous). */
async function pullUntil(c: LspClient, uri: string, expected: string[], timeoutMs = 5000): Promise<Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ds = await c.pull(uri);
    if (JSON.stringify(codes(ds)) === JSON.stringify(expected)) return ds;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(expected)} on ${uri}; last: ${JSON.stringify(codes(ds))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cross-file diagnostics with pull diagnostics', () => {
  it('a Secret edited in another document changes the Deployment\'s diagnostics, after a refresh request', async () => {
    const ws = folder({ 'app/deploy.yaml': DEPLOY, 'secrets/regcred.yaml': dockerSecret('regcred', ['ghcr.io'], { secret: PASSWORD }) });
    await withClient({ workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      const deploy = ws.uri('app/deploy.yaml');
      const secret = ws.uri('secrets/regcred.yaml');
      await c.open(deploy, DEPLOY);
      const first = await pullUntil(c, deploy, ['pull-secret-registry-mismatch']);
      assert.ok(!JSON.stringify(first).includes(PASSWORD));

      const refreshes = c.requests.get('workspace/diagnostic/refresh') ?? 0;
      await c.open(secret, readFileSync(join(ws.root, 'secrets/regcred.yaml'), 'utf8'));
      await c.change(secret, dockerSecret('regcred', ['registry.example.com'], { secret: PASSWORD }));
      await poll(() => ((c.requests.get('workspace/diagnostic/refresh') ?? 0) > refreshes ? true : undefined), 5000, 'a diagnostic refresh after the Secret edit');
      await pullUntil(c, deploy, []);

      // The tutorial mistake: the Secret becomes Opaque.
      await c.change(secret, yaml('apiVersion: v1', 'kind: Secret', 'metadata: {name: regcred}', 'stringData:', '  username: robot', `  password: ${PASSWORD}`));
      const wrong = await pullUntil(c, deploy, ['pull-secret-wrong-type']);
      assert.ok(!JSON.stringify(wrong).includes(PASSWORD));

      // Closing the unsaved Secret puts the index back to the disk's version.
      await c.close(secret);
      await pullUntil(c, deploy, ['pull-secret-registry-mismatch']);
    });
  });

  it('follows workspace/didChangeWatchedFiles for files that are not open', async () => {
    const ws = folder({ 'deploy.yaml': DEPLOY, 'regcred.yaml': dockerSecret('regcred', ['ghcr.io']) });
    await withClient({ workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      const deploy = ws.uri('deploy.yaml');
      await c.open(deploy, DEPLOY);
      await pullUntil(c, deploy, ['pull-secret-registry-mismatch']);
      assert.equal(c.requests.get('client/registerCapability'), 1);
      writeFileSync(join(ws.root, 'regcred.yaml'), dockerSecret('regcred', ['registry.example.com']));
      await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('regcred.yaml'), type: 2 }] });
      await pullUntil(c, deploy, []);
      rmSync(join(ws.root, 'regcred.yaml'));
      await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('regcred.yaml'), type: 3 }] });
      await pullUntil(c, deploy, ['pull-secret-not-found']);
    });
  });

  it('multi-root: Secrets of every folder count; removing a folder forgets its files', async () => {
    const a = folder({ 'deploy.yaml': DEPLOY });
    const b = folder({ 'regcred.yaml': dockerSecret('regcred', ['registry.example.com']) });
    await withClient({ workspaceFolders: [{ uri: a.uri(), name: 'a' }, { uri: b.uri(), name: 'b' }] }, async (c) => {
      const deploy = a.uri('deploy.yaml');
      await c.open(deploy, DEPLOY);
      await pullUntil(c, deploy, []);
      await c.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: b.uri(), name: 'b' }] } });
      await pullUntil(c, deploy, ['pull-secret-not-found']);
      await c.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: b.uri(), name: 'b' }], removed: [] } });
      await pullUntil(c, deploy, []);
    });
  });

  it('skips node_modules, .git and files.exclude', async () => {
    const secret = dockerSecret('regcred', ['registry.example.com']);
    const ws = folder({ 'deploy.yaml': DEPLOY, 'node_modules/x/regcred.yaml': secret, '.git/regcred.yaml': secret, 'generated/regcred.yaml': secret });
    const configuration = (item: { section?: string }) => (item.section === 'files.exclude' ? { '**/generated': true, '**/other': false } : null);
    await withClient({ workspaceFolders: [{ uri: ws.uri(), name: 'ws' }], configuration }, async (c) => {
      const deploy = ws.uri('deploy.yaml');
      await c.open(deploy, DEPLOY);
      // Give the scan time to finish, then expect the Secret to be unknown.
      await poll(() => (c.requests.get('workspace/configuration') ?? 0) >= 2 ? true : undefined, 5000, 'the files.exclude request');
      await new Promise((r) => setTimeout(r, 200));
      await pullUntil(c, deploy, ['pull-secret-not-found']);
    });
  });
});

describe('cross-file diagnostics with pushed diagnostics', () => {
  it('an edit of the Secret pushes the Deployment\'s diagnostics again', async () => {
    const ws = folder({ 'deploy.yaml': DEPLOY, 'regcred.yaml': dockerSecret('regcred', ['ghcr.io']) });
    const capabilities = pushOnlyCapabilities();
    await withClient({ capabilities, workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      const deploy = ws.uri('deploy.yaml');
      const secret = ws.uri('regcred.yaml');
      await c.open(deploy, DEPLOY);
      await c.waitForPushed(deploy, (p) => codes(p.diagnostics).join() === 'pull-secret-registry-mismatch');
      await c.open(secret, readFileSync(join(ws.root, 'regcred.yaml'), 'utf8'));
      await c.change(secret, dockerSecret('regcred', ['registry.example.com']));
      await c.waitForPushed(deploy, (p) => codes(p.diagnostics).length === 0);
      await c.change(secret, dockerSecret('renamed', ['registry.example.com']));
      await c.waitForPushed(deploy, (p) => codes(p.diagnostics).join() === 'pull-secret-not-found');
    });
  });
});

describe('navigation and help across files', () => {
  const ws = folder({
    'app/deploy.yaml': DEPLOY,
    'secrets/regcred.yaml': dockerSecret('regcred', ['registry.example.com'], { secret: PASSWORD }),
    'secrets/ghcr.yaml': dockerSecret('ghcr-pull', ['ghcr.io']),
  });
  const deploy = ws.uri('app/deploy.yaml');
  const open = async (c: LspClient) => {
    await c.open(deploy, DEPLOY);
    await pullUntil(c, deploy, []);
  };

  it('go to definition from an imagePullSecrets name to the Secret', async () => {
    await withClient({ workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      assert.equal(c.initializeResult.capabilities.definitionProvider, true);
      await open(c);
      const locations = await c.definition(deploy, positionOf(DEPLOY, 'cred'));
      assert.deepEqual(locations, [{ uri: ws.uri('secrets/regcred.yaml'), range: { start: { line: 3, character: 8 }, end: { line: 3, character: 15 } } }]);
    });
  });

  it('completes Secret names, matching ones first', async () => {
    const text = DEPLOY.replace('- name: regcred', '- name: ');
    await withClient({ workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      await open(c);
      await c.change(deploy, text);
      const at = positionOf(text, '- name: \n');
      const list = (await c.completion(deploy, { line: at.line, character: at.character + 8 })) as CompletionList;
      assert.deepEqual(list.items.map((i) => i.label), ['regcred', 'ghcr-pull']);
      assert.equal(list.items[0].preselect, true);
    });
  });

  it('hovers the image with the Secret that matches it, never its credentials', async () => {
    await withClient({ workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      await open(c);
      const h = await c.hover(deploy, positionOf(DEPLOY, 'example.com/team'));
      const md = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
      assert.ok(md.includes('**Matches `registry.example.com/team/web`**: `regcred` (key `registry.example.com`)'), md);
      assert.ok(md.includes('../secrets/regcred.yaml:4'), md);
      for (const needle of [PASSWORD, b64(`robot:${PASSWORD}`)]) assert.ok(!md.includes(needle));
    });
  });
});

describe('the Output channel', () => {
  it('a large folder is read with progress; over maxWorkspaceFiles, the rest is left out and that is said', async () => {
    const files: Record<string, string> = { '.k8s-image-lint.yaml': 'maxWorkspaceFiles: 2100\n', 'a/deploy.yaml': DEPLOY };
    for (let i = 0; i < 2200; i++) files[`many/m${String(i).padStart(4, '0')}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m${i}}\n`;
    const ws = folder(files);
    const capabilities = { ...fullCapabilities(), window: { workDoneProgress: true } };
    await withClient({ capabilities, workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      const start = await poll(() => c.logs.find((l) => l.startsWith('Kubernetes Image Lint ')), 20_000, 'the start line');
      assert.match(start, /, 2100 files indexed,/);
      const said = c.logs.filter((l) => l.includes('maxWorkspaceFiles'));
      assert.deepEqual(said, [`Kubernetes Image Lint: ${ws.uri()} has more than 2100 YAML and JSON files: only the first 2100 are indexed (k8sImageLint.maxWorkspaceFiles).`]);
      const kinds = (c.progress as { kind: string; message?: string }[]).map((p) => p.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds.at(-1), 'end');
      assert.ok(kinds.filter((k) => k === 'report').length >= 2, kinds.join(' '));
      assert.equal((c.progress as { message?: string }[]).filter((p) => p.message).at(-1)?.message, '2100/2100 files');
      await c.open(ws.uri('a/deploy.yaml'), DEPLOY);
      const summary = await c.connection.sendRequest('k8sImageLint/imageSummary', { uri: ws.uri('a/deploy.yaml') }) as { indexNote?: string };
      assert.match(summary.indexNote ?? '', /only the first 2100 are indexed/);
    });
  });

  it('starts with the version, the folders, the files indexed and the config files', async () => {
    const ws = folder({ 'app/deploy.yaml': DEPLOY, '.k8s-image-lint.yaml': 'rules: {}\n', 'pod.json': '{"apiVersion": "v1", "kind": "Pod"}\n', 'package.json': '{"name": "x"}\n' });
    await withClient({ workspaceFolders: [{ uri: ws.uri(), name: 'ws' }] }, async (c) => {
      const deadline = Date.now() + 10_000;
      while (!c.logs.some((l) => l.startsWith('Kubernetes Image Lint ')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const line = c.logs.find((l) => l.startsWith('Kubernetes Image Lint '));
      assert.ok(line, c.logs.join('\n'));
      assert.match(line, /^Kubernetes Image Lint \d+\.\d+\.\d+: 1 folder \(file:\/\/.*\), 3 files indexed, config files: file:\/\/.*\/\.k8s-image-lint\.yaml\.$/);
    });
  });
});
