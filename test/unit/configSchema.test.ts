// The config file's JSON Schema is generated from package.json's settings and the rule registry; the checker of
// `.k8s-image-lint.yaml` walks it. Stale schema, a setting the checker would not know, a range that disagrees.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import * as analyzeModule from '../../server/src/service/analyze';
import * as rulesModule from '../../server/src/service/rules/index';
import { NUMBER_RANGES } from '../../server/src/service/settings';
import { configProblems } from '../../server/src/service/settingsCheck';

const ROOT = resolve(__dirname, '../../..');

describe('the config file schema', () => {
  it('is what scripts/config-schema.mjs makes of package.json and the rules (run `npm run schema`)', async () => {
    const { schemaRules, schemaText } = await import(join(ROOT, 'scripts', 'config-schema.mjs'));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(readFileSync(join(ROOT, 'schemas', 'k8s-image-lint.schema.json'), 'utf8'), schemaText(pkg, schemaRules(rulesModule, analyzeModule)));
  });

  it('is registered for .k8s-image-lint.yaml and shipped', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.yamlValidation, [{ fileMatch: '.k8s-image-lint.yaml', url: './schemas/k8s-image-lint.schema.json' }]);
    assert.ok(pkg.files.includes('schemas/*.json'));
    assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), /^!schemas\/\*\.json$/m);
  });

  it('has the ranges the settings parser enforces', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'k8s-image-lint.schema.json'), 'utf8'));
    assert.deepEqual([schema.properties.maxFileSizeKb.minimum, schema.properties.maxFileSizeKb.maximum], [NUMBER_RANGES.maxFileSizeKb.min, NUMBER_RANGES.maxFileSizeKb.max]);
    const timeout = schema.properties.registry.properties.timeoutMs;
    assert.deepEqual([timeout.minimum, timeout.maximum], [NUMBER_RANGES['registry.timeoutMs'].min, NUMBER_RANGES['registry.timeoutMs'].max]);
  });
});

describe('config file problems', () => {
  const at = (text: string) => configProblems(text).map((p) => `${p.severity} ${text.slice(p.range.start, p.range.end)}: ${p.message}`);

  it('a valid file, an empty one and comments have none', () => {
    assert.deepEqual(at('rules:\n  latest-tag: error\nregistry: {lookups: auto, timeoutMs: 5000}\nmutableTags: [stable]\nexclude:\n'), []);
    assert.deepEqual(at(''), []);
    assert.deepEqual(at('# nothing yet\n'), []);
  });

  it('names each unknown key, rule id and wrong value at its range', () => {
    assert.deepEqual(at('rules:\n  latest-tags: error\n  missing-tag: loud\nmutableTag: [x]\nregistry:\n  lookup: auto\n  timeoutMs: 5\ninlayHints: {enabled: "no"}\nmutableTags: stable\n'), [
      'warning latest-tags: rules: unknown rule id latest-tags (ignored)',
      'warning loud: rules.missing-tag must be one of error, warning, info, hint, off (ignored)',
      'warning mutableTag: unknown setting mutableTag (ignored)',
      'warning lookup: unknown setting registry.lookup (ignored)',
      'error 5: registry.timeoutMs must be a whole number from 100 to 300000, not 5',
      'warning "no": inlayHints.enabled must be true or false (ignored)',
      'warning stable: mutableTags must be a list of strings (ignored)',
    ]);
  });

  it('the file-too-large notice is a rule id too; a list is not a mapping; broken YAML is an error', () => {
    assert.deepEqual(at('rules: {file-too-large: off}\n'), []);
    assert.deepEqual(at('- a\n'), ['error - a: A config file is a mapping of settings, such as "rules: {latest-tag: error}"']);
    assert.match(at('rules: [\n')[0], /^error .*Invalid YAML/);
  });
});
