/**
 * A small LSP client for tests: talks JSON-RPC to the real server, either in-process over a pair of
 * in-memory streams (like typescript-language-server's test-utils) or to a spawned bundle. It answers the
 * server's requests (workspace/configuration, registrations, refreshes), records what the server pushes,
 * and polls for pushed diagnostics with a deadline instead of sleeping.
 */
import { PassThrough } from 'node:stream';
import {
  createConnection, createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type ClientCapabilities, type CodeAction, type CodeActionContext, type CompletionItem, type CompletionList,
  type ConfigurationItem, type Diagnostic, type DocumentDiagnosticReport, type Hover, type InitializeResult,
  type InlayHint, type MessageReader, type MessageWriter, type Position, type ProtocolConnection,
  type Location, type PublishDiagnosticsParams, type Range, type ShowMessageParams, type TextEdit, type WorkspaceEdit,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer } from '../../server/src/server';

/** A client like VS Code: pull diagnostics, workspace/configuration, versioned edits, inlay hints. */
export function fullCapabilities(): ClientCapabilities {
  return {
    textDocument: {
      synchronization: { dynamicRegistration: false },
      diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
      publishDiagnostics: { versionSupport: true },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
      inlayHint: {},
      completion: { completionItem: { snippetSupport: false } },
    },
    workspace: {
      configuration: true,
      workspaceFolders: true,
      diagnostics: { refreshSupport: true },
      inlayHint: { refreshSupport: true },
      workspaceEdit: { documentChanges: true },
      didChangeConfiguration: { dynamicRegistration: false },
      didChangeWatchedFiles: { dynamicRegistration: true },
    },
  };
}

/** A client like an older Neovim/Emacs: pushed diagnostics, no workspace/configuration, plain `changes`. */
export function pushOnlyCapabilities(): ClientCapabilities {
  return {
    textDocument: {
      publishDiagnostics: {},
      hover: { contentFormat: ['markdown'] },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
    },
    workspace: {},
  };
}

export interface ClientOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Answers one workspace/configuration item; by default there are no editor settings. */
  configuration?: (item: ConfigurationItem) => unknown;
  /** Sent as the initialize request's processId; null keeps the server's parent watchdog off. */
  processId?: number | null;
  /** The workspace folders of the initialize request (none by default). */
  workspaceFolders?: WorkspaceFolder[];
}

export class LspClient {
  readonly pushed = new Map<string, PublishDiagnosticsParams>();
  readonly messages: ShowMessageParams[] = [];
  readonly logs: string[] = [];
  /** The values of `$/progress` notifications (work-done progress the server reports), in order. */
  readonly progress: unknown[] = [];
  /** Counts of server-to-client requests, by method (e.g. `workspace/diagnostic/refresh`). */
  readonly requests = new Map<string, number>();
  initializeResult!: InitializeResult;
  configuration: (item: ConfigurationItem) => unknown;
  private readonly versions = new Map<string, number>();

  private constructor(readonly connection: ProtocolConnection, options: ClientOptions, private readonly onClose: () => void) {
    this.configuration = options.configuration ?? (() => null);
    const count = (method: string) => this.requests.set(method, (this.requests.get(method) ?? 0) + 1);
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.pushed.set(p.uri, p);
    });
    connection.onNotification('window/showMessage', (p: ShowMessageParams) => {
      this.messages.push(p);
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    connection.onRequest('workspace/configuration', (p: { items: ConfigurationItem[] }) => {
      count('workspace/configuration');
      return p.items.map((item) => this.configuration(item));
    });
    connection.onNotification('$/progress', (p: { value: unknown }) => {
      this.progress.push(p.value);
    });
    for (const method of ['client/registerCapability', 'workspace/diagnostic/refresh', 'workspace/inlayHint/refresh', 'window/showMessageRequest', 'window/workDoneProgress/create']) {
      connection.onRequest(method, () => {
        count(method);
        return null;
      });
    }
    connection.listen();
  }

  /** Starts `startServer` in this process over in-memory streams and initializes it. */
  static async inProcess(options: ClientOptions = {}): Promise<LspClient> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(server);
    return LspClient.over(new StreamMessageReader(toClient), new StreamMessageWriter(toServer), options, () => {
      server.dispose();
      toServer.end();
      toClient.end();
    });
  }

  /** Connects to a server reachable through the given reader/writer and initializes it. */
  static async over(reader: MessageReader, writer: MessageWriter, options: ClientOptions = {}, onClose: () => void = () => {}): Promise<LspClient> {
    const client = new LspClient(createProtocolConnection(reader, writer), options, onClose);
    client.initializeResult = await client.connection.sendRequest('initialize', {
      processId: options.processId ?? null,
      rootUri: null,
      workspaceFolders: options.workspaceFolders ?? null,
      capabilities: options.capabilities ?? fullCapabilities(),
      initializationOptions: options.initializationOptions,
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-content change, which incremental sync also accepts). */
  async change(uri: string, text: string): Promise<void> {
    await this.edit(uri, [{ text }]);
  }

  /** Sends incremental changes. */
  async edit(uri: string, contentChanges: ({ range: Range; text: string } | { text: string })[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const report: DocumentDiagnosticReport = await this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  /** Waits until the server has pushed diagnostics for `uri` that satisfy `accept`. */
  async waitForPushed(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return poll(() => {
      const p = this.pushed.get(uri);
      return p && accept(p) ? p : undefined;
    }, timeoutMs, `diagnostics pushed for ${uri}`);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, context: Partial<CodeActionContext> = {}): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], ...context } });
  }

  inlayHints(uri: string, range: Range): Promise<InlayHint[] | null> {
    return this.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
  }

  definition(uri: string, position: Position): Promise<Location[] | null> {
    return this.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position });
  }

  completion(uri: string, position: Position): Promise<CompletionList | CompletionItem[] | null> {
    return this.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
  }

  async didChangeConfiguration(settings: unknown = null): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  /** Sends shutdown (and exit, for a server in another process), then closes the connection. */
  async shutdown({ exit = false } = {}): Promise<void> {
    await this.connection.sendRequest('shutdown');
    if (exit) await this.connection.sendNotification('exit');
    this.dispose();
  }

  dispose(): void {
    this.connection.dispose();
    this.onClose();
  }
}

/** Runs `fn` with a fresh in-process client (LspClient.inProcess) and shuts it down afterwards, also when `fn` throws. */
export async function withClient(options: ClientOptions, fn: (c: LspClient) => Promise<void>): Promise<void> {
  const client = await LspClient.inProcess(options);
  try {
    await fn(client);
  } finally {
    await client.shutdown();
  }
}

/** Calls `get` until it returns something, or fails after `timeoutMs` naming what it waited for. */
export async function poll<T>(get: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Asks again until `check` holds (each ask reaches the server), or fails after `timeoutMs` naming what it waited for. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Applies a WorkspaceEdit's edits for `uri` (from `documentChanges` or `changes`) to `text`. */
export function applyWorkspaceEdit(text: string, edit: WorkspaceEdit | undefined, uri: string): string {
  const edits: TextEdit[] = [];
  for (const change of edit?.documentChanges ?? []) {
    if ('textDocument' in change && change.textDocument.uri === uri) edits.push(...(change.edits as TextEdit[]));
  }
  edits.push(...(edit?.changes?.[uri] ?? []));
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}

/** The LSP position of the first occurrence of `needle` (after `from`) in `text`, in UTF-16 characters. */
export function positionOf(text: string, needle: string, from = 0): Position {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  return TextDocument.create('x', 'yaml', 0, text).positionAt(offset);
}

/** The range of the first occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, from = 0): Range {
  const start = positionOf(text, needle, from);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}
