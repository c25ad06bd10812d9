/**
 * The real server, in-process over in-memory streams, driven through LSP as an editor would drive it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource, DiagnosticSeverity, LSPErrorCodes, TextDocumentSyncKind,
  type CodeAction, type CompletionList, type Diagnostic, type TextDocumentEdit,
} from 'vscode-languageserver/node';
import {
  applyWorkspaceEdit, fullCapabilities, LspClient, poll, positionOf, pushOnlyCapabilities, rangeOf, withClient,
} from './lspClient';
import { FLAWED_CONTAINERS } from '../helpers';

const DOCS = 'https://github.com/k8s-image-lint/k8s-image-lint/blob/main/docs/rules/';

/**
 * Two containers: one on `:latest` with no policy (line 7: `    image: nginx:latest`), one with a policy spelled
 * in the wrong case (line 10: `    imagePullPolicy: always`), in an indentless list under `spec.containers`.
 */
const POD = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', ...FLAWED_CONTAINERS.map((l) => `  ${l}`), ''].join('\n');

const sorted = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();
const byCode = (ds: Diagnostic[], code: string) => ds.find((d) => d.code === code);

let next = 0;
const uri = (ext = 'yaml') => `untitled:test-${++next}.${ext}`;

describe('initialize', () => {
  it('offers pull diagnostics, inlay hints and fix-all kinds to a client that supports them', async () => {
    await withClient({}, async (c) => {
      const caps = c.initializeResult.capabilities;
      assert.deepEqual(caps.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
      assert.deepEqual(caps.diagnosticProvider, { identifier: 'k8s-image-lint', interFileDependencies: true, workspaceDiagnostics: false });
      assert.equal(caps.hoverProvider, true);
      assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.k8sImageLint', 'source.pinDigests.k8sImageLint'], resolveProvider: false });
      assert.ok(caps.inlayHintProvider);
      assert.deepEqual(caps.completionProvider?.triggerCharacters, [':', ' ']);
      assert.equal(c.initializeResult.serverInfo?.name, 'k8s-image-lint');
    });
  });

  it('falls back to push diagnostics and no inlay hints for a client without them', async () => {
    await withClient({ capabilities: pushOnlyCapabilities() }, async (c) => {
      const caps = c.initializeResult.capabilities;
      assert.equal(caps.diagnosticProvider, undefined);
      assert.equal(caps.inlayHintProvider, undefined);
      assert.ok(caps.codeActionProvider);
    });
  });

  it('offers no code actions to a client that only understands Commands', async () => {
    const capabilities = fullCapabilities();
    delete capabilities.textDocument!.codeAction;
    await withClient({ capabilities }, async (c) => {
      assert.equal(c.initializeResult.capabilities.codeActionProvider, undefined);
    });
  });
});

describe('pull diagnostics', () => {
  it('a pull with the last resultId gets "unchanged" while the findings are the same, a full report once they change', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      type Report = { kind: string; resultId?: string; items?: Diagnostic[] };
      const pull = (previousResultId?: string) => c.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: u }, ...(previousResultId ? { previousResultId } : {}) }) as Promise<Report>;
      const first = await pull();
      assert.equal(first.kind, 'full');
      assert.ok(first.resultId);
      assert.deepEqual(await pull(first.resultId), { kind: 'unchanged', resultId: first.resultId });
      // An edit that changes no finding (a comment at the end) is still unchanged; one that moves findings is not.
      await c.change(u, `${POD}# a comment\n`);
      assert.deepEqual(await pull(first.resultId), { kind: 'unchanged', resultId: first.resultId });
      await c.change(u, `# a first line\n${POD}`);
      const moved = await pull(first.resultId);
      assert.equal(moved.kind, 'full');
      assert.notEqual(moved.resultId, first.resultId);
      assert.deepEqual(moved.items!.map((d) => d.range.start.line), first.items!.map((d) => d.range.start.line + 1));
      assert.equal((await pull('stale')).kind, 'full', 'an unknown resultId gets a full report');
    });
  });

  it('reports exact codes, ranges, severities, source, documentation links and data', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const ds = await c.pull(u);
      assert.deepEqual(sorted(ds), ['implicit-pull-policy', 'invalid-pull-policy', 'latest-tag']);
      const latest = byCode(ds, 'latest-tag')!;
      assert.deepEqual(latest.range, { start: { line: 7, character: 11 }, end: { line: 7, character: 23 } });
      assert.equal(latest.severity, DiagnosticSeverity.Warning);
      assert.equal(latest.source, 'k8s-image-lint');
      assert.deepEqual(latest.codeDescription, { href: `${DOCS}latest-tag.md` });
      assert.equal(latest.data, undefined, 'nothing rides along: the rule is the code');
      assert.equal(latest.message, '":latest" moves with every push; pin a version or a digest');
      const policy = byCode(ds, 'invalid-pull-policy')!;
      assert.deepEqual(policy.range, { start: { line: 10, character: 21 }, end: { line: 10, character: 27 } });
      assert.equal(policy.severity, DiagnosticSeverity.Error);
      assert.equal(byCode(ds, 'implicit-pull-policy')!.severity, DiagnosticSeverity.Hint);
    });
  });

  it('a client that restores source and links gets compact diagnostics, and what it is told restores them exactly', async () => {
    const full = await (async () => {
      let ds: Diagnostic[] = [];
      await withClient({}, async (c) => {
        const u = uri();
        await c.open(u, POD);
        ds = await c.pull(u);
      });
      return ds;
    })();
    await withClient({ initializationOptions: { compactDiagnostics: true } }, async (c) => {
      const restore = (c.initializeResult.capabilities.experimental as { compactDiagnostics: { source: string; docsBase: string; documented: string[] } }).compactDiagnostics;
      assert.ok(restore.documented.includes('latest-tag') && !restore.documented.includes('file-too-large'));
      const u = uri();
      await c.open(u, POD);
      const ds = await c.pull(u);
      assert.ok(ds.length > 0 && ds.every((d) => d.source === undefined && d.codeDescription === undefined));
      assert.ok(ds.every((d) => typeof d.code === 'number'), 'documented rules are sent as their index');
      const restored = ds.map((d) => {
        const code = typeof d.code === 'number' ? restore.documented[d.code] : d.code;
        return { ...d, source: restore.source, code, ...(restore.documented.includes(String(code)) ? { codeDescription: { href: `${restore.docsBase}${code}.md` } } : {}) };
      });
      assert.deepEqual(restored, full);
      assert.ok(JSON.stringify(ds).length < 0.6 * JSON.stringify(full).length);
    });
    await withClient({}, async (c) => assert.equal(c.initializeResult.capabilities.experimental, undefined, 'other clients are told nothing'));
  });

  it('lints JSON documents that hold Kubernetes objects, and no other JSON', async () => {
    await withClient({}, async (c) => {
      const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:latest' }] } }, null, 2);
      const manifest = uri('json');
      await c.open(manifest, pod, 'json');
      assert.deepEqual(sorted(await c.pull(manifest)), ['implicit-pull-policy', 'latest-tag']);
      const other = uri('json');
      await c.open(other, '{"name": "x", "scripts": {"kind": "latest"}}', 'json');
      assert.deepEqual(await c.pull(other), []);
    });
  });

  it('follows incremental changes', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      assert.ok(byCode(await c.pull(u), 'latest-tag'));
      // Replace `latest` with `1.27.2` on line 7 only.
      await c.edit(u, [{ range: { start: { line: 7, character: 17 }, end: { line: 7, character: 23 } }, text: '1.27.2' }]);
      const ds = await c.pull(u);
      assert.deepEqual(sorted(ds), ['implicit-pull-policy', 'invalid-pull-policy']);
      assert.deepEqual(ds[0].range, { start: { line: 7, character: 11 }, end: { line: 7, character: 23 } });
    });
  });

  it('counts characters in UTF-16 code units after emoji and accents on the same line', async () => {
    const text = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: x}', 'spec:', '  containers:', '  - {name: "🚀é", image: nginx:latest}', ''].join('\n');
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, text);
      const latest = byCode(await c.pull(u), 'latest-tag')!;
      // "  - {name: \"" is 12 units, 🚀 is 2 (a surrogate pair), é is 1, "\", image: " is 10.
      assert.deepEqual(latest.range, { start: { line: 5, character: 25 }, end: { line: 5, character: 37 } });
    });
  });

  it('reports nothing for documents that are not YAML', async () => {
    await withClient({}, async (c) => {
      const u = uri('txt');
      await c.open(u, POD, 'plaintext');
      assert.deepEqual(await c.pull(u), []);
      assert.equal(await c.hover(u, positionOf(POD, 'nginx')), null);
    });
  });

  it('analyses a .yaml file whatever language id the client gives it', async () => {
    await withClient({}, async (c) => {
      const u = uri('yaml');
      await c.open(u, POD, 'helm');
      assert.ok(byCode(await c.pull(u), 'latest-tag'));
    });
  });

  it('asks the client for settings once per document, not once per request', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      await c.pull(u);
      await c.hover(u, positionOf(POD, 'nginx'));
      await c.pull(u);
      assert.equal(c.requests.get('workspace/configuration'), 1);
    });
  });
});

describe('push diagnostics', () => {
  it('publishes on open and change with the document version, and clears on close', async () => {
    await withClient({ capabilities: pushOnlyCapabilities() }, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const first = await c.waitForPushed(u, (p) => p.version === 1);
      assert.deepEqual(sorted(first.diagnostics), ['implicit-pull-policy', 'invalid-pull-policy', 'latest-tag']);
      assert.equal(byCode(first.diagnostics, 'latest-tag')!.source, 'k8s-image-lint');

      await c.change(u, POD.replace('nginx:latest', 'nginx:1.27.2'));
      const second = await c.waitForPushed(u, (p) => p.version === 2);
      assert.equal(byCode(second.diagnostics, 'latest-tag'), undefined);

      await c.close(u);
      const closed = await c.waitForPushed(u, (p) => p.diagnostics.length === 0);
      assert.equal(closed.version, undefined);
    });
  });

  it('publishes nothing for documents that are not YAML', async () => {
    await withClient({ capabilities: pushOnlyCapabilities() }, async (c) => {
      const text = uri('txt');
      const yaml = uri();
      await c.open(text, POD, 'plaintext');
      await c.open(yaml, POD);
      await c.waitForPushed(yaml);
      assert.equal(c.pushed.has(text), false);
    });
  });
});

describe('hover, inlay hints, completion', () => {
  it('hovers an image with markdown over the image range', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const h = await c.hover(u, positionOf(POD, 'ginx:latest'));
      assert.ok(h && typeof h.contents === 'object' && 'kind' in h.contents);
      assert.equal(h.contents.kind, 'markdown');
      assert.match(h.contents.value, /docker\.io\/library\/nginx/);
      assert.deepEqual(h.range, rangeOf(POD, 'nginx:latest'));
      assert.equal(await c.hover(u, { line: 0, character: 0 }), null);
    });
  });

  it('shows the defaulted pull policy after an image without one', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const hints = await c.inlayHints(u, { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } });
      assert.deepEqual(hints?.map((h) => [h.position, h.label]), [[{ line: 7, character: 23 }, 'imagePullPolicy: Always']]);
    });
  });

  it('completes pull-policy values over the value typed so far', async () => {
    const text = POD.replace('imagePullPolicy: always', 'imagePullPolicy: If');
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, text);
      const list = (await c.completion(u, { line: 10, character: 23 })) as CompletionList;
      assert.deepEqual(list.items.map((i) => i.label), ['IfNotPresent', 'Always', 'Never']);
      assert.deepEqual(list.items[0].textEdit, { range: { start: { line: 10, character: 21 }, end: { line: 10, character: 23 } }, newText: 'IfNotPresent' });
      assert.equal(list.items[0].preselect, true);
    });
  });
});

describe('a Helm chart in the editor', () => {
  const chart = join(__dirname, '../../../test/fixtures/charts/web');
  const read = (rel: string) => require('node:fs').readFileSync(join(chart, rel), 'utf8') as string;
  const values = pathToFileURL(join(chart, 'values.yaml')).href;
  const template = pathToFileURL(join(chart, 'templates', 'deployment.yaml')).href;

  it('reports on the values lines while they are edited, and the template keeps its own', async () => {
    await withClient({}, async (c) => {
      await c.open(values, read('values.yaml'));
      await c.open(template, read('templates/deployment.yaml'));
      const lines = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line + 1} ${d.code}`).sort();
      assert.deepEqual(lines(await c.pull(values)), ['10 malformed-image-pull-secrets', '13 invalid-image-reference', '18 helm-numeric-tag', '5 invalid-pull-policy', '7 latest-tag']);
      assert.deepEqual(lines(await c.pull(template)), ['31 implicit-pull-policy', '31 latest-tag']);
      // The fix of the values line is offered there.
      const policy = (await c.pull(values)).find((d) => d.code === 'invalid-pull-policy')!;
      const actions = await c.codeActions(values, policy.range, { diagnostics: [policy], only: ['quickfix'] });
      assert.ok(actions.some((a) => 'title' in a && a.title === "Change to 'IfNotPresent'"), JSON.stringify(actions.map((a) => a.title)));
      // The template's image line: what it renders, from which values, and the policy in force.
      const line = read('templates/deployment.yaml').split('\n').findIndex((l) => l.includes('.Values.image.repository'));
      const h = await c.hover(template, { line, character: 22 });
      assert.ok(h && typeof h.contents === 'object' && 'value' in h.contents);
      assert.match(h.contents.value, /^\*\*Renders\*\* `nginx:latest` · from \[\.\.\/values\.yaml:4\]\(file:\/\/.*values\.yaml#L4\), \[\.\.\/values\.yaml:7\]\(file:\/\/.*values\.yaml#L7\)\n/);
      assert.match(h.contents.value, /\*\*Pull policy:\*\* `ifnotpresent` is not a pull policy/);
      const hints = await c.inlayHints(template, { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } });
      assert.deepEqual(hints?.map((x) => [x.position.line + 1, x.label]), [[23, '→ nginx:latest'], [26, '→ Ghcr.io/acme/Proxy:2.1'], [28, '→ ghcr.io/acme/exporter:1.1'], [31, 'imagePullPolicy: Always'], [31, '→ busybox:latest']]);
      // From the other side: the values line says which images it ends up in.
      const valuesLines = read('values.yaml').split('\n');
      const tagLine = valuesLines.findIndex((l) => l.trim() === 'tag: latest');
      const vh = await c.hover(values, { line: tagLine, character: 8 });
      assert.ok(vh && typeof vh.contents === 'object' && 'value' in vh.contents);
      assert.match(vh.contents.value, /^\*\*Renders\*\* into\n\n- `nginx:latest` in \[templates\/deployment\.yaml:23\]\(file:\/\/.*deployment\.yaml#L23\)\n/);
      // Go to definition: `.Values.image.tag` in the template, to `tag:` in values.yaml.
      const col = read('templates/deployment.yaml').split('\n')[line].indexOf('.Values.image.tag') + 15;
      const def = await c.connection.sendRequest('textDocument/definition', { textDocument: { uri: template }, position: { line, character: col } }) as { uri: string; range: { start: { line: number } } }[];
      assert.deepEqual(def.map((d) => [d.uri, d.range.start.line]), [[values, tagLine]]);
      // An unsaved edit of values.yaml is what the chart is rendered with.
      await c.change(values, read('values.yaml').replace('tag: latest', 'tag: 1.2.3').replace('tag: 1.10', 'tag: "1.10"'));
      assert.deepEqual(lines(await c.pull(values)), ['10 malformed-image-pull-secrets', '13 invalid-image-reference', '5 invalid-pull-policy']);
    });
  });

  it('a vendored subchart\'s template opened alone renders with its parent and the parent\'s values for it', async () => {
    const store = join(__dirname, '../../../test/fixtures/charts/store');
    const path = join(store, 'charts', 'cache', 'templates', 'statefulset.yaml');
    const text = require('node:fs').readFileSync(path, 'utf8') as string;
    const u = pathToFileURL(path).href;
    await withClient({}, async (c) => {
      await c.open(u, text);
      const line = text.split('\n').findIndex((l) => l.includes('.Values.image.repository'));
      const h = await c.hover(u, { line, character: 22 });
      assert.ok(h && typeof h.contents === 'object' && 'value' in h.contents);
      // The parent's `cache.image.tag: latest` and `global.pullPolicy`, not the subchart's own 7.4.1 and default.
      assert.match(h.contents.value, /^\*\*Renders\*\* `redis:latest` · from \[\.\.\/values\.yaml:3\].*\[\.\.\/\.\.\/\.\.\/values\.yaml:7\]/);
      assert.match(h.contents.value, /`ifnotpresent` is not a pull policy/);
    });
  });
});

describe('a Helm chart read from disk', () => {
  it('is read once, and again when the watcher reports a change under it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-chart-'));
    try {
      require('node:fs').cpSync(join(__dirname, '../../../test/fixtures/charts/web'), join(dir, 'web'), { recursive: true });
      const templatePath = join(dir, 'web', 'templates', 'deployment.yaml');
      const template = pathToFileURL(templatePath).href;
      const text = require('node:fs').readFileSync(templatePath, 'utf8') as string;
      const line = text.split('\n').findIndex((l: string) => l.includes('.Values.image.repository'));
      await withClient({}, async (c) => {
        await c.open(template, text);
        const renders = async () => {
          const h = await c.hover(template, { line, character: 22 });
          return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value.split('\n')[0] : '';
        };
        assert.match(await renders(), /^\*\*Renders\*\* `nginx:latest`/);
        const values = join(dir, 'web', 'values.yaml');
        writeFileSync(values, require('node:fs').readFileSync(values, 'utf8').replace('tag: latest', 'tag: 1.2.3'));
        assert.match(await renders(), /^\*\*Renders\*\* `nginx:latest`/, 'not read again without a change event');
        await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(values).href, type: 2 }] });
        // The notification is handled before the next request: the hover after it sees the new values.
        assert.match(await renders(), /^\*\*Renders\*\* `nginx:1\.2\.3`/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a packaged dependency that appears in charts/ renders the chart again, and its open files are diagnosed again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-chart-'));
    try {
      const fs = require('node:fs') as typeof import('node:fs');
      const fixtures = join(__dirname, '../../../test/fixtures/charts');
      fs.cpSync(join(fixtures, 'shop'), join(dir, 'shop'), { recursive: true });
      const templatePath = join(dir, 'shop', 'templates', 'deployment.yaml');
      const template = pathToFileURL(templatePath).href;
      await withClient({}, async (c) => {
        await c.open(template, fs.readFileSync(templatePath, 'utf8'));
        // Without its library `common`, the template cannot be rendered: only its literal text is judged.
        assert.deepEqual(sorted(await c.pull(template)), ['invalid-image-reference']);
        mkdirSync(join(dir, 'shop', 'charts'));
        const { createTar } = require('nanotar') as typeof import('nanotar');
        const files = ['Chart.yaml', 'templates/_images.tpl'].map((rel) => ({ name: `common/${rel}`, data: fs.readFileSync(join(fixtures, 'common', rel)) }));
        const archive = join(dir, 'shop', 'charts', 'common-2.0.0.tgz');
        writeFileSync(archive, require('node:zlib').gzipSync(createTar(files)));
        const before = c.requests.get('workspace/diagnostic/refresh') ?? 0;
        await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(archive).href, type: 1 }] });
        await poll(() => (c.requests.get('workspace/diagnostic/refresh') ?? 0) > before, 5000, 'a diagnostic refresh request');
        assert.deepEqual(sorted(await c.pull(template)), ['mutable-tag', 'stale-image-risk', 'stale-image-risk']);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a release manifest of a workspace chart gets what its values cause, with the fixes, and follows the chart', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'k8s-image-lint-release-'));
    try {
      const fs = require('node:fs') as typeof import('node:fs');
      mkdirSync(join(repo, '.git'));
      fs.cpSync(join(__dirname, '../../../test/fixtures/charts/web'), join(repo, 'charts', 'web'), { recursive: true });
      const text = [
        'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata: {name: web}', 'spec:', '  chart:', '    spec:', '      chart: ./charts/web',
        '      sourceRef: {kind: GitRepository, name: repo}', '  values:', '    image:', '      tag: "1.27"', '      pullPolicy: Allways', '',
      ].join('\n');
      const release = pathToFileURL(join(repo, 'release.yaml')).href;
      const templatePath = join(repo, 'charts', 'web', 'templates', 'deployment.yaml');
      const template = pathToFileURL(templatePath).href;
      await withClient({}, async (c) => {
        await c.open(release, text);
        const ds = await c.pull(release);
        assert.deepEqual(ds.map((d) => [d.range.start.line, d.code]), [[11, 'invalid-pull-policy']]);
        const fix = (await c.codeActions(release, ds[0].range)).find((a) => a.title.includes('Always'));
        assert.ok(fix?.edit, 'a fix in the release');
        assert.equal(applyWorkspaceEdit(text, fix.edit, release), text.replace('Allways', 'Always'));
        // An unsaved edit of the chart's template that no longer reads the policy: the release has nothing to say.
        const templateText = fs.readFileSync(templatePath, 'utf8');
        const before = c.requests.get('workspace/diagnostic/refresh') ?? 0;
        await c.open(template, templateText.replace('{{ .Values.image.pullPolicy }}', 'IfNotPresent'));
        await poll(() => (c.requests.get('workspace/diagnostic/refresh') ?? 0) > before, 5000, 'a diagnostic refresh request');
        assert.deepEqual(await c.pull(release), []);
      });
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('an open .k8s-image-lint.yaml', () => {
  const CONFIG = 'rules:\n  latest-tags: error\nregistry:\n  timeoutMs: 5\n';
  it('gets a diagnostic per unknown key, rule id or bad value, at its range; none beside Red Hat\'s validator', async () => {
    await withClient({}, async (c) => {
      const u = 'file:///w/.k8s-image-lint.yaml';
      await c.open(u, CONFIG);
      const ds = await c.pull(u);
      assert.deepEqual(ds.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.message]), [
        ['config-file', DiagnosticSeverity.Warning, 1, 2, 'rules: unknown rule id latest-tags (ignored)'],
        ['config-file', DiagnosticSeverity.Error, 3, 13, 'registry.timeoutMs must be a whole number from 100 to 300000, not 5'],
      ]);
    });
    await withClient({ initializationOptions: { companions: { yamlSchemaValidation: true } } }, async (c) => {
      const u = 'file:///w/.k8s-image-lint.yaml';
      await c.open(u, CONFIG);
      assert.deepEqual(await c.pull(u), []);
    });
  });
});

describe("beside Red Hat's YAML extension", () => {
  const BROKEN = POD.replace('imagePullPolicy: always', 'imagePullPolicy: [always');
  const companions = { yamlSchemaValidation: true };

  it('leaves syntax errors, the pull-policy values and their descriptions to it, and takes them back when it goes', async () => {
    await withClient({ initializationOptions: { companions } }, async (c) => {
      const u = uri();
      await c.open(u, BROKEN);
      assert.equal(byCode(await c.pull(u), 'yaml-syntax'), undefined, 'its validator reports syntax errors');
      await c.change(u, POD.replace('imagePullPolicy: always', 'imagePullPolicy: If'));
      assert.deepEqual(((await c.completion(u, { line: 10, character: 23 })) as CompletionList).items, []);
      await c.change(u, POD.replace('imagePullPolicy: always', 'imagePullPolicy: Never'));
      const h = await c.hover(u, positionOf(POD, 'imagePullPolicy'));
      assert.ok(h && typeof h.contents === 'object' && 'value' in h.contents);
      assert.doesNotMatch(h.contents.value, /`Never`: never pull/, 'the schema lists the values');
      assert.match(h.contents.value, /Without it, `busybox:1\.36` would default to `IfNotPresent`/, 'what a schema cannot say');

      await c.connection.sendNotification('k8sImageLint/companions', { yamlSchemaValidation: false });
      await poll(() => c.requests.get('workspace/diagnostic/refresh'), 5000, 'a diagnostic refresh request');
      await c.change(u, BROKEN);
      assert.ok(byCode(await c.pull(u), 'yaml-syntax'));
    });
  });

  it('keeps yaml-syntax where the user configured it', async () => {
    await withClient({ initializationOptions: { companions } }, async (c) => {
      c.configuration = (item) => (item.section === 'k8sImageLint' ? { rules: { 'yaml-syntax': 'warning' } } : null);
      const u = uri();
      await c.open(u, BROKEN);
      assert.equal(byCode(await c.pull(u), 'yaml-syntax')?.severity, DiagnosticSeverity.Warning);
    });
  });
});

describe('code actions', () => {
  const onPolicy = rangeOf(POD, 'always');

  it('offers quick fixes computed from the document, and applying one removes the diagnostic', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const diagnostic = byCode(await c.pull(u), 'invalid-pull-policy')!;
      // The request's diagnostic has a misleading message: fixes must not depend on it.
      const actions = await c.codeActions(u, diagnostic.range, { diagnostics: [{ ...diagnostic, message: 'nonsense' }], only: ['quickfix'] });
      const fix = actions.find((a) => a.title === "Change to 'Always'");
      assert.ok(fix, `no "Change to 'Always'" among ${actions.map((a) => a.title).join(', ')}`);
      assert.equal(fix.kind, 'quickfix');
      assert.equal(fix.diagnostics?.[0].code, 'invalid-pull-policy');
      const [change] = fix.edit!.documentChanges! as TextDocumentEdit[];
      assert.deepEqual(change.textDocument, { uri: u, version: 1 });

      const fixed = applyWorkspaceEdit(POD, fix.edit, u);
      assert.equal(fixed, POD.replace('imagePullPolicy: always', 'imagePullPolicy: Always'));
      await c.change(u, fixed);
      assert.equal(byCode(await c.pull(u), 'invalid-pull-policy'), undefined);
    });
  });

  it('uses plain `changes` for a client without documentChanges', async () => {
    await withClient({ capabilities: pushOnlyCapabilities() }, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const actions = await c.codeActions(u, onPolicy, { only: ['quickfix'] });
      const fix = actions.find((a) => a.title === "Change to 'Always'")!;
      assert.equal(fix.edit?.documentChanges, undefined);
      assert.equal(applyWorkspaceEdit(POD, fix.edit, u), POD.replace('always', 'Always'));
    });
  });

  for (const only of [['source.fixAll'], ['source'], ['source.fixAll.k8sImageLint']]) {
    it(`applies fix-all for context.only ${JSON.stringify(only)}, idempotently`, async () => {
      await withClient({}, async (c) => {
        const u = uri();
        await c.open(u, POD);
        // `source` also offers pinning every image to a digest (registry lookups default to `manual`).
        const notPinAll = (as: CodeAction[]) => as.filter((a) => a.kind !== 'source.pinDigests.k8sImageLint');
        const actions = notPinAll(await c.codeActions(u, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { only }));
        assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.k8sImageLint']);
        const fixed = applyWorkspaceEdit(POD, actions[0].edit, u);
        assert.match(fixed, /imagePullPolicy: Always/);
        await c.change(u, fixed);
        assert.deepEqual(notPinAll(await c.codeActions(u, onPolicy, { only })), []);
      });
    });
  }

  it('offers no fix-all for context.only quickfix, and no quick fixes for context.only source', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const quick = await c.codeActions(u, onPolicy, { only: ['quickfix'] });
      assert.ok(quick.length > 0 && quick.every((a: CodeAction) => a.kind === 'quickfix'));
      const source = await c.codeActions(u, onPolicy, { only: ['source'] });
      assert.ok(source.every((a: CodeAction) => a.kind === 'source.fixAll.k8sImageLint' || a.kind === 'source.pinDigests.k8sImageLint'));
      assert.deepEqual(await c.codeActions(u, onPolicy, { only: ['refactor'] }), []);
      assert.deepEqual(await c.codeActions(u, onPolicy, { only: ['sourceX'] }), []);
    });
  });
});

describe('settings', () => {
  it('re-reads workspace/configuration after didChangeConfiguration and asks the client to re-pull', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      assert.ok(byCode(await c.pull(u), 'latest-tag'));
      c.configuration = (item) => (item.section === 'k8sImageLint' ? { rules: { 'latest-tag': 'off' } } : null);
      await c.didChangeConfiguration();
      await poll(() => c.requests.get('workspace/diagnostic/refresh'), 5000, 'a diagnostic refresh request');
      const ds = await c.pull(u);
      assert.equal(byCode(ds, 'latest-tag'), undefined);
      assert.ok(byCode(ds, 'invalid-pull-policy'));
    });
  });

  it('takes initializationOptions.settings and pushed settings from a client without workspace/configuration', async () => {
    await withClient({ capabilities: pushOnlyCapabilities(), initializationOptions: { settings: { rules: { 'latest-tag': 'error' } } } }, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const first = await c.waitForPushed(u);
      assert.equal(byCode(first.diagnostics, 'latest-tag')!.severity, DiagnosticSeverity.Error);
      // Neovim sends the whole settings table, nested under the section name.
      await c.didChangeConfiguration({ k8sImageLint: { rules: { 'latest-tag': 'off' } } });
      await c.waitForPushed(u, (p) => byCode(p.diagnostics, 'latest-tag') === undefined);
      assert.equal(c.requests.get('workspace/configuration'), undefined);
    });
  });

  describe('.k8s-image-lint.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-lsp-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('applies the nearest config file to a file: document, under the editor settings', async () => {
      const project = join(dir, 'good');
      writeFileSync(join(mkdir(project), '.k8s-image-lint.yaml'), 'rules:\n  latest-tag: error\n  implicit-pull-policy: off\n');
      const fileUri = pathToFileURL(join(mkdir(join(project, 'deploy')), 'pod.yaml')).href;
      await withClient({ configuration: () => ({ rules: { 'invalid-pull-policy': 'warning' } }) }, async (c) => {
        await c.open(fileUri, POD);
        const ds = await c.pull(fileUri);
        assert.deepEqual(sorted(ds), ['invalid-pull-policy', 'latest-tag']);
        assert.equal(byCode(ds, 'latest-tag')!.severity, DiagnosticSeverity.Error);
        assert.equal(byCode(ds, 'invalid-pull-policy')!.severity, DiagnosticSeverity.Warning);
        // An untitled document has no directory, so no config file applies.
        const u = uri();
        await c.open(u, POD);
        assert.equal(byCode(await c.pull(u), 'latest-tag')!.severity, DiagnosticSeverity.Warning);
      });
    });

    it('re-reads the config file when the client reports it changed', async () => {
      const project = mkdir(join(dir, 'watched'));
      const config = join(project, '.k8s-image-lint.yaml');
      writeFileSync(config, 'rules: {latest-tag: error}\n');
      const fileUri = pathToFileURL(join(project, 'pod.yaml')).href;
      await withClient({}, async (c) => {
        await c.open(fileUri, POD);
        assert.equal(byCode(await c.pull(fileUri), 'latest-tag')!.severity, DiagnosticSeverity.Error);
        assert.equal(c.requests.get('client/registerCapability'), 1);
        writeFileSync(config, 'rules: {latest-tag: off}\n');
        await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
        await poll(() => c.requests.get('workspace/diagnostic/refresh'), 5000, 'a diagnostic refresh request');
        assert.equal(byCode(await c.pull(fileUri), 'latest-tag'), undefined);
      });
    });

    it('warns once about a broken config file and lints with the defaults', async () => {
      const project = mkdir(join(dir, 'broken'));
      writeFileSync(join(project, '.k8s-image-lint.yaml'), 'rules: [unclosed\n');
      const a = pathToFileURL(join(project, 'a.yaml')).href;
      const b = pathToFileURL(join(project, 'b.yaml')).href;
      await withClient({}, async (c) => {
        await c.open(a, POD);
        await c.open(b, POD);
        assert.equal(byCode(await c.pull(a), 'latest-tag')!.severity, DiagnosticSeverity.Warning);
        await c.pull(b);
        await c.didChangeConfiguration();
        await c.pull(a);
        assert.equal(c.messages.length, 1);
        assert.equal(c.messages[0].type, 2 /* Warning */);
        assert.match(c.messages[0].message, /\.k8s-image-lint\.yaml/);
        assert.match(c.messages[0].message, /not valid YAML/);
      });
    });
  });
});

describe('robustness', () => {
  const garbage: [string, string][] = [
    ['binary', Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('')],
    ['10k nested brackets', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['10k nested maps', Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n')],
    ['unterminated everything', 'apiVersion: v1\nkind: Pod\nspec: {containers: [{image: "nginx'],
    ['a kind: List of garbage', 'apiVersion: v1\nkind: List\nitems: [1, null, [], {spec: {containers: 7}}]\n'],
  ];
  for (const [name, text] of garbage) {
    it(`answers every request on ${name} and keeps serving`, async () => {
      await withClient({}, async (c) => {
        const u = uri();
        await c.open(u, text);
        assert.ok(Array.isArray(await c.pull(u)));
        await c.hover(u, { line: 0, character: 3 });
        await c.codeActions(u, { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } });
        await c.inlayHints(u, { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } });
        await c.completion(u, { line: 0, character: 1 });
        const ok = uri();
        await c.open(ok, POD);
        assert.ok(byCode(await c.pull(ok), 'latest-tag'));
      });
    });
  }

  it('reports a file over maxFileSizeKb once, as information, without analysing it', async () => {
    const big = POD + '# padding\n'.repeat(200);
    await withClient({ configuration: () => ({ maxFileSizeKb: 1 }) }, async (c) => {
      const u = uri();
      await c.open(u, big);
      const ds = await c.pull(u);
      assert.equal(ds.length, 1);
      assert.equal(ds[0].code, 'file-too-large');
      assert.equal(ds[0].severity, DiagnosticSeverity.Information);
      assert.equal(ds[0].codeDescription, undefined);
    });
  });

  it('answers positions outside the document and unknown documents', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      assert.equal(await c.hover(u, { line: 999, character: 999 }), null);
      assert.deepEqual(await c.codeActions(u, { start: { line: 999, character: 0 }, end: { line: 999, character: 5 } }, { only: ['quickfix'] }), []);
      assert.deepEqual(await c.pull('untitled:never-opened.yaml'), []);
    });
  });

  it('honours cancellation and keeps serving', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const source = new CancellationTokenSource();
      const pending = c.connection.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: positionOf(POD, 'nginx') }, source.token);
      source.cancel();
      await assert.rejects(pending, (e: { code?: number }) => e.code === LSPErrorCodes.RequestCancelled);
      assert.ok(await c.hover(u, positionOf(POD, 'nginx')));
    });
  });
});

function mkdir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
