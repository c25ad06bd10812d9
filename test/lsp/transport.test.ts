/**
 * The shipped bundle `server/out/server.js` over each transport an editor may pick: initialize, one
 * diagnostic round trip, then shutdown + exit, and the process must end with code 0.
 */
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';
import { LspClient } from './lspClient';

// out/test/lsp → the repository root.
const SERVER = join(__dirname, '..', '..', '..', 'server', 'out', 'server.js');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n';

/** Initialize, pull diagnostics for one document, shut down, and check the process exits cleanly. */
async function roundTrip(child: ChildProcess, reader: MessageReader, writer: MessageWriter): Promise<void> {
  const exited = once(child, 'exit');
  try {
    const client = await LspClient.over(reader, writer, { processId: process.pid });
    assert.ok(client.initializeResult.capabilities.diagnosticProvider);
    await client.open('file:///tmp/k8s-image-lint-transport/pod.yaml', POD);
    const ds = await client.pull('file:///tmp/k8s-image-lint-transport/pod.yaml');
    assert.ok(ds.some((d) => d.code === 'latest-tag' && d.range.start.line === 6 && d.range.start.character === 11));
    await client.shutdown({ exit: true });
    const [code] = await withTimeout(exited, 5000, 'the server process to exit');
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

describe('server bundle transports', () => {
  it('--stdio', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    await roundTrip(child, new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  });

  it('--node-ipc', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    await roundTrip(child, new IPCMessageReader(child), new IPCMessageWriter(child));
  });

  it('--socket=PORT', async () => {
    // The server connects to the port, so the client listens first.
    const listener = createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const port = (listener.address() as AddressInfo).port;
    const accepted = once(listener, 'connection') as Promise<[Socket]>;
    const child = spawn(process.execPath, [SERVER, `--socket=${port}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [socket] = await withTimeout(accepted, 5000, 'the server to connect');
      await roundTrip(child, new StreamMessageReader(socket), new StreamMessageWriter(socket));
      socket.destroy();
    } finally {
      listener.close();
      if (child.exitCode === null) child.kill();
    }
  });
});

describe('a corrupt stream', () => {
  it('a Content-Length that is not a number: the server exits (status 1) so the client restarts it', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = once(child, 'exit');
    child.stdin!.write('Content-Length: abc\r\n\r\n{}');
    try {
      const [code] = await withTimeout(exited, 5000, 'the server process to exit');
      assert.equal(code, 1);
      assert.match(stderr, /message stream is corrupt/);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});
