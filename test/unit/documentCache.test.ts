// Incremental parsing: a DocumentCache must give exactly what a whole-file parse gives, after any sequence of
// edits, while re-parsing only the YAML documents an edit touched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Document } from 'yaml';
import { DocumentCache, parseChunk } from '../../server/src/service/parse/documentCache';
import { splitDocuments } from '../../server/src/service/parse/split';
import { analyzeText, b64, settingsWith, yaml } from '../helpers';
import { analyze } from '../../server/src/service/analyze';
import { Lines } from '../../server/src/service/text/lines';
import { WorkspaceIndex } from '../../server/src/service/workspace/index';

/**
 * Everything a parse result is used for: document ranges, contents and every node's range, errors. Empty
 * documents (markers and comments only, no content, no error) are left out: the cache does not parse them.
 */
function shape(all: Document.Parsed[]): unknown {
  const empty = (d: Document.Parsed) => {
    const c = d.contents as { value?: unknown; range?: number[] } | null;
    return d.errors.length === 0 && (c === null || (c.value === null && c.range !== undefined && c.range[0] === c.range[1]));
  };
  const docs = all.filter((d) => !empty(d));
  const nodes = (doc: Document.Parsed) => {
    const out: unknown[] = [];
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      const node = n as { range?: number[]; items?: unknown[]; key?: unknown; value?: unknown };
      if (node.range) out.push(node.range);
      if (Array.isArray(node.items)) node.items.forEach(walk);
      if ('key' in node) walk(node.key);
      if ('value' in node && typeof node.value === 'object') walk(node.value);
    };
    walk(doc.contents);
    return out;
  };
  return docs.map((d) => ({ range: d.range, json: safeJson(d), errors: d.errors.map((e) => [e.code, e.pos]), nodes: nodes(d) }));
}

function safeJson(doc: Document.Parsed): string {
  try {
    return JSON.stringify(doc.toJS({ maxAliasCount: -1 }));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const pod = (name: string, image: string) => ['apiVersion: v1', 'kind: Pod', `metadata: {name: ${name}}`, 'spec:', '  containers:', `  - name: ${name}`, `    image: ${image}`];
const multi = yaml('# leading comment', ...pod('a', 'nginx'), '---', ...pod('b', 'redis:latest'), '--- # third', ...pod('c', 'NGINX'), '---', '', '...', '---', ...pod('d', 'busybox:1.36'));

describe('DocumentCache', () => {
  it('cuts at column-0 document markers only', () => {
    const text = 'a: 1\n---\nb: "--- not a marker"\n  ---\n--- |\n  x\n----\n';
    assert.deepEqual(splitDocuments(text).map(([s, e]) => text.slice(s, e)), ['a: 1\n', '---\nb: "--- not a marker"\n  ---\n', '--- |\n  x\n----\n']);
  });

  it('parses like a whole-file parse, and reuses untouched documents with shifted ranges', () => {
    const cache = new DocumentCache();
    const first = cache.parse(multi);
    assert.deepEqual(shape(first), shape(parseChunk(multi)));
    const edited = multi.replace('redis:latest', 'redis:7.4.1-alpine');
    const second = cache.parse(edited);
    assert.deepEqual(shape(second), shape(parseChunk(edited)));
    assert.equal(second[0], first[0], 'the document before the edit is reused');
    assert.notEqual(second[1], first[1], 'the edited document is parsed again');
    assert.equal(second[2], first[2], 'the document after the edit is reused, its ranges shifted');
  });

  it('stays equal to a whole-file parse through a sequence of edits, and so do the findings', () => {
    const cache = new DocumentCache();
    const settings = settingsWith();
    let text = multi;
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const inserts = ['x', '\n', '---\n', ': ', '- ', '"', '#', '  ', 'image: nginx\n', '{', ']'];
    for (let i = 0; i < 300; i++) {
      const at = rand(text.length + 1);
      text = rand(3) === 0 && text.length > 0
        ? text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + rand(5)))
        : text.slice(0, at) + inserts[rand(inserts.length)] + text.slice(at);
      assert.deepEqual(shape(cache.parse(text)), shape(parseChunk(text)), `after edit ${i}: ${JSON.stringify(text)}`);
      const incremental = analyze(text, settings, { documents: new DocumentCache() }).findings;
      assert.deepEqual(analyze(text, settings, { documents: cache }).findings.map(strip), analyzeText(text).findings.map(strip), `findings after edit ${i}`);
      assert.ok(incremental);
    }
  });

  it('keeps findings of unchanged documents and re-judges cross-document ones, equal to a fresh analysis', () => {
    // Secrets in one document, pods using them in others: an edit of the Secret must change the pods' findings
    // although their documents (and their cached local findings) did not change.
    const secret = (name: string) => ['apiVersion: v1', 'kind: Secret', `metadata: {name: ${name}}`, 'type: kubernetes.io/dockerconfigjson',
      `data: {.dockerconfigjson: ${b64(JSON.stringify({ auths: { 'registry.example.com': { auth: b64('u:p') } } }))}}`];
    const user = (name: string, image: string, pullSecret: string) => [...pod(name, image), '  imagePullSecrets:', `  - name: ${pullSecret}`];
    let text = yaml(...secret('regcred'), '---', ...user('a', 'registry.example.com/app:1.0', 'regcred'), '---',
      ...pod('b', 'registry.example.com/other'), '---', ...user('c', 'ghcr.io/x/y:latest', 'missing'), '# k8s-image-lint-disable-next-line latest-tag',
      '---', ...pod('d', 'nginx:latest'));
    const cache = new DocumentCache();
    // A workspace (empty but for this file) makes the "not found" rules speak.
    const index = new WorkspaceIndex();
    const plain = settingsWith();
    const strict = settingsWith({ rules: { 'missing-tag': 'error', 'implicit-pull-policy': 'off' } });
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const inserts = ['x', '\n', '---\n', 'regcred', 'missing', ':latest', '@sha256:' + 'a'.repeat(64), '# k8s-image-lint-disable-file\n', '  ', '"'];
    for (let i = 0; i < 300; i++) {
      const at = rand(text.length + 1);
      text = rand(3) === 0 && text.length > 0
        ? text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + rand(8)))
        : text.slice(0, at) + inserts[rand(inserts.length)] + text.slice(at);
      const settings = i % 50 < 40 ? plain : strict;
      const cached = analyze(text, settings, { documents: cache, workspace: index });
      const fresh = analyze(text, settings, { workspace: index });
      assert.deepEqual(cached.findings.map(strip), fresh.findings.map(strip), `findings after edit ${i}: ${JSON.stringify(text)}`);
      assert.deepEqual(cached.images.map((f) => [f.image, f.range, f.policyRange]), fresh.images.map((f) => [f.image, f.range, f.policyRange]), `image facts after edit ${i}`);
    }
  });

  it('updates line starts from the last version like a full scan, whatever the edit', () => {
    const cache = new DocumentCache();
    let text = multi;
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const inserts = ['\n', '\n\n', 'x', 'ab\ncd', '\r\n', '\r', ''];
    const starts = (l: Lines) => Array.from({ length: l.count }, (_, i) => l.start(i));
    for (let i = 0; i < 400; i++) {
      const at = rand(text.length + 1);
      const cut = rand(3) === 0 ? rand(12) : 0;
      text = text.slice(0, at) + inserts[rand(inserts.length)] + text.slice(Math.min(text.length, at + cut));
      if (i === 200) text = text.replace(/\r/g, '');
      assert.deepEqual(starts(cache.lines(text)), starts(new Lines(text)), `after edit ${i}: ${JSON.stringify(text)}`);
    }
  });

  it('gives the corpus files the same parse', { skip: !existsSync(corpusDir()) && 'corpus not found' }, () => {
    let files = 0;
    for (const path of yamlFiles(corpusDir())) {
      const text = readFileSync(path, 'utf8');
      assert.deepEqual(shape(new DocumentCache().parse(text)), shape(parseChunk(text)), path);
      files++;
    }
    assert.ok(files > 100);
  });
});

const strip = (f: { ruleId: string; severity: string; range: unknown; message: string; fixes: unknown }) => ({ ruleId: f.ruleId, severity: f.severity, range: f.range, message: f.message, fixes: f.fixes });

function corpusDir(): string {
  return resolve(process.env.K8S_IMAGE_LINT_CORPUS ?? resolve(process.cwd(), '../shared/corpus'));
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe('DocumentCache.warm', () => {
  it('parsing ahead gives what parsing at once gives, equal documents never sharing nodes', async () => {
    const one = yaml(...pod('web', 'nginx:1.27'));
    const text = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? one : yaml(...pod(`p${i}`, `app:${i}`)))).join('---\n');
    const cache = new DocumentCache();
    await cache.warm(text);
    const warmed = cache.parse(text);
    assert.deepEqual(shape(warmed), shape(parseChunk(text)));
    const contents = new Set(warmed.map((d) => d.contents));
    assert.equal(contents.size, warmed.length, 'every document has its own nodes');
    // An edit afterwards moves the reused chunks as usual.
    const edited = `# head\n${text}`;
    assert.deepEqual(shape(cache.parse(edited)), shape(parseChunk(edited)));
  });
});
