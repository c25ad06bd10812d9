/**
 * The language server's entry point (bundled to `server/out/server.js`). `createConnection` picks the
 * transport from the command line: `--stdio`, `--node-ipc` or `--socket=PORT`.
 *
 * Over a stream (stdio), a message header the reader cannot parse (a corrupt `Content-Length`) leaves the stream
 * unreadable for good: the server then exits with status 1, so the client sees a crash and restarts it, instead of
 * a server that stays alive answering nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from './server';

/**
 * Collect sooner. Every edit of a large document leaves its old text and diagnostics behind (5 MB and 1.5 MB for
 * a 5 MB file) while what stays alive barely changes; by default V8 lets the old generation grow to several
 * times the live size before a full collection, so the server's memory climbed by 500 MB over 100 edits. Growing
 * it by 25 % of the live size at most keeps that growth near 80 MB, for a few milliseconds more per edit
 * (docs/performance.md). Set before anything is allocated; a user's own `--heap-growing-percent` wins.
 */
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) setFlagsFromString('--heap-growing-percent=25');

if (process.argv.includes('--stdio')) {
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout);
  reader.onError((e) => {
    process.stderr.write(`k8s-image-lint: the client's message stream is corrupt (${e.message}); exiting so that the client restarts the server.\n`);
    process.exit(1);
  });
  startServer(createConnection(ProposedFeatures.all, reader, writer));
} else {
  startServer(createConnection(ProposedFeatures.all));
}
