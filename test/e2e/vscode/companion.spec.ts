/// <reference types="mocha" />
/**
 * Beside Red Hat's YAML extension (the stand-in of test/e2e/companion, running the real yaml-language-server with
 * a Kubernetes schema): syntax errors are its, not ours; it alone lists the pull-policy values; our hover says
 * what its schema cannot. Turning its validation off gives `yaml-syntax` back. Run in a session of its own.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, EXTENSION_ID, hoverText, positionOf, SOURCE, until, workspaceUri } from './helpers';

const RED_HAT = 'redhat.vscode-yaml';
const MANIFEST = [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', '      containers:',
  '        - name: web', '          image: nginx:latest', '          imagePullPolicy: IfNotPresent', '---', 'broken: [a', '',
].join('\n');

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE).map(codeOf).sort();
const theirs = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source !== SOURCE);

suite("Beside Red Hat's YAML extension", () => {
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    // A file, so that the session's schema association (`*.yaml`) applies to it.
    const uri = workspaceUri('beside-red-hat.yaml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(MANIFEST));
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const redHat = vscode.extensions.getExtension(RED_HAT);
    assert.ok(redHat, `${RED_HAT} is loaded (extensions: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')})`);
    const extensions = vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ');
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is loaded (extensions: ${extensions})`);
    const api = await redHat.activate() as { running(): boolean; errors: string[] };
    await until(`yaml-language-server to run (${api.errors.join('; ')})`, () => api.running(), 15_000);
    await until('both extensions to activate', () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive && redHat.isActive);
  });

  test('its validator reports the syntax error, and ours stays with the images', async () => {
    await until('yaml-language-server to report the syntax error', () => theirs(doc.uri).some((d) => d.range.start.line >= 12));
    await until('our findings', () => ours(doc.uri).includes('latest-tag'));
    assert.deepEqual(ours(doc.uri), ['latest-tag', 'stale-image-risk']);
  });

  test('the pull-policy values are offered once, by its schema', async () => {
    const at = positionOf(doc, 'IfNotPresent');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)).filter((l) => ['Always', 'IfNotPresent', 'Never'].includes(l));
    assert.deepEqual(labels.sort(), ['Always', 'IfNotPresent', 'Never'], `completion items: ${list.items.map((i) => JSON.stringify(i.label)).join(', ')}`);
  });

  test('our hover adds what the schema cannot say, not the list it shows', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'imagePullPolicy', 3));
    const text = hoverText(hovers);
    assert.match(text, /Image pull policy\. One of Always, Never, IfNotPresent/, 'its schema describes the field');
    assert.match(text, /Without it, `nginx:latest` would default to `Always`/);
    assert.doesNotMatch(text, /`Never`: never pull/);
  });

  test('with its validation off, yaml-syntax is ours again', async () => {
    await vscode.workspace.getConfiguration('yaml').update('validate', false, vscode.ConfigurationTarget.Global);
    try {
      await until('yaml-syntax from us', () => ours(doc.uri).includes('yaml-syntax'));
    } finally {
      await vscode.workspace.getConfiguration('yaml').update('validate', true, vscode.ConfigurationTarget.Global);
    }
    await until('yaml-syntax left to it again', () => !ours(doc.uri).includes('yaml-syntax'));
  });
});
