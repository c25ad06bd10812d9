import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import { cli, deployment, tree } from './harness';
import { writeIfUnchanged } from '../../server/src/node/safeWrite';

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

describe('--fix never loses data', () => {
  const broken = deployment('nginx:1.27', 'imagePullPolicy: always');
  it('bytes that are not UTF-8 survive outside the edited span', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = tree({});
    // Latin-1 `café`, a truncated sequence, an overlong one: none of them UTF-8.
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0x0a]), Buffer.from('# '), Buffer.from([0xc3, 0x28, 0xc0, 0xaf, 0x0a]), Buffer.from(broken)]);
    writeFileSync(join(root, 'l.yaml'), latin1);
    assert.equal(cli(['--fix', 'l.yaml'], root).code, 0);
    const after = readFileSync(join(root, 'l.yaml'));
    const expected = Buffer.concat([latin1.subarray(0, latin1.length - Buffer.byteLength(broken)), Buffer.from(broken.replace('always', 'Always'))]);
    assert.deepEqual([...after], [...expected]);
  });
  it('writes atomically and keeps the file mode', async () => {
    const { chmodSync, readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = tree({ 'd/a.yaml': broken });
    chmodSync(join(root, 'd/a.yaml'), 0o640);
    assert.equal(cli(['--fix', 'd'], root).code, 0);
    assert.equal(statSync(join(root, 'd/a.yaml')).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(join(root, 'd')), ['a.yaml'], 'no temporary file left');
  });
  it('never writes through a symbolic link that leads outside the tree given', async () => {
    const { readFileSync, symlinkSync, lstatSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = tree({ 'outside/target.yaml': broken, 'repo/inside.yaml': broken });
    symlinkSync(join(root, 'outside/target.yaml'), join(root, 'repo/link.yaml'));
    symlinkSync(join(root, 'repo/inside.yaml'), join(root, 'repo/link-in.yaml'));
    const r = cli(['--fix', 'repo'], root);
    assert.match(r.stderr, /repo\/link\.yaml is a symbolic link to .*outside\/target\.yaml, outside the paths given: its fixes were not written\./);
    assert.equal(readFileSync(join(root, 'outside/target.yaml'), 'utf8'), broken);
    assert.ok(lstatSync(join(root, 'repo/link-in.yaml')).isSymbolicLink(), 'a link inside the tree stays a link');
    assert.match(readFileSync(join(root, 'repo/inside.yaml'), 'utf8'), /imagePullPolicy: Always/);
  });
});

test('a file that changed since it was read is left as it is now', async () => {
  const { writeFileSync } = await import('node:fs');
  const root = tree({ 'a.yaml': 'old\n' });
  const file = join(root, 'a.yaml');
  writeFileSync(file, 'edited meanwhile\n');
  const refused = writeIfUnchanged(file, Buffer.from('old\n'), Buffer.from('fixed\n'), [root], 'a.yaml');
  assert.equal(refused, 'a.yaml changed while it was being fixed: it was left as it is now; run again to fix it.');
  assert.equal(readFileSync(file, 'utf8'), 'edited meanwhile\n');
  assert.equal(writeIfUnchanged(file, Buffer.from('edited meanwhile\n'), Buffer.from('fixed\n'), [root], 'a.yaml'), null);
  assert.equal(readFileSync(file, 'utf8'), 'fixed\n');
});
