/**
 * The VS Code client: starts the language server over IPC, restarts it if it dies, and adds the commands and
 * the status-bar item. It knows nothing about Kubernetes; everything the user sees comes from the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { compactDiagnosticsMiddleware } from './compactDiagnostics';
import { RestartingErrorHandler } from './errorHandler';
import { ImageStatusBar } from './statusBar';

const SECTION = 'k8sImageLint';
const SOURCE = 'k8s-image-lint';
const FIX_ALL_KIND = 'source.fixAll.k8sImageLint';
const COMMANDS = {
  restartServer: `${SECTION}.restartServer`,
  showOutput: `${SECTION}.showOutput`,
  showProblems: `${SECTION}.showProblems`,
  fixAll: `${SECTION}.fixAll`,
  pinAllDigests: `${SECTION}.pinAllDigests`,
  pickTag: `${SECTION}.pickTag`,
};
/** The server's side of the registry features (server/src/lsp/registryFeatures.ts). */
const SERVER = {
  pinAllDigests: `${SECTION}.server.pinAllDigests`,
  pinTag: `${SECTION}.server.pinTag`,
  tagChoices: 'k8sImageLint/tagChoices',
  trusted: 'k8sImageLint/workspaceTrusted',
};
/**
 * Settings that can make the server contact hosts named by the workspace. Declared as `restrictedConfigurations`
 * in package.json: in Restricted Mode only the user's own values of them count.
 */
const RESTRICTED_KEYS = new Set(['registry.lookups', 'registry.insecure']);
/** Red Hat's YAML extension: with `yaml.validate` on, it reports syntax errors and knows the Kubernetes schema. */
const RED_HAT_YAML = 'redhat.vscode-yaml';
const COMPANIONS_NOTIFICATION = 'k8sImageLint/companions';
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Kubernetes Image Lint', { log: true });
  const settingKeys = contributedSettingKeys(context);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'yaml' }, { scheme: 'untitled', language: 'yaml' }, { scheme: 'file', language: 'json' }],
    synchronize: { configurationSection: SECTION },
    outputChannel,
    errorHandler: new RestartingErrorHandler(outputChannel, COMMANDS.restartServer),
    // No registry traffic in an untrusted workspace (the server is told when that changes); tags are picked here.
    // Diagnostics come without their source and rule link, restored here (compactDiagnostics.ts).
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted, clientCommands: [COMMANDS.pickTag], companions: companions(), compactDiagnostics: true }),
    middleware: {
      ...compactDiagnosticsMiddleware(() => client),
      workspace: {
        // Answer for our section with only the values the user set. VS Code's own answer fills in every
        // package.json default, which would always hide the project's `.k8s-image-lint.yaml` beneath them.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) => (item.section === SECTION ? explicitSettings(settingKeys, item.scopeUri) : answers[i]));
        },
      },
    },
  };

  // The id makes the client honour the standard `k8sImageLint.trace.server` setting.
  client = new LanguageClient(SECTION, 'Kubernetes Image Lint', serverOptions, clientOptions);
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand(COMMANDS.restartServer, () => client?.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => outputChannel.show(true)),
    vscode.commands.registerCommand(COMMANDS.showProblems, showProblems),
    vscode.commands.registerCommand(COMMANDS.fixAll, fixAll),
    vscode.commands.registerCommand(COMMANDS.pinAllDigests, pinAllDigests),
    vscode.commands.registerCommand(COMMANDS.pickTag, pickTag),
    // Restricted settings may take effect once the workspace is trusted, and registries may be contacted.
    // Installing, enabling or disabling Red Hat's extension, or turning its validation off, changes what we leave to it.
    vscode.extensions.onDidChange(() => void client?.sendNotification(COMPANIONS_NOTIFICATION, companions())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('yaml.validate')) void client?.sendNotification(COMPANIONS_NOTIFICATION, companions());
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(SERVER.trusted);
      void client?.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }),
  );
  await client.start();
  context.subscriptions.push(new ImageStatusBar(() => client, COMMANDS.showProblems));
}

/**
 * What runs on YAML beside us. Red Hat's extension counts when it is enabled (it activates on every YAML file, so
 * an enabled one is active wherever we are) and its `yaml.validate` is not off.
 */
function companions(): { yamlSchemaValidation: boolean } {
  const redHat = vscode.extensions.getExtension(RED_HAT_YAML) !== undefined;
  return { yamlSchemaValidation: redHat && vscode.workspace.getConfiguration('yaml').get<boolean>('validate', true) !== false };
}

/**
 * Opens the Problems view, ready to be narrowed to this extension's findings. VS Code offers extensions no way to
 * set the view's filter text, so the filter box gets the focus and the message says what to type.
 */
async function showProblems(): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await vscode.commands.executeCommand('problems.action.focusFilter').then(undefined, () => undefined);
  void vscode.window.setStatusBarMessage(`Type "${SOURCE}" in the Problems filter to see only Kubernetes Image Lint's findings.`, 8000);
}

/** Applies every safe fix in the active manifest (the same as `source.fixAll.k8sImageLint` on save). */
async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') {
    void vscode.window.showInformationMessage('Open a Kubernetes YAML file to fix its image problems.');
    return;
  }
  await vscode.commands.executeCommand('editor.action.codeAction', { kind: FIX_ALL_KIND, apply: 'first' });
}

/** Pins every image of the active manifest to the digest its tag resolves to now (the server shows progress). */
async function pinAllDigests(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml' || !client) {
    void vscode.window.showInformationMessage('Open a Kubernetes YAML file to pin its images.');
    return;
  }
  await vscode.commands.executeCommand(SERVER.pinAllDigests, { uri: editor.document.uri.toString() });
}

interface PinTarget {
  uri: string;
  version: number;
  offset: number;
}

/** "Pin to tag…": the repository's tags, newest first, in a quick pick; the server writes the chosen one. */
async function pickTag(target: PinTarget): Promise<void> {
  if (!client || !target) return;
  const choices = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Listing tags…' },
    () => client!.sendRequest<{ image: string; current: string | null; tags: string[]; error?: string } | null>(SERVER.tagChoices, target),
  );
  if (!choices) return;
  if (choices.error || choices.tags.length === 0) {
    void vscode.window.showWarningMessage(choices.error ?? `No tag of ${choices.image} to pin to (no versioned tags with the same variant).`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    choices.tags.map((tag, i) => ({ label: tag, description: i === 0 ? 'newest' : undefined })),
    { title: `Pin ${choices.image} to tag`, placeHolder: 'Newest first; the current variant is kept' },
  );
  if (picked) await vscode.commands.executeCommand(SERVER.pinTag, { ...target, tag: picked.label });
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}

/** Our settings' keys without the prefix (`rules`, `registry.lookups`, …), as package.json declares them. */
function contributedSettingKeys(context: vscode.ExtensionContext): string[] {
  const contributed = context.extension.packageJSON?.contributes?.configuration;
  const blocks: { properties?: Record<string, unknown> }[] = Array.isArray(contributed) ? contributed : contributed ? [contributed] : [];
  return blocks
    .flatMap((b) => Object.keys(b.properties ?? {}))
    .filter((k) => k.startsWith(`${SECTION}.`) && k !== `${SECTION}.trace.server`)
    .map((k) => k.slice(SECTION.length + 1));
}

/**
 * The settings the user set explicitly for a resource, as a nested object (`registry.lookups` becomes
 * `{registry: {lookups}}`). Scopes apply from least to most specific, language-specific (`[yaml]`) last;
 * objects such as `rules` merge across scopes as VS Code's own `get` merges them.
 */
function explicitSettings(keys: readonly string[], scopeUri: string | undefined): Record<string, unknown> {
  const uri = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const config = vscode.workspace.getConfiguration(SECTION, { uri, languageId: 'yaml' });
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const i = config.inspect(key);
    if (!i) continue;
    let value: unknown;
    // In Restricted Mode, the workspace's own values of restricted settings do not count.
    const userOnly = !vscode.workspace.isTrusted && RESTRICTED_KEYS.has(key);
    const scopes = userOnly
      ? [i.globalValue, i.globalLanguageValue]
      : [i.globalValue, i.workspaceValue, i.workspaceFolderValue, i.globalLanguageValue, i.workspaceLanguageValue, i.workspaceFolderLanguageValue];
    for (const v of scopes) {
      if (v === undefined) continue;
      value = isPlainObject(value) && isPlainObject(v) ? { ...value, ...v } : v;
    }
    if (value !== undefined) setPath(result, key.split('.'), value);
  }
  return result;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
