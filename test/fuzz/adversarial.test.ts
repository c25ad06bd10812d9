/**
 * Adversarial shapes: inputs built to find a super-linear path (each shape a bug that once took seconds to minutes
 * on an ordinary-looking file). Each shape is analysed at a size and at eight times that size; a linear analysis
 * takes about eight times as long, a quadratic one sixty-four: the property fails past twenty-four. Ratios of the
 * same run, so a slow or busy machine does not decide. Plus a property that the linear template scanner finds the
 * very actions the regular expression it replaced found.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyze, defaultSettings } from '../../server/src/service/index';
import { templateActions } from '../../server/src/service/parse/templates';
import { isTemplated } from '../../server/src/service/parse/manifests';
import { excessiveNesting, MAX_NESTING, nestingScan } from '../../server/src/service/parse/documentCache';
import { holds, params } from './config';
import { registryGlobMatches } from '../../server/src/service/rules/registryNotAllowed';

const settings = { ...defaultSettings(), maxFileSizeKb: 100_000 };
const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nx: &img nginx:1.2\nspec:\n  containers:\n';
const times = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('');

/** Each shape, as a function of its size (lines or repeats). */
const SHAPES: Record<string, (n: number) => string> = {
  'Helm values on every line (LF)': (n) => HEAD + times(n, (i) => `  k${i}: {{ .Values.x${i} }}\n`),
  'a line of {{ with no }}': (n) => `${HEAD}  x: ${'{{ a '.repeat(n)}\n`,
  'unclosed {{ lines in a block scalar': (n) => `${HEAD}  s: |\n${'    {{ x\n'.repeat(n)}`,
  'every image an alias': (n) => POD + times(n, (i) => `  - name: c${i}\n    image: *img\n`),
  'empty documents': (n) => '---\n'.repeat(n * 8),
  'one map with many keys': (n) => HEAD + times(n, (i) => `  k${i}: v\n`),
  'many tiny documents': (n) => times(n, (i) => `---\na: ${i}\n`),
  'quoted continuations left of their keys': (n) => HEAD + times(n, (i) => `  k${i}: 'a\n  b'\n`),
  'duplicate keys': (n) => HEAD + times(n, () => '  k: v\n'),
};

function ms(text: string): number {
  const started = performance.now();
  analyze(text, settings);
  return performance.now() - started;
}

describe('adversarial shapes stay linear', () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    it(name, () => {
      const small = make(1000);
      const big = make(8000);
      ms(small); // warm-up
      // The best of two runs each: a garbage collection in one run does not decide.
      const a = Math.min(ms(small), ms(small));
      const b = Math.min(ms(big), ms(big));
      assert.ok(b < 24 * Math.max(a, 2), `${name}: ${a.toFixed(1)} ms at ${small.length} characters, ${b.toFixed(1)} ms at ${big.length}`);
    });
  }
});

/** The regular expression the scanner replaced (it backtracked on a line of `{{`), kept as the oracle. */
const ACTION = /\{\{(?:[^}\n\r]|\}(?!\}))*\}\}/g;

describe('the linear scanners agree with what they replaced', () => {
  const text = fc.array(fc.constantFrom('{{', '}}', '{', '}', ' ', 'a', '\n', '\r', '-', ':'), { maxLength: 80 }).map((parts) => parts.join(''));
  it('templateActions finds exactly the regular expression\'s matches', () => {
    holds(fc.property(text, (t) => {
      const expected = [...t.matchAll(ACTION)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
      assert.deepEqual(templateActions(t), expected);
    }), params(2000));
  });
  it('isTemplated is /\\{\\{.*?\\}\\}/s', () => {
    holds(fc.property(text, (t) => assert.equal(isTemplated(t), /\{\{.*?\}\}/s.test(t))), params(2000));
  });
  it('a run of stars in allowedRegistries means what ** means', () => {
    const stars = `${'*'.repeat(30)}c`;
    assert.equal(registryGlobMatches(stars, 'a'.repeat(200), 'b'), false);
    assert.equal(registryGlobMatches(stars, 'xc', 'b'), true);
  });
  it('the nesting guard\'s shortcut never hides what its scan finds', () => {
    // Pieces around the limit: brackets, deep indents, runs of indicators, block scalars and comments that hide them.
    const around = fc.integer({ min: MAX_NESTING - 20, max: MAX_NESTING + 20 });
    const piece = fc.oneof(
      around.map((n) => '['.repeat(n)), around.map((n) => '{'.repeat(n >> 1)), fc.constantFrom(']', '}', 'a: b\n', 'x: |\n', '# [[\n', '\n', '\r\n'),
      around.map((n) => `\n${' '.repeat(n)}a:`), around.map((n) => `\n${'- '.repeat(n)}x`), around.map((n) => `\n${'?\t'.repeat(n >> 1)}x`),
      // A staircase: every line one deeper, the block levels the scan counts.
      around.map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:\n`).join('')),
    );
    // Both outcomes are exercised: texts the scan finds too deep, and texts within the limit (which the shortcut may skip).
    let deep = 0;
    let within = 0;
    holds(fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
      const t = parts.join('');
      const scanned = nestingScan(t);
      assert.equal(excessiveNesting(t), scanned);
      if (scanned < 0) within++;
      else deep++;
    }), params(1500));
    assert.ok(deep > 0 && within > 0, `${deep} too deep, ${within} within the limit`);
  });
  it('the nesting guard ignores block scalars and sees indentation', () => {
    assert.equal(excessiveNesting(`x: |\n${'  {{ x\n'.repeat(MAX_NESTING + 50)}`), -1);
    assert.equal(excessiveNesting(`x: >-\n${'  [[[[\n'.repeat(MAX_NESTING)}`), -1);
    let deep = 'a:\n';
    for (let i = 1; i <= MAX_NESTING + 1; i++) deep += `${' '.repeat(i)}a:\n`;
    assert.ok(excessiveNesting(deep) > 0, 'indentation deeper than the limit');
    assert.ok(excessiveNesting(`a: ${'['.repeat(MAX_NESTING + 1)}`) > 0, 'flow deeper than the limit');
  });
});
