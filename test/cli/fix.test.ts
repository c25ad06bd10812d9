import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, deployment, tree } from './harness';

const BROKEN = '# the web tier\n' + deployment('nginx:1.27.2 # pinned by hand', 'imagePullPolicy: always   # sic');

test('--fix rewrites the file, keeps comments, reports what remains, and is idempotent', () => {
  const root = tree({ 'web.yaml': BROKEN });
  const file = join(root, 'web.yaml');
  assert.equal(cli(['web.yaml'], root).code, 1, 'invalid-pull-policy is an error before the fix');

  const first = cli(['--format', 'json', '--fix', 'web.yaml'], root);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const fixed = readFileSync(file, 'utf8');
  assert.notEqual(fixed, BROKEN);
  assert.match(fixed, /imagePullPolicy: Always {3}# sic/);
  assert.match(fixed, /^# the web tier$/m);
  assert.match(fixed, /image: nginx:1\.27\.2 # pinned by hand/);
  const report = JSON.parse(first.stdout);
  assert.ok(!report.files[0].findings.some((f: any) => f.ruleId === 'invalid-pull-policy'), 'the report shows the fixed text');

  const old = new Date('2001-01-01T00:00:00Z');
  utimesSync(file, old, old);
  const second = cli(['--fix', 'web.yaml'], root);
  assert.equal(second.code, 0);
  assert.equal(readFileSync(file, 'utf8'), fixed, 'a second --fix changes nothing');
  assert.equal(statSync(file).mtimeMs, old.getTime(), 'an unchanged file is not rewritten');
  assert.doesNotMatch(second.stderr, /Fixed/);
});

test('--fix keeps CRLF line endings and a byte-order mark', () => {
  const crlf = '\uFEFF' + BROKEN.replace(/\n/g, '\r\n');
  const root = tree({ 'web.yaml': crlf });
  const r = cli(['--fix', 'web.yaml'], root);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /Fixed 1 file\./);
  const fixed = readFileSync(join(root, 'web.yaml'), 'utf8');
  assert.ok(fixed.startsWith('\uFEFF# the web tier\r\n'));
  assert.match(fixed, /imagePullPolicy: Always/);
  assert.doesNotMatch(fixed, /[^\r]\n/, 'every line break is still CRLF');
});

test('without --fix nothing is written', () => {
  const root = tree({ 'web.yaml': BROKEN });
  cli(['--format', 'sarif', 'web.yaml'], root);
  assert.equal(readFileSync(join(root, 'web.yaml'), 'utf8'), BROKEN);
});
