/// <reference types="mocha" />
/** The language server is restarted when its process dies, and serves the open documents again. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { diagnosticsBecome, open, until } from './helpers';

/** Pids of language servers started by this extension host (the client forks them, so they are our children). */
function serverPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('server/out/server.js')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

suite('Kubernetes Image Lint server lifecycle', () => {
  test('restarts the language server after it is killed', async function () {
    if (process.platform !== 'linux') this.skip();
    const { document } = await open('deployment.yaml');
    const [before] = await until('the language server process', () => (serverPids().length === 1 ? serverPids() : null));
    process.kill(before, 'SIGKILL');
    const [after] = await until('a new language server process', () => {
      const pids = serverPids();
      return pids.length === 1 && pids[0] !== before ? pids : null;
    });
    assert.notEqual(after, before);
    // The new server serves the open document: an edit is diagnosed by it.
    const editor = await open('deployment.yaml');
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(17, 17, 17, 29), 'busybox')));
    await diagnosticsBecome(document.uri, [
      'implicit-pull-policy hint 15:17-15:29', 'invalid-pull-policy error 18:27-18:33', 'latest-tag warning 15:17-15:29', 'missing-tag warning 17:17-17:24',
    ]);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
