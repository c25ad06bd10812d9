/**
 * The one file that knows the Language Server Protocol: capabilities decided once from the client's, and the
 * table of handlers. Every handler is glue — find the document, get its cached analysis, call the pure service,
 * convert offsets to positions — behind `runSafe`, so no input can take the server down.
 */
import { JSON_FILE, mayHoldKubernetesJson } from './node/textFile';
import {
  CodeActionKind, CodeActionTriggerKind, DidChangeWatchedFilesNotification, FileChangeType, MessageType, ShowMessageNotification,
  TextDocuments, TextDocumentSyncKind,
  type CodeAction, type CodeActionParams, type CompletionList, type CompletionParams, type Connection, type DefinitionParams,
  type Diagnostic, type DocumentDiagnosticParams, type DocumentDiagnosticReport, type Hover, type HoverParams, type InlayHint,
  type InlayHintParams, type Location, type ServerCapabilities, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { OciRegistry } from './node/registry/client';
import { packageVersion } from './cli/version';
import { DOCS_BASE, ruleDocUrl } from './service/rules/index';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LinesDocument } from './lsp/textDocument';
import {
  chartImageHover, chartInlayHints, Lines, valuesDefinition, valuesHover, completions, definition, docKey, fixAllAsEdits, FIX_ALL_KIND, FIX_ALL_TITLE, hover, inlayHints, quickFixes,
  type Analysis, type Settings,
} from './service/index';
import { CONFIG_FILE_NAME } from './node/configFile';
import { configDiagnostics } from './lsp/configDiagnostics';
import { ChartAnalyses, sameFile, type ChartFindings } from './lsp/chartAnalyses';
import { AnalysisCache } from './lsp/analysisCache';
import { clientFeatures, type ClientFeatures } from './lsp/clientFeatures';
import { kindRequested } from './lsp/codeActionKinds';
import { compactDiagnostics, SOURCE, sameDiagnostics, toCompletionItem, toDiagnostic, toHover, toInlayHint, toOffsetRange, toWorkspaceEdit } from './lsp/convert';
import { Debouncer } from './lsp/debouncer';
import { PushQueue } from './lsp/pushQueue';
import { DiagnosticCache } from './lsp/diagnosticCache';
import { runSafe, runSafeVoid } from './lsp/runSafe';
import { SECTION, SettingsStore } from './lsp/settingsStore';
import { WorkspaceSync } from './lsp/workspaceSync';
import { IMAGE_SUMMARY_METHOD, imageSummary, type ImageSummaryParams } from './lsp/imageSummary';
import {
  PIN_ALL_KIND, RegistryFeatures, SERVER_COMMANDS, TAG_CHOICES_METHOD, TRUST_GRANTED_NOTIFICATION, type PinTarget, type ValuesPins,
} from './lsp/registryFeatures';

/** The server command behind "Show documentation for RULE": opens the rule's page (`window/showDocument`). */
const SHOW_DOCS_COMMAND = 'k8sImageLint.server.showDocumentation';
/**
 * The client tells what else works on YAML beside us: `{ yamlSchemaValidation: true }` when Red Hat's YAML
 * extension validates against a schema (it reports syntax errors, completes and describes the fields), in
 * `initializationOptions.companions` and in this notification when that changes.
 */
export const COMPANIONS_NOTIFICATION = 'k8sImageLint/companions';

/** After an edit, the document is re-indexed this long after the last keystroke, to re-diagnose its dependents. */
const INDEX_DELAY_MS = 150;
/** Folders with at least this many files to read show progress while they are indexed. */
const LARGE_FOLDER = 2000;
const CONFIG_FILE_GLOB = `**/${CONFIG_FILE_NAME}`;
/** The files the workspace index reads (kept current through workspace/didChangeWatchedFiles). */
const INDEXED_GLOBS = ['**/*.{yaml,yml,json}', '**/Kustomization'];

/** A YAML document with its current analysis and the settings it was made with. */
interface Analysed {
  doc: TextDocument;
  analysis: Analysis;
  settings: Settings;
  /** When the document is a chart's template or values.yaml: what the chart renders. */
  chart?: ChartFindings | null;
  /** In a chart's values file: pins and tag completion of the values images come from. */
  values?: ValuesPins;
}

/** What a caller may hand the server instead of its defaults (tests: a registry with its own cache and credentials). */
export interface ServerDependencies {
  /** The OCI registry client (default: Node's fetch, credentials from the Docker config). */
  registry?: OciRegistry;
}

/** The Output channel's first line: version, folders, files indexed and the config files found. */
export function startLine(folders: readonly string[], indexed: readonly string[]): string {
  const configs = indexed.filter((k) => k.endsWith(`/${CONFIG_FILE_NAME}`));
  const where = folders.length === 0 ? 'no workspace folder' : `${folders.length} folder${folders.length === 1 ? '' : 's'} (${folders.join(', ')})`;
  return `Kubernetes Image Lint ${packageVersion()}: ${where}, ${indexed.length} file${indexed.length === 1 ? '' : 's'} indexed, config files: ${configs.length > 0 ? configs.join(', ') : 'none'}.`;
}

/** Wires the language service to a connection and starts listening. */
export function startServer(connection: Connection, dependencies: ServerDependencies = {}): void {
  const documents = new TextDocuments(LinesDocument);
  const log = {
    error(message: string): void {
      try {
        connection.console.error(message);
      } catch {
        // The connection is closed or disposed: there is nobody left to tell.
      }
    },
    info(message: string): void {
      try {
        connection.console.info(message);
      } catch {
        // As above.
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
  const workspace = new WorkspaceSync({
    excludes: (folder) => (client.configuration ? connection.workspace.getConfiguration({ scopeUri: folder, section: 'files.exclude' }) : Promise.resolve(undefined)),
    // The folder's own settings: as a file at its top would have them (its .k8s-image-lint.yaml, its scope).
    lintExcludes: async (folder) => (await settings.get(`${folder.replace(/\/+$/, '')}/.k8s-image-lint.yaml`)).exclude,
    // Clients and the disk may spell one file's URI differently (`c%3A` / `C:`): compare index keys.
    isOpen: (uri) => documents.get(uri) !== undefined || documents.keys().some((open) => docKey(open) === docKey(uri)),
    log: log.error,
    maxFiles: async (folder) => (await settings.get(`${folder.replace(/\/+$/, '')}/.k8s-image-lint.yaml`)).maxWorkspaceFiles,
    // A large folder's reading shows as progress in the client (a work-done token it is asked for).
    progress: (folder, total) => {
      if (!client.workDoneProgress || total < LARGE_FOLDER) return undefined;
      const started = connection.window.createWorkDoneProgress().catch(() => undefined);
      void started.then((p) => p?.begin('Kubernetes Image Lint: indexing', 0, `0/${total} files`, false));
      return {
        report: (done, all) => void started.then((p) => p?.report(Math.round((done / all) * 100), `${done}/${all} files`)),
        done: () => void started.then((p) => p?.done()),
      };
    },
    capped: (folder, max) => {
      indexCapped = `${folder} has more than ${max} YAML and JSON files: only the first ${max} are indexed (k8sImageLint.maxWorkspaceFiles).`;
      log.info(`Kubernetes Image Lint: ${indexCapped}`);
    },
  });
  /** Said in the Output channel when a folder had more files than the index reads, and kept for the status bar. */
  let indexCapped: string | null = null;
  // Every failed lookup goes to the Output channel: why an image was not checked, a pin not offered.
  const onFailure = (what: string, e: { kind: string; message: string }) => log.info(`Registry: ${what}: ${e.kind}: ${e.message}`);
  const registry = new RegistryFeatures(dependencies.registry ?? new OciRegistry({ log: log.error, onFailure }), {
    connection,
    client: () => client,
    analysed: (uri) => analysed(uri),
    // Registry answers change image-not-found: analyse the document again and have its diagnostics redone.
    answersArrived: (uri) => runSafeVoid(log, 'registry answers', () => {
      analyses.invalidate(uri);
      if (!client.pullDiagnostics) schedulePush(uri);
      else if (client.diagnosticRefresh) refreshes.schedule('refresh', () => runSafeVoid(log, 'workspace/diagnostic/refresh', () => connection.languages.diagnostics.refresh()));
    }),
    log: log.error,
  });
  const analyses = new AnalysisCache(workspace.index, (s) => registry.clientFor(s));
  const charts = new ChartAnalyses((uri) => documents.get(uri)?.getText());
  const pushes = new PushQueue();
  const reindex = new Debouncer(INDEX_DELAY_MS);
  let folders: string[] = [];
  /** Red Hat's YAML extension validates YAML beside us (see COMPANIONS_NOTIFICATION). */
  let yamlSchema = false;
  const setCompanions = (raw: unknown): void => {
    const was = yamlSchema;
    yamlSchema = typeof raw === 'object' && raw !== null && (raw as { yamlSchemaValidation?: unknown }).yamlSchemaValidation === true;
    settings.setRuleDefaults(yamlSchema ? { 'yaml-syntax': 'off' } : {});
    if (yamlSchema !== was) {
      log.info(yamlSchema
        ? "Red Hat's YAML extension validates YAML here: yaml-syntax is off in the editor unless configured, and pull-policy values are left to its schema."
        : "Red Hat's YAML extension no longer validates YAML here: yaml-syntax is on again.");
    }
  };

  /** The current document's analysis, or null when it is closed or not YAML. */
  async function analysed(uri: string): Promise<Analysed | null> {
    const opened = documents.get(uri);
    if (!opened || !isYaml(opened)) return null;
    const s = await settings.get(uri);
    // A large new text is parsed ahead in slices, other requests served in between.
    const current = documents.get(uri);
    if (current) await analyses.prepare(current, s);
    // Take the document after the awaits: it may have changed (or closed) meanwhile, and positions must be
    // converted on exactly the text that was analysed.
    const doc = documents.get(uri);
    if (!doc) return null;
    const { analysis: plain, changed } = analyses.analyse(doc, s);
    if (changed.length > 0) dependentsChanged(changed, uri);
    // In a chart, the chart rendered with its values decides (the plain analysis judges nothing templated).
    const chart = charts.findingsFor(uri, s, workspace.index);
    // A release of a workspace chart (Flux HelmRelease, Argo CD Application): what its values cause, in it.
    const releases = !chart && plain.file.objects.some((o) => o.kind === 'HelmRelease' || o.kind === 'Application');
    const released = releases ? charts.releaseFindings(uri, doc.getText(), s, workspace.index) : [];
    const analysis = chart
      ? chart.replace ? { ...plain, findings: chart.findings } : { ...plain, findings: [...plain.findings, ...chart.findings] }
      : released.length ? { ...plain, findings: [...plain.findings, ...released] } : plain;
    const values = chart ? charts.valuesPins(uri, chart, s, workspace.index) : undefined;
    const result: Analysed = { doc, settings: s, analysis, chart, ...(values ? { values } : {}) };
    registry.checkInBackground(result);
    return result;
  }

  /**
   * Diagnostics have inter-file dependencies: after a Secret, ServiceAccount or kustomization changed, the
   * documents whose analysis looked it up are re-diagnosed — pushed again, or re-pulled after a
   * `workspace/diagnostic/refresh` (the cache answers unaffected documents without re-analysing them).
   */
  function dependentsChanged(changed: readonly string[], source: string | null): void {
    if (changed.length === 0) return;
    if (!client.pullDiagnostics) {
      for (const doc of documents.all()) {
        if (doc.uri !== source && isYaml(doc) && analyses.dependsOn(doc.uri, changed)) schedulePush(doc.uri);
      }
    } else if (client.diagnosticRefresh) {
      // Through runSafeVoid: once the connection is closed, `refresh` throws synchronously, from a timer.
      refreshes.schedule('refresh', () => runSafeVoid(log, 'workspace/diagnostic/refresh', () => connection.languages.diagnostics.refresh()));
    }
  }
  const refreshes = new Debouncer(50);

  /** The client restores `source` and rule links from `code` (see compactDiagnostics): they are not sent. */
  let compact = false;
  const diagnostics = new DiagnosticCache(() => compact);
  const diagnosticsOf = (a: Analysed): Diagnostic[] => [
    ...a.analysis.findings.map((f) => diagnostics.of(a.doc, a.analysis.lines, f)),
    // Our own config file is checked against its schema; beside Red Hat's extension, that one does it (yamlValidation).
    ...(a.doc.uri.endsWith(`/${CONFIG_FILE_NAME}`) && !yamlSchema ? configDiagnostics(a.doc) : []),
  ];

  /** Pushes a document's diagnostics as soon as the server is free (see PushQueue). */
  function schedulePush(uri: string): void {
    pushes.schedule(uri, () => runSafe(log, 'publishDiagnostics', undefined, undefined, async () => {
      const a = await analysed(uri);
      if (!a) return;
      await connection.sendDiagnostics({ uri, version: a.doc.version, diagnostics: diagnosticsOf(a) });
    }).then(() => undefined));
  }

  /** After any settings or config-file change: forget resolved settings and have diagnostics recomputed. */
  function settingsChanged(): void {
    settings.clear();
    if (!client.pullDiagnostics) for (const doc of documents.all()) schedulePush(doc.uri);
    else if (client.diagnosticRefresh) runSafeVoid(log, 'workspace/diagnostic/refresh', () => connection.languages.diagnostics.refresh());
    if (client.inlayHints && client.inlayHintRefresh) runSafeVoid(log, 'workspace/inlayHint/refresh', () => connection.languages.inlayHint.refresh());
  }

  // ── Features: document → cached analysis → service → LSP shapes ──────────────────────────────────────
  /**
   * Pulled diagnostics with a `resultId`: when the document's diagnostics are the same as in the last report the
   * client holds, it is told `unchanged` and nothing is sent.
   */
  async function pullDiagnostics(p: DocumentDiagnosticParams): Promise<DocumentDiagnosticReport> {
    const uri = p.textDocument.uri;
    const a = await analysed(uri);
    if (!a) return { kind: 'full', items: [] };
    const items = diagnosticsOf(a);
    const last = pulledResults.get(uri);
    if (last && p.previousResultId === last.resultId && sameDiagnostics(last.items, items)) return { kind: 'unchanged', resultId: last.resultId };
    const resultId = String(++resultCounter);
    pulledResults.set(uri, { items, resultId });
    return { kind: 'full', resultId, items };
  }
  const pulledResults = new Map<string, { items: Diagnostic[]; resultId: string }>();
  let resultCounter = 0;

  async function hoverAt(p: HoverParams): Promise<Hover | null> {
    let a = await analysed(p.textDocument.uri);
    if (a) {
      await registry.beforeHover(a, a.doc.offsetAt(p.position));
      a = await analysed(p.textDocument.uri);
    }
    const offset = a?.doc.offsetAt(p.position) ?? 0;
    const rendered = a?.chart
      ? chartImageHover(a.chart.images, offset, a.doc.uri, a.analysis.workspace, a.settings, a.chart.text)
        ?? valuesHover(a.chart.all, offset, a.chart.values.find((v) => sameFile(v.uri, a.doc.uri))?.uri ?? a.doc.uri, a.analysis.workspace, a.settings, a.chart.text)
      : null;
    const h = a && (rendered ?? hover(a.analysis, offset, Date.now(), { schemaDescribes: yamlSchema }));
    return a && h ? toHover(a.doc, h) : null;
  }

  async function codeActions(p: CodeActionParams): Promise<CodeAction[]> {
    const a = await analysed(p.textDocument.uri);
    if (!a) return [];
    const { only, triggerKind } = p.context;
    const actions: CodeAction[] = [];
    if (kindRequested(only, CodeActionKind.QuickFix)) {
      // The pins first (Pin to digest preferred), then the offline fixes, then "Disable … for this line", then
      // each rule's documentation. Recomputed from the current analysis, never from the request's diagnostics.
      const range = toOffsetRange(a.doc, p.range);
      const pins = await registry.quickFixes(a, range, triggerKind);
      const pinPreferred = pins.some((x) => x.isPreferred);
      const local = quickFixes(a.analysis, range);
      const asAction = (fix: (typeof local)[number]): CodeAction => ({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        ...(fix.finding ? { diagnostics: [toDiagnostic(a.doc, fix.finding)] } : {}),
        ...(fix.isPreferred && !pinPreferred ? { isPreferred: true } : {}),
        edit: toWorkspaceEdit(a.doc, fix.edits, client.documentChanges),
      });
      actions.push(...pins, ...local.filter((f) => !f.disable).map(asAction), ...local.filter((f) => f.disable).map(asAction));
      const rules = [...new Set(a.analysis.findings.filter((f) => f.range.start <= range.end && range.start <= f.range.end).map((f) => f.ruleId))];
      for (const rule of rules) {
        const title = `Show documentation for ${rule}`;
        actions.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: SHOW_DOCS_COMMAND, arguments: [ruleDocUrl(rule)] } });
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
    // Pinning every image asks the registry: offered only when asked for (a source action, not on every cursor move).
    if (only ? kindRequested(only, PIN_ALL_KIND) : triggerKind !== CodeActionTriggerKind.Automatic) {
      const pinAll = registry.pinAllAction(a);
      if (pinAll) actions.push(pinAll);
    }
    return actions;
  }

  async function inlayHintsIn(p: InlayHintParams): Promise<InlayHint[] | null> {
    const a = await analysed(p.textDocument.uri);
    if (!a) return null;
    const range = toOffsetRange(a.doc, p.range);
    const hints = [...inlayHints(a.analysis, range, a.settings), ...(a.chart ? chartInlayHints(a.chart.images, range, a.settings) : [])];
    return hints.sort((x, y) => x.offset - y.offset).map((h) => toInlayHint(a.doc, h));
  }

  async function definitionAt(p: DefinitionParams): Promise<Location[] | null> {
    const a = await analysed(p.textDocument.uri);
    const found = a && definition(a.analysis, a.doc.offsetAt(p.position));
    if (found) return found.targets.map((t) => ({ uri: t.uri, range: { start: t.start, end: t.end } }));
    // In a chart's template: from `.Values.image.tag` to the value.
    const chartValues = a?.chart?.values;
    if (!a || !chartValues) return null;
    const line = a.doc.getText({ start: { line: p.position.line, character: 0 }, end: { line: p.position.line + 1, character: 0 } });
    const target = valuesDefinition(line, p.position.character, chartValues);
    if (!target) return null;
    const text = chartValues.find((v) => v.uri === target.uri)!.text;
    const lines = new Lines(text);
    return [{ uri: target.uri, range: { start: lines.position(target.range.start), end: lines.position(target.range.end) } }];
  }

  async function completionAt(p: CompletionParams): Promise<CompletionList | null> {
    const a = await analysed(p.textDocument.uri);
    if (!a) return null;
    const offset = a.doc.offsetAt(p.position);
    const items = completions(a.analysis, offset, { schemaCompletesPolicies: yamlSchema }).map((c, i) => toCompletionItem(a.doc, c, i));
    if (items.length === 0) {
      const tags = await registry.completion(a, offset);
      if (tags) return { isIncomplete: false, items: tags };
    }
    return { isIncomplete: false, items };
  }

  connection.onInitialize((params) => {
    client = clientFeatures(params.capabilities);
    const init = params.initializationOptions as { settings?: unknown; trusted?: unknown; clientCommands?: unknown; companions?: unknown; compactDiagnostics?: unknown } | undefined;
    compact = init?.compactDiagnostics === true;
    settings.setPushed(init?.settings);
    setCompanions(init?.companions);
    // VS Code says whether the workspace is trusted (untrusted: no registry traffic); other clients have no such notion.
    registry.trusted = init?.trusted !== false;
    if (Array.isArray(init?.clientCommands)) for (const c of init.clientCommands) if (typeof c === 'string') registry.clientCommands.add(c);
    folders = workspaceFolderUris(params.workspaceFolders, params.rootUri);
    const capabilities = serverCapabilities(client);
    return { capabilities: compact ? { ...capabilities, experimental: { compactDiagnostics: compactDiagnostics() } } : capabilities, serverInfo: { name: SOURCE } };
  });

  connection.onInitialized(() => {
    if (client.watchFiles) {
      // Chart helpers (`_helpers.tpl`) and packaged dependencies are read from disk: a change of one must render
      // its chart again.
      const watchers = [CONFIG_FILE_GLOB, ...INDEXED_GLOBS, '**/*.tpl', '**/charts/*.tgz'].map((globPattern) => ({ globPattern }));
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers })
        .catch((e) => log.error(`registering the file watchers failed: ${e}`));
    }
    if (client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => runSafeVoid(log, 'workspace/didChangeWorkspaceFolders', async () => {
        dependentsChanged(workspace.removeFolders(e.removed.map((f) => f.uri)), null);
        dependentsChanged(await workspace.addFolders(e.added.map((f) => f.uri)), null);
      }));
    }
    // Read the folders in the background; documents opened meanwhile are analysed with what is indexed so far.
    runSafeVoid(log, 'workspace scan', async () => {
      dependentsChanged(await workspace.addFolders(folders), null);
      log.info(startLine(folders, [...workspace.index.keys()]));
    });
  });

  // ── The handler table ─────────────────────────────────────────────────────────────────────────────────
  connection.languages.diagnostics.on((p, t) => runSafe(log, 'textDocument/diagnostic', emptyReport(), t, () => pullDiagnostics(p)));
  connection.onHover((p, t) => runSafe(log, 'textDocument/hover', null, t, () => hoverAt(p)));
  connection.onCodeAction((p, t) => runSafe(log, 'textDocument/codeAction', [], t, () => codeActions(p)));
  connection.onCodeActionResolve((action, t) => runSafe(log, 'codeAction/resolve', action, t, () => registry.resolve(action)));
  connection.onExecuteCommand((p, t, progress) => runSafe(log, 'workspace/executeCommand', null, t, async () => {
    if (p.command === SHOW_DOCS_COMMAND) {
      const url = p.arguments?.[0];
      // Only the rule pages this server links to; the client opens them (in the browser).
      if (typeof url === 'string' && url.startsWith(DOCS_BASE)) await connection.window.showDocument({ uri: url, external: true });
      return null;
    }
    return registry.execute(p.command, p.arguments ?? [], p.workDoneToken !== undefined ? progress : undefined);
  }));
  connection.onRequest(TAG_CHOICES_METHOD, (p: PinTarget, t) => runSafe(log, TAG_CHOICES_METHOD, null, t, () => registry.tagChoicesAt(p)));
  connection.onNotification(COMPANIONS_NOTIFICATION, (p: unknown) => runSafeVoid(log, COMPANIONS_NOTIFICATION, () => {
    setCompanions(p);
    settingsChanged();
  }));
  connection.onNotification(TRUST_GRANTED_NOTIFICATION, () => runSafeVoid(log, TRUST_GRANTED_NOTIFICATION, () => {
    registry.trusted = true;
    settingsChanged();
  }));
  connection.languages.inlayHint.on((p, t) => runSafe(log, 'textDocument/inlayHint', null, t, () => inlayHintsIn(p)));
  connection.onCompletion((p, t) => runSafe(log, 'textDocument/completion', null, t, () => completionAt(p)));
  connection.onDefinition((p, t) => runSafe(log, 'textDocument/definition', null, t, () => definitionAt(p)));
  connection.onRequest(IMAGE_SUMMARY_METHOD, (p: ImageSummaryParams, t) => runSafe(log, IMAGE_SUMMARY_METHOD, null, t, async () => {
    const summary = imageSummary((await analysed(p.uri))?.analysis ?? null);
    return summary && indexCapped ? { ...summary, indexNote: indexCapped } : summary;
  }));

  connection.onDidChangeConfiguration((p) => runSafeVoid(log, 'workspace/didChangeConfiguration', () => {
    // Clients that answer workspace/configuration are asked again; the others push the settings here.
    if (!client.configuration) settings.setPushed(p.settings);
    settingsChanged();
  }));

  connection.onDidChangeWatchedFiles((p) => runSafeVoid(log, 'workspace/didChangeWatchedFiles', () => {
    if (p.changes.some((c) => c.uri.endsWith(`/${CONFIG_FILE_NAME}`))) settingsChanged();
    const changed: string[] = [];
    // A helper, values file or packaged dependency changed on disk: its chart's open files are diagnosed again.
    for (const root of new Set(p.changes.flatMap((c) => charts.forget(c.uri)))) chartChanged(root);
    for (const c of p.changes) {
      if (!workspace.concerns(c.uri)) continue;
      changed.push(...(c.type === FileChangeType.Deleted ? workspace.fileDeleted(c.uri) : workspace.fileChanged(c.uri)));
    }
    dependentsChanged([...new Set(changed)], null);
  }));

  /** A file of the chart at `root` changed: its open documents (but `except`) are diagnosed again. */
  function chartChanged(root: string, except?: string): void {
    for (const other of documents.all()) {
      if (other.uri === except || (charts.rootOf(other.uri) !== root && !charts.rendersChart(other.uri, root))) continue;
      if (!client.pullDiagnostics) schedulePush(other.uri);
    }
    if (client.pullDiagnostics && client.diagnosticRefresh) refreshes.schedule('refresh', () => runSafeVoid(log, 'workspace/diagnostic/refresh', () => connection.languages.diagnostics.refresh()));
  }

  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    // A chart's files judge each other: an edit of values.yaml changes the findings of its templates.
    const root = charts.rootOf(uri);
    if (root) chartChanged(root, uri);
    if (!client.pullDiagnostics) schedulePush(uri);
    // Pulled diagnostics are asked for by the client; the index must follow the edit anyway, for the others.
    else reindex.schedule(uri, () => runSafeVoid(log, 'index document', async () => void await analysed(uri)));
  });

  documents.onDidClose((e) => runSafeVoid(log, 'textDocument/didClose', async () => {
    const uri = e.document.uri;
    pulledResults.delete(uri);
    charts.closed(uri);
    pushes.cancel(uri);
    reindex.cancel(uri);
    analyses.delete(uri);
    settings.delete(uri);
    dependentsChanged(workspace.documentClosed(uri), uri);
    if (!client.pullDiagnostics) await connection.sendDiagnostics({ uri, diagnostics: [] });
  }));

  connection.onShutdown(() => {
    pushes.dispose();
    reindex.dispose();
    refreshes.dispose();
    workspace.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** What the server offers, given what the client supports. */
function serverCapabilities(client: ClientFeatures): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    // Inter-file: a Pod's diagnostics depend on the Secrets and ServiceAccounts of other files.
    ...(client.pullDiagnostics
      ? { diagnosticProvider: { identifier: SOURCE, interFileDependencies: true, workspaceDiagnostics: false } }
      : {}),
    hoverProvider: true,
    definitionProvider: true,
    ...(client.workspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
    // Clients without CodeAction literals only understand Commands, which these fixes are not.
    ...(client.codeActionLiterals
      ? { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, PIN_ALL_KIND], resolveProvider: client.codeActionResolve } }
      : {}),
    executeCommandProvider: { commands: [...SERVER_COMMANDS, SHOW_DOCS_COMMAND] },
    ...(client.inlayHints ? { inlayHintProvider: { resolveProvider: false } } : {}),
    completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
  };
}

/** The workspace folders of the initialize request, or its deprecated rootUri. */
function workspaceFolderUris(folders: WorkspaceFolder[] | null | undefined, rootUri: string | null): string[] {
  if (folders && folders.length > 0) return folders.map((f) => f.uri);
  return rootUri ? [rootUri] : [];
}

/**
 * Only manifests are analysed: YAML by language id, or by extension for clients that send another id; JSON (which
 * kubectl applies too) when it may hold a Kubernetes object.
 */
function isYaml(doc: TextDocument): boolean {
  if (doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.replace(/[?#].*$/, ''))) return true;
  return (doc.languageId === 'json' || JSON_FILE.test(doc.uri.replace(/[?#].*$/, ''))) && mayHoldKubernetesJson(doc.getText());
}

function emptyReport(): DocumentDiagnosticReport {
  return { kind: 'full', items: [] };
}
