/**
 * A stand-in for Red Hat's YAML extension (`redhat.vscode-yaml`), for the end-to-end tests: the same extension id
 * and the same `yaml.*` settings, running the real yaml-language-server from npm the way vscode-yaml starts it
 * (node IPC, the `yaml` settings section pushed to it). Only the wrapper is ours; the marketplace build cannot be
 * fetched on these machines. Built by test/e2e/support/companion.ts, which fills in the server's path.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';

declare const YAML_LANGUAGE_SERVER: string;
let client: LanguageClient | undefined;

/** For the tests: whether its language server runs, and why not. */
export interface CompanionApi {
  running(): boolean;
  errors: string[];
}

const errors: string[] = [];

export async function activate(): Promise<CompanionApi> {
  client = new LanguageClient('yaml', 'YAML Support', {
    run: { module: YAML_LANGUAGE_SERVER, transport: TransportKind.ipc },
    debug: { module: YAML_LANGUAGE_SERVER, transport: TransportKind.ipc },
  }, {
    documentSelector: [{ language: 'yaml' }],
    synchronize: { configurationSection: ['yaml', 'http', '[yaml]', 'editor'] },
  });
  try {
    await client.start();
    // As vscode-yaml does after start: the settings, so that validation and the schema association apply at once.
    await client.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: vscode.workspace.getConfiguration('yaml') } });
  } catch (e) {
    errors.push(String((e as Error)?.stack ?? e));
  }
  return { running: () => client?.isRunning() ?? false, errors };
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
