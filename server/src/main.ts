/**
 * The language server's entry point (bundled to `server/out/server.js`). `createConnection` picks the
 * transport from the command line: `--stdio`, `--node-ipc` or `--socket=PORT`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
