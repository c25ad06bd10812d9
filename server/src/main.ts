/**
 * The language server's entry point (bundled to `server/out/server.js`). `createConnection` picks the
 * transport from the command line: `--stdio`, `--node-ipc` or `--socket=PORT`.
 *
 * Over a stream (stdio), a message header the reader cannot parse (a corrupt `Content-Length`) leaves the stream
 * unreadable for good: the server then exits with status 1, so the client sees a crash and restarts it, instead of
 * a server that stays alive answering nothing.
 */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from './server';

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
