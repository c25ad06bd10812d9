import type { ClientCapabilities } from 'vscode-languageserver/node';

/** What the server relies on from the client, read once from the initialize request. */
export interface ClientFeatures {
  /** LSP 3.17 `textDocument/diagnostic`; without it diagnostics are pushed. */
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  /** `workspace/configuration`; without it settings come from initializationOptions and change payloads. */
  configuration: boolean;
  /** Versioned TextDocumentEdits in WorkspaceEdits; without it plain `changes`. */
  documentChanges: boolean;
  /** CodeAction literals with kinds; clients without them only understand Commands. */
  codeActionLiterals: boolean;
  inlayHints: boolean;
  inlayHintRefresh: boolean;
  /** Dynamic registration of file watchers, used to notice edits of `.k8s-image-lint.yaml` and indexed files. */
  watchFiles: boolean;
  /** Multi-root workspaces: `workspace/didChangeWorkspaceFolders`. */
  workspaceFolders: boolean;
  /** `codeAction/resolve` filling in `edit`: registry pins are resolved only when the user picks them. */
  codeActionResolve: boolean;
  /** Server-initiated progress (`window/workDoneProgress/create`). */
  workDoneProgress: boolean;
  /** Code actions shown disabled, with `disabled.reason` (VS Code): the Restricted Mode pins. */
  disabledCodeActions: boolean;
}

export function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  return {
    pullDiagnostics: !!caps.textDocument?.diagnostic,
    diagnosticRefresh: !!caps.workspace?.diagnostics?.refreshSupport,
    configuration: !!caps.workspace?.configuration,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
    codeActionLiterals: !!caps.textDocument?.codeAction?.codeActionLiteralSupport,
    inlayHints: !!caps.textDocument?.inlayHint,
    inlayHintRefresh: !!caps.workspace?.inlayHint?.refreshSupport,
    watchFiles: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!caps.workspace?.workspaceFolders,
    codeActionResolve: !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit'),
    workDoneProgress: !!caps.window?.workDoneProgress,
    disabledCodeActions: !!caps.textDocument?.codeAction?.disabledSupport,
  };
}
