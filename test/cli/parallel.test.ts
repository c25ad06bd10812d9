// The CLI on worker threads (cli/parallel.ts) says exactly what the serial run says: the same report in every
// format, the same stderr, the same exit code, over the corpus (large files among small ones, kustomizations,
// charts) and over the project's examples and chart fixtures; --fix stays serial-equal too.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli, PROJECT_ROOT } from './harness';

const CORPUS = resolve(process.env.K8S_IMAGE_LINT_CORPUS ?? '../shared/corpus');
const SERIAL = { K8S_IMAGE_LINT_WORKERS: '0' };
const WORKERS = { K8S_IMAGE_LINT_WORKERS: '2' };
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the CLI on worker threads', { skip: existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, () => {
  for (const format of ['json', 'text', 'sarif']) {
    it(`over the corpus, --format ${format}: the serial run's output`, () => {
      const serial = cli(['--format', format, '.'], CORPUS, SERIAL);
      const parallel = cli(['--format', format, '.'], CORPUS, WORKERS);
      assert.ok(serial.stdout.length > 10_000, 'a real report');
      assert.equal(parallel.code, serial.code);
      assert.equal(parallel.stderr, serial.stderr);
      assert.equal(parallel.stdout, serial.stdout);
    });
  }

  it('over the examples and chart fixtures, and with --fix (files written once, the same way)', () => {
    const root = PROJECT_ROOT;
    const args = ['--format', 'json', 'examples', 'test/fixtures/charts'];
    const serial = cli(args, root, SERIAL);
    assert.deepEqual(cli(args, root, WORKERS), serial);
    const copies = [0, 1].map(() => {
      const d = mkdtempSync(join(tmpdir(), 'k8s-image-lint-parallel-'));
      dirs.push(d);
      cpSync(join(root, 'examples'), join(d, 'examples'), { recursive: true });
      return d;
    });
    const fixedSerial = cli(['--fix', '--format', 'json', 'examples'], copies[0], SERIAL);
    const fixedParallel = cli(['--fix', '--format', 'json', 'examples'], copies[1], WORKERS);
    assert.equal(fixedParallel.stdout, fixedSerial.stdout);
    assert.equal(fixedParallel.stderr, fixedSerial.stderr);
    // Every file of both copies, byte for byte.
    const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile()).sort();
    const [serialTree, parallelTree] = copies.map((d) => join(d, 'examples'));
    assert.deepEqual(files(parallelTree), files(serialTree));
    for (const f of files(serialTree)) assert.equal(readFileSync(join(parallelTree, f), 'utf8'), readFileSync(join(serialTree, f), 'utf8'), f);
    assert.ok(files(serialTree).some((f) => readFileSync(join(serialTree, f), 'utf8') !== readFileSync(join(root, 'examples', f), 'utf8')), 'the examples had fixes to make');
  });
});
