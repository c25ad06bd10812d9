/// <reference types="mocha" />
/**
 * The extension inside real VS Code: activation, diagnostics (exact codes and ranges), hover, quick fix, fix-all
 * on save, inlay hints, a settings change without reload, and silence on files that are not manifests.
 * The workspace is a fresh copy of test/e2e/workspace for every run.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  describeDiagnostics, diagnosticsBecome, EXTENSION_ID, hoverText, nextDiagnosticsChange, open, positionOf, SOURCE, until, workspaceUri,
} from './helpers';

const DEPLOYMENT = [
  'implicit-pull-policy hint 15:17-15:29',
  'invalid-pull-policy error 18:27-18:33',
  'latest-tag warning 15:17-15:29',
];

suite('Kubernetes Image Lint in VS Code', () => {
  test('activates on a Kubernetes manifest and reports its problems with exact codes and ranges', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    const editor = await open('deployment.yaml');
    assert.equal(editor.document.languageId, 'yaml');
    await until('the extension to activate', () => ext.isActive);
    await diagnosticsBecome(editor.document.uri, DEPLOYMENT);
    const d = vscode.languages.getDiagnostics(editor.document.uri).find((x) => x.source === SOURCE && x.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(d && typeof d.code === 'object', 'the diagnostic code links to the rule documentation');
    assert.equal(d.code.value, 'invalid-pull-policy');
    assert.equal(d.code.target.toString(), 'https://github.com/k8s-image-lint/k8s-image-lint/blob/main/docs/rules/invalid-pull-policy.md');
    assert.match(d.message, /^Unsupported value: "always"/);
  });

  test('contributes its commands to the palette with titles', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string; title: string; category: string }[];
    assert.deepEqual(contributed.map((c) => c.command).sort(), ['k8sImageLint.fixAll', 'k8sImageLint.pickTag', 'k8sImageLint.pinAllDigests', 'k8sImageLint.restartServer', 'k8sImageLint.showOutput', 'k8sImageLint.showProblems']);
    for (const c of contributed) {
      assert.ok(all.includes(c.command), `${c.command} is registered`);
      assert.equal(c.category, 'Kubernetes Image Lint');
    }
  });

  test('hover on an image explains the normalized name and the effective pull policy', async () => {
    const { document } = await open('deployment.yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'nginx:latest', 3));
    const text = hoverText(hovers);
    assert.match(text, /^\*\*`Always`\*\* \(default: tag is `latest`\) · pulls on every start$/m);
    assert.match(text, /\*\*Pulls\*\* `docker\.io\/library\/nginx:latest`/);
    const range = hovers.find((h) => h.range)?.range;
    assert.deepEqual(range && [range.start.line, range.start.character, range.end.line, range.end.character], [15, 17, 15, 29]);
  });

  test('inlay hint shows the defaulted pull policy after an image without one', async () => {
    const { document } = await open('deployment.yaml');
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, new vscode.Range(0, 0, document.lineCount, 0));
    const labels = hints.map((h) => `${h.position.line}:${h.position.character} ${typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')}`);
    assert.deepEqual(labels, ['15:29 imagePullPolicy: Always']);
  });

  test('quick fix applied through executeCodeActionProvider and applyEdit', async () => {
    const { document } = await open('deployment.yaml');
    await diagnosticsBecome(document.uri, DEPLOYMENT);
    const range = new vscode.Range(18, 27, 18, 33);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes("Change to 'Always'"), `quick fixes offered: ${titles.join(' | ')}`);
    assert.ok(titles.includes('Disable invalid-pull-policy for this line'), `quick fixes offered: ${titles.join(' | ')}`);
    const fix = actions.find((a) => a.title === "Change to 'Always'")!;
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(document.lineAt(18).text, '          imagePullPolicy: Always');
    assert.equal(document.lineAt(15).text, '          image: nginx:latest', 'other lines are untouched');
    await diagnosticsBecome(document.uri, DEPLOYMENT.filter((d) => !d.startsWith('invalid-pull-policy')));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnosticsBecome(document.uri, DEPLOYMENT);
  });

  test('source.fixAll.k8sImageLint runs on save when editor.codeActionsOnSave enables it', async () => {
    const editorConfig = vscode.workspace.getConfiguration('editor');
    await editorConfig.update('codeActionsOnSave', { 'source.fixAll.k8sImageLint': 'explicit' }, vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await open('fixable.yaml');
      await diagnosticsBecome(editor.document.uri, ['invalid-image-reference error 8:13-8:25', 'invalid-pull-policy error 9:23-9:35']);
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# saved with fix-all\n')));
      await vscode.commands.executeCommand('workbench.action.files.save');
      await until('the save to finish', () => !editor.document.isDirty);
      const expected = [
        '# saved with fix-all', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: fixable', 'spec:', '  containers:', '    - name: app',
        '      # keep this comment', '      image: team/app:1.0', '      imagePullPolicy: IfNotPresent', '',
      ].join('\n');
      assert.equal(readFileSync(editor.document.uri.fsPath, 'utf8'), expected);
      await diagnosticsBecome(editor.document.uri, []);
    } finally {
      await editorConfig.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a rule set to off takes effect without a reload, and back on again', async () => {
    const { document } = await open('deployment.yaml');
    await diagnosticsBecome(document.uri, DEPLOYMENT);
    const config = vscode.workspace.getConfiguration('k8sImageLint');
    await config.update('rules', { 'latest-tag': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await diagnosticsBecome(document.uri, DEPLOYMENT.filter((d) => !d.startsWith('latest-tag')));
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await diagnosticsBecome(document.uri, DEPLOYMENT);
  });

  test('stays silent on a GitHub workflow', async () => {
    const uri = workspaceUri('.github/workflows/ci.yml');
    // The server answers every opened document, an empty set included: wait for that answer, then check it.
    const published = nextDiagnosticsChange(uri);
    const { document } = await open('.github/workflows/ci.yml');
    await published;
    assert.deepEqual(describeDiagnostics(uri), []);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, positionOf(document, 'node:latest', 2));
    assert.equal(hoverText(hovers), '', 'not a Kubernetes object: no hover either');
    assert.deepEqual(describeDiagnostics(uri), []);
  });

  test('stays silent on a Helm template', async () => {
    const uri = workspaceUri('chart/templates/deployment.yaml');
    const published = nextDiagnosticsChange(uri);
    await open('chart/templates/deployment.yaml');
    await published;
    assert.deepEqual(describeDiagnostics(uri), []);
  });
});
