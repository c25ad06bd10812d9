/**
 * The server under malformed and out-of-order traffic: requests for documents it never saw, changes before
 * opens, stale versions, positions past the end, cancelled requests, a document over maxFileSizeKb, binary
 * garbage, pathological nesting, and requests after shutdown. After each, the server must still answer a
 * diagnostic and a hover round trip on a normal document.
 *
 * Most run in-process (LspClient.inProcess). Inputs that may kill the process run against the shipped bundle
 * `server/out/server.js --stdio` in a child process, so a crash is seen as an exit rather than taking the test
 * runner down with it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CancellationTokenSource, DiagnosticSeverity, LSPErrorCodes, ResponseError, StreamMessageReader, StreamMessageWriter,
  type Diagnostic, type Position,
} from 'vscode-languageserver/node';
import { LspClient, positionOf, pushOnlyCapabilities, withClient } from './lspClient';

const SERVER = join(__dirname, '..', '..', '..', 'server', 'out', 'server.js');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n';

let next = 0;
const uri = () => `file:///tmp/k8s-image-lint-resilience/doc-${++next}.yaml`;

/** The server still works: a fresh document gets its diagnostics and a hover on its image. */
async function stillAnswers(c: LspClient, push = false): Promise<void> {
  const u = uri();
  await c.open(u, POD);
  const ds: Diagnostic[] = push ? (await c.waitForPushed(u, (p) => p.diagnostics.length > 0)).diagnostics : await c.pull(u);
  assert.ok(ds.some((d) => d.code === 'latest-tag'), `latest-tag expected, got ${ds.map((d) => d.code).join(', ')}`);
  const h = await c.hover(u, positionOf(POD, 'nginx:latest'));
  assert.match(JSON.stringify(h?.contents ?? ''), /nginx/);
  await c.close(u);
}

/** Resolves with the request's result, or with the ResponseError it was answered with. */
async function settle<T>(p: Promise<T>): Promise<T | ResponseError<unknown>> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ResponseError) return e;
    throw e;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A deterministic byte soup: NULs, control characters, lone surrogates, invalid UTF-8 decoded as U+FFFD. */
function garbage(length: number, seed: number): string {
  let x = seed;
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x >> 16;
  }
  return bytes.toString('utf8') + '\ud800 \udfff \u0000\u0001\u001b[31m';
}

describe('unknown documents', () => {
  it('every request about a document never opened gets a neutral answer', async () => {
    await withClient({}, async (c) => {
      const u = 'file:///tmp/k8s-image-lint-resilience/never-opened.yaml';
      const at: Position = { line: 0, character: 0 };
      const range = { start: at, end: { line: 3, character: 0 } };
      assert.deepEqual(await c.pull(u), []);
      assert.equal(await c.hover(u, at), null);
      assert.equal(await c.completion(u, at), null);
      assert.deepEqual(await c.codeActions(u, range), []);
      assert.deepEqual(await c.codeActions(u, range, { only: ['source.fixAll.k8sImageLint'] }), []);
      assert.equal(await c.inlayHints(u, range), null);
      assert.equal(await c.connection.sendRequest('textDocument/definition', { textDocument: { uri: u }, position: at }), null);
      // Notifications about it are ignored, not fatal.
      await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: 2 }, contentChanges: [{ text: POD }] });
      await c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
      await c.connection.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
      assert.deepEqual(await c.pull(u), []);
      await stillAnswers(c);
    });
  });

  it('a change before the open is ignored; the open that follows is analysed', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: u, version: 5 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: 'x' }],
      });
      await c.open(u, POD);
      assert.ok((await c.pull(u)).some((d) => d.code === 'latest-tag'));
      await stillAnswers(c);
    });
  });

  it('a document opened twice, or closed twice, keeps the server answering', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      await c.open(u, POD.replace('nginx:latest', 'nginx:1.27'));
      assert.ok(!(await c.pull(u)).some((d) => d.code === 'latest-tag'));
      await c.close(u);
      await c.close(u);
      assert.deepEqual(await c.pull(u), []);
      await stillAnswers(c);
    });
  });
});

describe('versions and positions', () => {
  it('a stale version (lower than the last) is taken as the new text; a later edit is analysed normally', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      await c.change(u, POD.replace('nginx:latest', 'nginx:1.27'));
      await c.change(u, POD.replace('nginx:latest', 'busybox'));
      assert.ok((await c.pull(u)).some((d) => d.code === 'missing-tag'));
      // Version 1 again, then a version equal to the current one: protocol violations a buggy client may send.
      for (const version of [1, c.version(u)!]) {
        await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: [{ text: POD }] });
        const ds = await c.pull(u);
        for (const d of ds) assert.ok(d.range.end.line <= POD.split('\n').length, `a range past the text: ${JSON.stringify(d.range)}`);
      }
      await c.edit(u, [{ text: POD.replace('nginx:latest', 'nginx:1.27') }]);
      await c.edit(u, [{ text: POD }]);
      assert.ok((await c.pull(u)).some((d) => d.code === 'latest-tag'));
      await stillAnswers(c);
    });
  });

  it('an incremental change with a range past the end of the document is clamped, not fatal', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      await c.edit(u, [{ range: { start: { line: 500, character: 3 }, end: { line: 900, character: 0 } }, text: '# tail\n' }]);
      await c.edit(u, [{ range: { start: { line: 7, character: 500 }, end: { line: 2, character: 0 } }, text: '' }]);
      await c.pull(u);
      await stillAnswers(c);
    });
  });

  it('positions and ranges past the end (or negative) get answers, never errors', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      await c.open(u, POD);
      const positions: Position[] = [
        { line: 1_000_000, character: 1_000_000 }, { line: 7, character: 10_000 }, { line: 0, character: 2 ** 31 - 1 },
        { line: -1, character: -1 }, { line: 3.5, character: 1.5 },
      ];
      for (const p of positions) {
        await c.hover(u, p);
        await c.completion(u, p);
        await c.connection.sendRequest('textDocument/definition', { textDocument: { uri: u }, position: p });
        await c.codeActions(u, { start: p, end: p });
        await c.codeActions(u, { start: { line: 0, character: 0 }, end: p });
        await c.inlayHints(u, { start: { line: 0, character: 0 }, end: p });
        await c.inlayHints(u, { start: p, end: { line: 0, character: 0 } });
      }
      await stillAnswers(c);
    });
  });
});

describe('cancellation', () => {
  it('requests cancelled at once or in flight are answered (RequestCancelled or a result), and the server goes on', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      // A large multi-document file, so that its analysis is in flight for a while.
      const big = Array.from({ length: 3000 }, (_, i) => POD.replace('name: web', `name: web-${i}`)).join('---\n');
      await c.open(u, big);
      const pending: Promise<unknown>[] = [];
      const sources: CancellationTokenSource[] = [];
      for (const method of ['textDocument/diagnostic', 'textDocument/hover', 'textDocument/codeAction', 'textDocument/inlayHint', 'textDocument/completion']) {
        const source = new CancellationTokenSource();
        sources.push(source);
        const at = positionOf(big, 'nginx:latest');
        const params = {
          textDocument: { uri: u }, position: at, range: { start: { line: 0, character: 0 }, end: { line: 50, character: 0 } },
          context: { diagnostics: [], only: ['quickfix', 'source.fixAll.k8sImageLint'] },
        };
        pending.push(settle(c.connection.sendRequest(method, params, source.token)));
      }
      sources[0].cancel();
      sources[1].cancel();
      setTimeout(() => sources.slice(2).forEach((s) => s.cancel()), 20);
      const answers = await withTimeout(Promise.all(pending), 30_000, 'the cancelled requests to be answered');
      for (const a of answers) {
        if (a instanceof ResponseError) assert.equal(a.code, LSPErrorCodes.RequestCancelled, a.message);
      }
      // A change cancels nothing it should not: the next pull is complete.
      await c.change(u, big.replace('nginx:latest', 'nginx:1.27'));
      const ds = await c.pull(u);
      assert.equal(ds.filter((d) => d.code === 'latest-tag').length, 2999);
      await stillAnswers(c);
    });
  });
});

describe('hostile content', () => {
  it('a document over maxFileSizeKb gets one information diagnostic, at once', async () => {
    await withClient({}, async (c) => {
      const u = uri();
      const huge = POD + `# ${'x'.repeat(5130 * 1024)}\n`;
      await c.open(u, huge);
      const started = Date.now();
      const ds = await c.pull(u);
      const ms = Date.now() - started;
      assert.equal(ds.length, 1);
      assert.equal(ds[0].code, 'file-too-large');
      assert.equal(ds[0].severity, DiagnosticSeverity.Information);
      assert.ok(ms < 2000, `the too-large notice took ${ms} ms`);
      assert.equal(await c.hover(u, positionOf(huge, 'nginx')), null);
      assert.deepEqual((await c.codeActions(u, ds[0].range, { diagnostics: ds })).filter((a) => a.title.startsWith('Disable')), []);
      await stillAnswers(c);
    });
  });

  it('a document over maxFileSizeKb is pushed its one notice too (clients without pull diagnostics)', async () => {
    await withClient({ capabilities: pushOnlyCapabilities() }, async (c) => {
      const u = uri();
      await c.open(u, `${POD}# ${'x'.repeat(5130 * 1024)}\n`);
      const pushed = await c.waitForPushed(u, (p) => p.diagnostics.length > 0, 10_000);
      assert.deepEqual(pushed.diagnostics.map((d) => d.code), ['file-too-large']);
      await stillAnswers(c, true);
    });
  });

  it('binary garbage, NULs and lone surrogates: every request answers', async () => {
    await withClient({}, async (c) => {
      for (let seed = 1; seed <= 5; seed++) {
        const u = uri();
        const text = garbage(20_000, seed);
        await c.open(u, text);
        await c.pull(u);
        await c.hover(u, { line: 0, character: 3 });
        await c.completion(u, { line: 1, character: 1 });
        await c.codeActions(u, { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } });
        await c.inlayHints(u, { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } });
        // Garbage spliced into a real manifest still lets the manifest's own findings through.
        await c.change(u, POD + text);
        await c.pull(u);
      }
      await stillAnswers(c);
    });
  });
});

/** The shipped bundle over stdio, with its exit recorded. */
async function spawned(): Promise<{ client: LspClient; child: ChildProcess; exited: Promise<[number | null, NodeJS.Signals | null]>; stderr: () => string }> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const client = await LspClient.over(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!), { processId: process.pid });
  return { client, child, exited, stderr: () => stderr };
}

/** Opens `text` and works it over (diagnostics, hover, fix-all, edits) `rounds` times; fails if the server dies. */
async function survives(text: string, rounds = 4): Promise<void> {
  const { client: c, child, exited, stderr } = await spawned();
  let finishing = false;
  const died = exited.then(([code, signal]) => {
    if (finishing) return;
    throw new Error(`the server died (exit ${code}, ${signal}): ${stderr().split('\n').find((l) => l.includes('FATAL')) ?? stderr().slice(-300)}`);
  });
  try {
    await Promise.race([died, (async () => {
      const u = uri();
      await c.open(u, text);
      for (let i = 0; i < rounds; i++) {
        await c.pull(u);
        await c.hover(u, { line: 0, character: 4 });
        await c.codeActions(u, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { only: ['source.fixAll.k8sImageLint'] });
        await c.change(u, `${text}# edit ${i}\n`);
      }
      await stillAnswers(c);
      finishing = true;
      await c.shutdown({ exit: true });
      const [code] = await withTimeout(exited, 5000, 'the server to exit');
      assert.equal(code, 0);
    })()]);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

describe('pathological nesting (the bundle, in a child process)', () => {
  it('100k-deep flow sequence after a key', async () => {
    await survives(`apiVersion: v1\nkind: Pod\nspec:\n  x: ${'['.repeat(100_000)}\n`);
  });

  it('100k-deep flow maps, closed', async () => {
    await survives(`apiVersion: v1\nkind: Pod\nspec: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`);
  });

  // These two aborted the server (SIGABRT inside yaml) until parse/documentCache.ts refused such nesting.
  it('100k-deep flow sequence at the start of a line', async () => {
    await survives(`${'['.repeat(100_000)}\napiVersion: v1\nkind: Pod\n`);
  });

  it('100k-deep block sequence of dashes', async () => {
    await survives(`${'- '.repeat(100_000)}x\n`);
  });
});

describe('after shutdown', () => {
  it('requests after shutdown are answered (an error or a neutral result) and exit ends the process with 0', async () => {
    const { client: c, child, exited } = await spawned();
    try {
      const u = uri();
      await c.open(u, POD);
      await c.pull(u);
      await c.connection.sendRequest('shutdown');
      const answers = await withTimeout(Promise.all([
        settle(c.hover(u, positionOf(POD, 'nginx'))),
        settle(c.pull(u)),
        settle(c.codeActions(u, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } })),
      ]), 5000, 'answers after shutdown');
      for (const a of answers) {
        if (a instanceof ResponseError) assert.ok(typeof a.code === 'number');
      }
      await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: 9 }, contentChanges: [{ text: '' }] });
      await c.connection.sendNotification('exit');
      const [code] = await withTimeout(exited, 5000, 'the server to exit');
      assert.equal(code, 0);
      c.dispose();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
  });
});

describe('a huge document does not hold the others up', () => {
  it('while 40,000 documents are parsed, another document is answered first', async () => {
    await withClient({}, async (c) => {
      const big = 'untitled:huge.yaml';
      const small = 'untitled:small.yaml';
      const pod = (i: number) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  containers: [{name: a, image: "nginx:1.27"}]\n`;
      await c.open(big, Array.from({ length: 40_000 }, (_, i) => pod(i)).join(''));
      await c.open(small, 'apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  containers: [{name: a, image: nginx}]\n');
      const order: string[] = [];
      const bigPull = c.pull(big).then((ds) => order.push(`big:${ds.length}`));
      // Sent after the big one: served while it is still being parsed.
      await new Promise((r) => setTimeout(r, 50));
      await c.pull(small).then((ds) => order.push(`small:${ds.some((d) => d.code === 'missing-tag')}`));
      await bigPull;
      assert.deepEqual(order, ['small:true', 'big:40000']);
    });
  });
});
