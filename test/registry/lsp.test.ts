/**
 * The registry features through the real language server, against the real registry: "Pin to digest" resolved
 * lazily by `codeAction/resolve` (exact index digest, tag kept), "Pin to tag" as separate actions for generic
 * clients and through the quick pick's request and command for VS Code, tag completion, "pin all" with
 * progress, the hover's digest and `image-not-found` in `auto`, and no registry traffic when lookups are off,
 * in `manual` unless asked, or in an untrusted workspace until it is trusted.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  CodeActionTriggerKind, createConnection, StreamMessageReader, StreamMessageWriter,
  type ApplyWorkspaceEditParams, type ClientCapabilities, type CodeAction, type CompletionList, type Diagnostic,
} from 'vscode-languageserver/node';
import type { OciRegistry } from '../../server/src/node/registry/client';
import { startServer } from '../../server/src/server';
import { applyWorkspaceEdit, fullCapabilities, LspClient, poll, positionOf, rangeOf, until } from '../lsp/lspClient';
import { registryFor, useFixture } from './support/suite';

const clients: LspClient[] = [];
// Registered first, so the clients are disposed before the fixture stops.
after(() => {
  for (const c of clients) c.dispose();
});
const fx = useFixture();

interface Session {
  c: LspClient;
  registry: OciRegistry;
  applied: ApplyWorkspaceEditParams[];
  progress: unknown[];
}

/** VS Code-like capabilities, plus lazy resolution of `edit`, server-initiated progress and applyEdit. */
function capabilities(): ClientCapabilities {
  const caps = fullCapabilities();
  caps.textDocument!.codeAction = { ...caps.textDocument!.codeAction, resolveSupport: { properties: ['edit'] }, disabledSupport: true };
  caps.window = { workDoneProgress: true };
  caps.workspace = { ...caps.workspace, applyEdit: true };
  return caps;
}

/** The real server in this process with its own registry client; the editor settings say `lookups`. */
async function session(lookups: 'off' | 'manual' | 'auto', init: Record<string, unknown> = {}): Promise<Session> {
  const registry = registryFor(fx.empty);
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server, { registry });
  const c = await LspClient.over(new StreamMessageReader(toClient), new StreamMessageWriter(toServer), {
    capabilities: capabilities(),
    initializationOptions: init,
    configuration: (item) => (item.section === 'k8sImageLint' ? { registry: { lookups, insecure: [fx.anon.host], timeoutMs: 3000 } } : null),
  }, () => {
    server.dispose();
    toServer.end();
    toClient.end();
  });
  clients.push(c);
  const applied: ApplyWorkspaceEditParams[] = [];
  const progress: unknown[] = [];
  c.connection.onRequest('workspace/applyEdit', (p: ApplyWorkspaceEditParams) => {
    applied.push(p);
    return { applied: true };
  });
  c.connection.onRequest('window/workDoneProgress/create', () => null);
  c.connection.onNotification('$/progress', (p: { value: unknown }) => void progress.push(p.value));
  return { c, registry, applied, progress };
}

let n = 0;
const uri = () => `file:///registry-lsp/doc${++n}.yaml`;
const pod = (...images: string[]) => [
  'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:',
  ...images.flatMap((image, i) => [`  - name: c${i}`, `    image: ${image}`]),
].join('\n') + '\n';

describe('pin to digest', () => {
  it('is offered without any request, and resolved to the index digest (tag kept) only by codeAction/resolve', async () => {
    const { c, registry } = await session('manual');
    const image = `${fx.anon.host}/team/app:1.2.3`;
    const text = pod(image);
    const u = uri();
    await c.open(u, text);
    const actions = await c.codeActions(u, rangeOf(text, image), { triggerKind: CodeActionTriggerKind.Automatic });
    const pin = actions.find((a) => a.title === `Pin ${image} to its current digest`);
    assert.ok(pin, actions.map((a) => a.title).join(' | '));
    assert.equal(pin.edit, undefined);
    assert.equal(registry.requests, 0, 'nothing asked before the user picks the action');
    const resolved: CodeAction = await c.connection.sendRequest('codeAction/resolve', pin);
    assert.equal(registry.requests, 1);
    assert.equal(applyWorkspaceEdit(text, resolved.edit, u), pod(`${image}@${fx.images.appIndex.index.digest}`));
  });

  it('for an unpinned image: Pin to digest first and preferred, then the other fixes, Disable, the documentation', async () => {
    const { c } = await session('manual');
    const image = `${fx.anon.host}/team/app:latest`;
    const text = pod(image);
    const u = uri();
    await c.open(u, text);
    const actions = await c.codeActions(u, rangeOf(text, image), { triggerKind: CodeActionTriggerKind.Automatic });
    const titles = actions.map((a) => `${a.title}${a.isPreferred ? ' *' : ''}`);
    assert.deepEqual(titles.slice(0, 1), [`Pin ${image} to its current digest *`]);
    assert.equal(actions.filter((a) => a.isPreferred).length, 1, titles.join(' | '));
    const disable = titles.findIndex((t) => t.startsWith('Disable '));
    const docs = titles.findIndex((t) => t.startsWith('Show documentation for '));
    assert.ok(titles.indexOf('Set imagePullPolicy: Always explicitly') > 0 && titles.indexOf('Set imagePullPolicy: Always explicitly') < disable, titles.join(' | '));
    assert.ok(disable < docs, titles.join(' | '));
    const show = actions.find((a) => a.title === 'Show documentation for latest-tag')!;
    assert.deepEqual(show.command?.arguments, ['https://github.com/k8s-image-lint/k8s-image-lint/blob/main/docs/rules/latest-tag.md']);
  });

  it('a Docker manifest list pins the list digest; an image that does not exist gets no edit and a message', async () => {
    const { c } = await session('manual');
    const list = `${fx.anon.host}/team/legacy:3.1`;
    const missing = `${fx.anon.host}/team/app:9.9.9`;
    const text = pod(list, missing);
    const u = uri();
    await c.open(u, text);
    const [first] = (await c.codeActions(u, rangeOf(text, list))).filter((a) => a.title.startsWith('Pin ') && a.data);
    const done: CodeAction = await c.connection.sendRequest('codeAction/resolve', first);
    assert.equal(applyWorkspaceEdit(text, done.edit, u), pod(`${list}@${fx.images.legacyList.index.digest}`, missing));
    const [second] = (await c.codeActions(u, rangeOf(text, missing))).filter((a) => a.title.startsWith('Pin ') && a.data);
    const failed: CodeAction = await c.connection.sendRequest('codeAction/resolve', second);
    assert.equal(failed.edit, undefined);
    assert.deepEqual(c.messages.at(-1), { type: 2, message: `Kubernetes Image Lint: cannot pin ${missing}: ${fx.anon.host}/team/app has no tag 9.9.9.` });
  });
});

describe('pin to tag', () => {
  it('a generic client gets the top tags as actions when it invokes code actions, none (and no request) automatically', async () => {
    const { c, registry } = await session('manual');
    const image = `${fx.anon.host}/team/app:latest`;
    const text = pod(image);
    const u = uri();
    await c.open(u, text);
    const automatic = await c.codeActions(u, rangeOf(text, image), { triggerKind: CodeActionTriggerKind.Automatic });
    assert.ok(!automatic.some((a) => a.title.startsWith('Pin to tag')));
    assert.equal(registry.requests, 0);
    const invoked = await c.codeActions(u, rangeOf(text, image), { triggerKind: CodeActionTriggerKind.Invoked });
    const tags = invoked.filter((a) => a.title.startsWith('Pin to tag'));
    assert.deepEqual(tags.map((a) => a.title), ['Pin to tag 1.10.0', 'Pin to tag 1.9.1', 'Pin to tag 1.2.3']);
    assert.ok(tags[0].diagnostics?.some((d: Diagnostic) => d.code === 'latest-tag'), 'the action answers the latest-tag finding');
    assert.equal(applyWorkspaceEdit(text, tags[0].edit, u), pod(`${fx.anon.host}/team/app:1.10.0`));
  });

  it('VS Code: "Pin to tag…" runs the client\'s quick pick, which asks for the tags and has the server write the choice', async () => {
    const { c, applied } = await session('manual', { clientCommands: ['k8sImageLint.pickTag'], trusted: true });
    const image = `${fx.anon.host}/team/app:1.9.1-alpine`;
    const text = pod(image);
    const u = uri();
    await c.open(u, text);
    const actions = await c.codeActions(u, rangeOf(text, image), { triggerKind: CodeActionTriggerKind.Automatic });
    const pick = actions.find((a) => a.title === 'Pin to tag…');
    assert.equal(pick?.command?.command, 'k8sImageLint.pickTag');
    const target = pick!.command!.arguments![0];
    const choices = await c.connection.sendRequest('k8sImageLint/tagChoices', target);
    assert.deepEqual(choices, { image, current: '1.9.1-alpine', tags: ['1.10.0-alpine'] });
    const result = await c.connection.sendRequest('workspace/executeCommand', { command: 'k8sImageLint.server.pinTag', arguments: [{ ...target, tag: '1.10.0-alpine' }] });
    assert.deepEqual(result, { applied: true });
    assert.equal(applyWorkspaceEdit(text, applied[0].edit, u), pod(`${fx.anon.host}/team/app:1.10.0-alpine`));
  });
});

describe('tag completion', () => {
  it('after `image: name:`, the registry\'s tags, newest first, the best pin preselected', async () => {
    const { c } = await session('manual');
    const text = pod(`${fx.anon.host}/team/app:`);
    const u = uri();
    await c.open(u, text);
    const at = positionOf(text, 'team/app:');
    const list = await c.completion(u, { line: at.line, character: at.character + 'team/app:'.length }) as CompletionList;
    assert.deepEqual(list.items.map((i) => i.label), ['2.0.0-rc1', '1.10.0', '1.10.0-alpine', '1.9.1', '1.9.1-alpine', '1.2.3', 'alpine', 'latest']);
    assert.deepEqual(list.items.filter((i) => i.preselect).map((i) => i.label), ['1.10.0']);
    const edit = list.items[1].textEdit as { range: { start: { character: number } }; newText: string };
    assert.equal(edit.range.start.character, at.character + 'team/app:'.length);
  });
});

describe('pin all images in this file', () => {
  it('pins every unpinned image with progress, in one edit, and says what it could not pin', async () => {
    const { c, applied, progress, registry } = await session('manual');
    const pinned = `${fx.anon.host}/team/app@${fx.images.app191.digest}`;
    const images = [`${fx.anon.host}/team/app:1.2.3`, `${fx.anon.host}/team/legacy:3.0`, pinned, `${fx.anon.host}/team/app:9.9.9`, `${fx.anon.host}/team/app:1.2.3`];
    const text = pod(...images);
    const u = uri();
    await c.open(u, text);
    const source = await c.codeActions(u, rangeOf(text, 'apiVersion'), { only: ['source'] });
    const action = source.find((a) => a.kind === 'source.pinDigests.k8sImageLint');
    assert.equal(action?.title, 'Pin all images in this file to digests');
    const result = await c.connection.sendRequest('workspace/executeCommand', action!.command!);
    assert.deepEqual(result, { pinned: 3, failures: [{ image: images[3], message: `${fx.anon.host}/team/app has no tag 9.9.9.` }] });
    assert.equal(applied.length, 1);
    assert.equal(applyWorkspaceEdit(text, applied[0].edit, u), pod(
      `${images[0]}@${fx.images.appIndex.index.digest}`, `${images[1]}@${fx.images.legacy30.digest}`, pinned, images[3], `${images[0]}@${fx.images.appIndex.index.digest}`,
    ));
    assert.deepEqual((progress as { kind: string }[]).map((p) => p.kind), ['begin', 'report', 'report', 'report', 'end']);
    assert.match(c.messages.at(-1)!.message, /^Kubernetes Image Lint: Pinned 3 images to digests \(1 already had one\)\. .*team\/app:9\.9\.9: .*has no tag 9\.9\.9\.$/);
    // Three distinct references: HEAD each, and for the missing tag a GET and the tag list to say why.
    assert.equal(registry.requests, 5);
  });
});

describe('in a chart\'s values file', () => {
  // A chart on disk (the server reads a chart's templates from there): `app` renders its `digest:` key, `plain`
  // declares one its template never reads, `web` is one whole reference.
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  function chart(): { values: string; text: string } {
    const root = mkdtempSync(join(tmpdir(), 'kil-chart-'));
    dirs.push(root);
    mkdirSync(join(root, 'templates'));
    writeFileSync(join(root, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
    const host = fx.anon.host;
    const text = [
      'app:', `  repository: ${host}/team/app`, '  tag: 1.2.3', '  digest: ""',
      'plain:', `  repository: ${host}/team/legacy`, '  tag: "3.0"', '  digest: ""',
      `web: ${host}/team/app:1.2.3`,
      '',
    ].join('\n');
    writeFileSync(join(root, 'values.yaml'), text);
    writeFileSync(join(root, 'templates', 'deploy.yaml'), [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', '      containers:',
      '      - name: a',
      '        image: "{{ .Values.app.repository }}{{ if .Values.app.digest }}@{{ .Values.app.digest }}{{ else }}:{{ .Values.app.tag }}{{ end }}"',
      '      - name: b', '        image: "{{ .Values.plain.repository }}:{{ .Values.plain.tag }}"',
      '      - name: c', '        image: {{ .Values.web }}',
      '',
    ].join('\n'));
    return { values: pathToFileURL(join(root, 'values.yaml')).href, text };
  }

  it('Pin to digest writes the digest key the chart renders, else tag@digest, and pins a whole reference in place', async () => {
    const { c } = await session('manual');
    const { values, text } = chart();
    await c.open(values, text);
    const pinned: string[] = [];
    for (const at of ['tag: 1.2.3', 'tag: "3.0"', 'team/app:1.2.3']) {
      const [pin] = (await c.codeActions(values, rangeOf(text, at))).filter((a) => a.title.startsWith('Pin ') && a.data);
      assert.ok(pin, `a pin at ${at}`);
      const resolved: CodeAction = await c.connection.sendRequest('codeAction/resolve', pin);
      pinned.push(applyWorkspaceEdit(text, resolved.edit, values));
    }
    const index = fx.images.appIndex.index.digest;
    assert.equal(pinned[0], text.replace('digest: ""', `digest: "${index}"`));
    // `plain.digest` is never read by the template: the digest goes into the tag, which it does render.
    assert.equal(pinned[1], text.replace('tag: "3.0"', `tag: "3.0@${fx.images.legacy30.digest}"`));
    assert.equal(pinned[2], text.replace(`web: ${fx.anon.host}/team/app:1.2.3`, `web: ${fx.anon.host}/team/app:1.2.3@${index}`));
  });

  it('pin all pins every value in one edit; tag completion offers the registry\'s tags at a tag value', async () => {
    const { c, applied } = await session('manual');
    const { values, text } = chart();
    await c.open(values, text);
    const action = (await c.codeActions(values, rangeOf(text, 'app:'), { only: ['source'] })).find((a) => a.kind === 'source.pinDigests.k8sImageLint');
    const result = await c.connection.sendRequest('workspace/executeCommand', action!.command!);
    assert.deepEqual(result, { pinned: 3, failures: [] });
    const index = fx.images.appIndex.index.digest;
    assert.equal(applyWorkspaceEdit(text, applied[0].edit, values), text
      .replace('digest: ""', `digest: "${index}"`)
      .replace('tag: "3.0"', `tag: "3.0@${fx.images.legacy30.digest}"`)
      .replace(`team/app:1.2.3\n`, `team/app:1.2.3@${index}\n`));
    const at = positionOf(text, 'tag: 1.2.3');
    const list = await c.completion(values, { line: at.line, character: at.character + 'tag: 1.2'.length }) as CompletionList;
    assert.deepEqual(list.items.map((i) => i.label).slice(0, 3), ['2.0.0-rc1', '1.10.0', '1.10.0-alpine']);
    const edit = list.items[0].textEdit as { range: { start: { character: number }; end: { character: number } } };
    assert.deepEqual([edit.range.start.character, edit.range.end.character], [at.character + 5, at.character + 'tag: 1.2.3'.length]);
  });
});

describe('auto: hover and image-not-found', () => {
  it('the hover shows the digest the tag resolves to now, and how old that answer is', async () => {
    const { c } = await session('auto');
    const image = `${fx.anon.host}/team/app:1.2.3`;
    const text = pod(image);
    const u = uri();
    await c.open(u, text);
    const h = await c.hover(u, positionOf(text, 'team/app'));
    const md = (h?.contents as { value: string }).value;
    assert.ok(md.includes(`**\`1.2.3\` resolves to:** \`${fx.images.appIndex.index.digest}\` (multi-arch index, looked up just now)`), md);
  });

  it('image-not-found appears once the background check has the registry\'s answer', async () => {
    const { c } = await session('auto');
    const missing = `${fx.anon.host}/team/app:9.9.9`;
    const text = pod(`${fx.anon.host}/team/app:1.2.3`, missing);
    const u = uri();
    await c.open(u, text);
    await c.pull(u);
    await poll(() => c.requests.get('workspace/diagnostic/refresh'), 5000, 'a diagnostic refresh after the registry answered');
    const found = (await c.pull(u)).filter((d) => d.code === 'image-not-found');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.message]), [[9, 'The registry has no tag "9.9.9"; pulls fail with ErrImagePull']]);
  });
});

describe('when the registry is never contacted', () => {
  it('manual: diagnostics, hovers and automatic code actions make no request', async () => {
    const { c, registry } = await session('manual');
    const text = pod(`${fx.anon.host}/team/app:9.9.9`);
    const u = uri();
    await c.open(u, text);
    assert.ok(!(await c.pull(u)).some((d) => d.code === 'image-not-found'));
    await c.hover(u, positionOf(text, 'team/app'));
    await c.codeActions(u, rangeOf(text, 'team/app'), { triggerKind: CodeActionTriggerKind.Automatic });
    assert.equal(registry.requests, 0);
  });

  it('off: no pin actions, no tag completion, no request', async () => {
    const { c, registry } = await session('off');
    const text = pod(`${fx.anon.host}/team/app:`);
    const u = uri();
    await c.open(u, text);
    const at = positionOf(text, 'team/app:');
    const list = await c.completion(u, { line: at.line, character: at.character + 9 }) as CompletionList;
    assert.deepEqual(list.items, []);
    const actions = await c.codeActions(u, rangeOf(text, 'team/app'), { triggerKind: CodeActionTriggerKind.Invoked });
    assert.ok(!actions.some((a) => a.title.startsWith('Pin')));
    assert.equal(registry.requests, 0);
  });

  it('an untrusted workspace: nothing until the client says the user trusts it', async () => {
    const { c, registry } = await session('auto', { trusted: false, clientCommands: ['k8sImageLint.pickTag'] });
    const image = `${fx.anon.host}/team/app:9.9.9`;
    const text = pod(image);
    const u = uri();
    await c.open(u, text);
    assert.ok(!(await c.pull(u)).some((d) => d.code === 'image-not-found'));
    // The pins are there, disabled, saying why (a client with `disabledSupport`).
    const restricted = (await c.codeActions(u, rangeOf(text, image))).filter((a) => a.title.startsWith('Pin'));
    assert.deepEqual(restricted.map((a) => [a.title, a.disabled?.reason, a.edit, a.command, a.data]), [
      [`Pin ${image} to its current digest`, 'Registries are not contacted in Restricted Mode: trust the workspace to pin images.', undefined, undefined, undefined],
      ['Pin to tag…', 'Registries are not contacted in Restricted Mode: trust the workspace to pin images.', undefined, undefined, undefined],
    ]);
    await c.hover(u, positionOf(text, 'team/app'));
    assert.equal(registry.requests, 0);
    await c.connection.sendNotification('k8sImageLint/workspaceTrusted');
    await until(async () => (await c.codeActions(u, rangeOf(text, image))).some((a) => a.title.startsWith('Pin') && !a.disabled), 'pin actions once trusted');
    await until(async () => (await c.pull(u)).some((d) => d.code === 'image-not-found'), 'image-not-found once trusted');
  });
});
