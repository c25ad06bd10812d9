/**
 * The one file that knows the Language Server Protocol: capabilities decided once from the client's, and the
 * table of handlers. Every handler is glue — find the document, get its cached analysis, call the pure service,
 * convert offsets to positions — behind `runSafe`, so no input can take the server down.
 */
import {
  CodeActionKind, CodeActionTriggerKind, DidChangeWatchedFilesNotification, MessageType, ShowMessageNotification, TextDocuments,
  TextDocumentSyncKind,
  type CodeAction, type CodeActionParams, type CompletionList, type CompletionParams, type Connection, type Diagnostic,
  type DocumentDiagnosticParams, type DocumentDiagnosticReport, type Hover, type HoverParams, type InlayHint,
  type InlayHintParams, type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  completions, fixAllAsEdits, FIX_ALL_KIND, FIX_ALL_TITLE, hover, inlayHints, quickFixes,
  type Analysis, type Settings,
} from './service/index';
import { CONFIG_FILE_NAME } from './node/configFile';
import { AnalysisCache } from './lsp/analysisCache';
import { clientFeatures, type ClientFeatures } from './lsp/clientFeatures';
import { kindRequested } from './lsp/codeActionKinds';
import { SOURCE, toCompletionItem, toDiagnostic, toHover, toInlayHint, toOffsetRange, toWorkspaceEdit } from './lsp/convert';
import { Debouncer } from './lsp/debouncer';
import { runSafe, runSafeVoid } from './lsp/runSafe';
import { SECTION, SettingsStore } from './lsp/settingsStore';

/** Pushed diagnostics wait this long after the last keystroke; pulled ones are paced by the client. */
const PUSH_DELAY_MS = 150;
const CONFIG_FILE_GLOB = `**/${CONFIG_FILE_NAME}`;

/** A YAML document with its current analysis and the settings it was made with. */
interface Analysed {
  doc: TextDocument;
  analysis: Analysis;
  settings: Settings;
}

/** Wires the language service to a connection and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const log = {
    error(message: string): void {
      try {
        connection.console.error(message);
      } catch {
        // The connection is closed or disposed: there is nobody left to tell.
      }
    },
  };
  let client: ClientFeatures = clientFeatures({});
  const settings = new SettingsStore({
    editor: (uri) => (client.configuration ? connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION }) : Promise.resolve(undefined)),
    // A notification, not showWarningMessage's request: nothing to wait for, and every client shows it.
    warn: (message) => runSafeVoid(log, 'window/showMessage', () => connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message })),
    log: log.error,
  });
  const analyses = new AnalysisCache();
  const pushes = new Debouncer(PUSH_DELAY_MS);

  /** The current document's analysis, or null when it is closed or not YAML. */
  async function analysed(uri: string): Promise<Analysed | null> {
    const opened = documents.get(uri);
    if (!opened || !isYaml(opened)) return null;
    const s = await settings.get(uri);
    // Take the document after the await: it may have changed (or closed) while settings were fetched, and
    // positions must be converted on exactly the text that was analysed.
    const doc = documents.get(uri);
    return doc ? { doc, settings: s, analysis: analyses.get(doc, s) } : null;
  }

  const diagnosticsOf = (a: Analysed): Diagnostic[] => a.analysis.findings.map((f) => toDiagnostic(a.doc, f));

  function schedulePush(uri: string): void {
    pushes.schedule(uri, () => runSafeVoid(log, 'publishDiagnostics', async () => {
      const a = await analysed(uri);
      if (a) await connection.sendDiagnostics({ uri, version: a.doc.version, diagnostics: diagnosticsOf(a) });
    }));
  }

  /** After any settings or config-file change: forget resolved settings and have diagnostics recomputed. */
  function settingsChanged(): void {
    settings.clear();
    if (!client.pullDiagnostics) for (const doc of documents.all()) schedulePush(doc.uri);
    else if (client.diagnosticRefresh) connection.languages.diagnostics.refresh().catch((e) => log.error(`diagnostics refresh failed: ${e}`));
    if (client.inlayHints && client.inlayHintRefresh) connection.languages.inlayHint.refresh().catch((e) => log.error(`inlay hint refresh failed: ${e}`));
  }

  // ── Features: document → cached analysis → service → LSP shapes ──────────────────────────────────────
  async function pullDiagnostics(p: DocumentDiagnosticParams): Promise<DocumentDiagnosticReport> {
    const a = await analysed(p.textDocument.uri);
    return { kind: 'full', items: a ? diagnosticsOf(a) : [] };
  }

  async function hoverAt(p: HoverParams): Promise<Hover | null> {
    const a = await analysed(p.textDocument.uri);
    const h = a && hover(a.analysis, a.doc.offsetAt(p.position));
    return a && h ? toHover(a.doc, h) : null;
  }

  async function codeActions(p: CodeActionParams): Promise<CodeAction[]> {
    const a = await analysed(p.textDocument.uri);
    if (!a) return [];
    const { only, triggerKind } = p.context;
    const actions: CodeAction[] = [];
    if (kindRequested(only, CodeActionKind.QuickFix)) {
      // Recomputed from the current analysis, never from the request's diagnostics (their text may be stale).
      for (const fix of quickFixes(a.analysis, toOffsetRange(a.doc, p.range))) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          ...(fix.finding ? { diagnostics: [toDiagnostic(a.doc, fix.finding)] } : {}),
          ...(fix.isPreferred ? { isPreferred: true } : {}),
          edit: toWorkspaceEdit(a.doc, fix.edits, client.documentChanges),
        });
      }
    }
    // Fix-all re-analyses the whole file, so the lightbulb's automatic requests get it only when they ask.
    const wantsFixAll = only ? kindRequested(only, FIX_ALL_KIND) : triggerKind !== CodeActionTriggerKind.Automatic;
    if (wantsFixAll) {
      const edits = fixAllAsEdits(a.doc.getText(), a.settings);
      if (edits.length) {
        actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: toWorkspaceEdit(a.doc, edits, client.documentChanges) });
      }
    }
    return actions;
  }

  async function inlayHintsIn(p: InlayHintParams): Promise<InlayHint[] | null> {
    const a = await analysed(p.textDocument.uri);
    return a ? inlayHints(a.analysis, toOffsetRange(a.doc, p.range), a.settings).map((h) => toInlayHint(a.doc, h)) : null;
  }

  async function completionAt(p: CompletionParams): Promise<CompletionList | null> {
    const a = await analysed(p.textDocument.uri);
    if (!a) return null;
    const items = completions(a.analysis, a.doc.offsetAt(p.position)).map((c, i) => toCompletionItem(a.doc, c, i));
    return { isIncomplete: false, items };
  }

  connection.onInitialize((params) => {
    client = clientFeatures(params.capabilities);
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    settings.setPushed(init?.settings);
    return { capabilities: serverCapabilities(client), serverInfo: { name: SOURCE } };
  });

  connection.onInitialized(() => {
    if (client.watchFiles) {
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONFIG_FILE_GLOB }] })
        .catch((e) => log.error(`registering the config file watcher failed: ${e}`));
    }
  });

  // ── The handler table ─────────────────────────────────────────────────────────────────────────────────
  connection.languages.diagnostics.on((p, t) => runSafe(log, 'textDocument/diagnostic', emptyReport(), t, () => pullDiagnostics(p)));
  connection.onHover((p, t) => runSafe(log, 'textDocument/hover', null, t, () => hoverAt(p)));
  connection.onCodeAction((p, t) => runSafe(log, 'textDocument/codeAction', [], t, () => codeActions(p)));
  connection.languages.inlayHint.on((p, t) => runSafe(log, 'textDocument/inlayHint', null, t, () => inlayHintsIn(p)));
  connection.onCompletion((p, t) => runSafe(log, 'textDocument/completion', null, t, () => completionAt(p)));

  connection.onDidChangeConfiguration((p) => runSafeVoid(log, 'workspace/didChangeConfiguration', () => {
    // Clients that answer workspace/configuration are asked again; the others push the settings here.
    if (!client.configuration) settings.setPushed(p.settings);
    settingsChanged();
  }));

  connection.onDidChangeWatchedFiles((p) => runSafeVoid(log, 'workspace/didChangeWatchedFiles', () => {
    if (p.changes.some((c) => c.uri.endsWith(`/${CONFIG_FILE_NAME}`))) settingsChanged();
  }));

  documents.onDidChangeContent((e) => {
    if (!client.pullDiagnostics) schedulePush(e.document.uri);
  });

  documents.onDidClose((e) => runSafeVoid(log, 'textDocument/didClose', async () => {
    const uri = e.document.uri;
    pushes.cancel(uri);
    analyses.delete(uri);
    settings.delete(uri);
    if (!client.pullDiagnostics) await connection.sendDiagnostics({ uri, diagnostics: [] });
  }));

  connection.onShutdown(() => pushes.dispose());

  documents.listen(connection);
  connection.listen();
}

/** What the server offers, given what the client supports. */
function serverCapabilities(client: ClientFeatures): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    ...(client.pullDiagnostics
      ? { diagnosticProvider: { identifier: SOURCE, interFileDependencies: false, workspaceDiagnostics: false } }
      : {}),
    hoverProvider: true,
    // Clients without CodeAction literals only understand Commands, which these fixes are not.
    ...(client.codeActionLiterals
      ? { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false } }
      : {}),
    ...(client.inlayHints ? { inlayHintProvider: { resolveProvider: false } } : {}),
    completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
  };
}

/** Only YAML is analysed: by language id, or by extension for clients that send another id. */
function isYaml(doc: TextDocument): boolean {
  return doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.replace(/[?#].*$/, ''));
}

function emptyReport(): DocumentDiagnosticReport {
  return { kind: 'full', items: [] };
}
