/**
 * The TextMate injection grammar (syntaxes/), checked with vscode-tmgrammar-test against VS Code's own YAML
 * grammar: assertion files (`*.test.yaml`, each `^` names the scopes a column must have or lack) and snapshots
 * (`snapshots/*.yaml` with their `.snap`; after an intended change: `npx vscode-tmgrammar-snap --config
 * test/grammar/grammars.json --updateSnapshot 'test/grammar/snapshots/*.yaml'`).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '..', '..', '..');
const tool = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist');
const config = join('test', 'grammar', 'grammars.json');

function run(script: string, pattern: string): string {
  const r = spawnSync(process.execPath, [join(tool, script), '--config', config, pattern], { cwd: root, encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, output);
  return output;
}

test('scope assertions in test/grammar/*.test.yaml hold', () => {
  assert.match(run('unit.js', 'test/grammar/*.test.yaml'), /images\.test\.yaml run successfuly/);
});

test('snapshots in test/grammar/snapshots match', () => {
  assert.match(run('snapshot.js', 'test/grammar/snapshots/*.yaml'), /deployment\.yaml run successfully/);
});

test('package.json contributes the injection grammar into source.yaml', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const grammar = JSON.parse(readFileSync(join(root, 'syntaxes', 'k8s-image.injection.tmLanguage.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.grammars, [{ scopeName: grammar.scopeName, path: './syntaxes/k8s-image.injection.tmLanguage.json', injectTo: ['source.yaml'] }]);
  assert.match(grammar.injectionSelector, /^L:source\.yaml /);
});
