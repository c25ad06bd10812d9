// package.json's settings schema must describe exactly the settings the service understands, with the same
// defaults, and every rule must have a severity entry and a documentation page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultSettings } from '../../server/src/service/settings';
import { RULES } from '../../server/src/service/rules/index';
import { FILE_TOO_LARGE } from '../../server/src/service/analyze';

// Compiled tests live in out/test/unit; the sources in test/unit. Either way the root is three or two levels up.
const ROOT = [path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../..')]
  .find((dir) => existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'docs')))!;
const PREFIX = 'k8sImageLint.';
const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  scope?: string;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minimum?: number;
}

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const configuration = pkg.contributes?.configuration as { title?: string; properties?: Record<string, Schema> };
const properties = configuration?.properties ?? {};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The settings as dotted keys, the way VS Code names them: a nested object is descended into unless
 * package.json declares it as one setting (as `rules` is: a map from rule id to severity).
 */
function flatten(value: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, v] of Object.entries(value)) {
    const dotted = prefix + key;
    if (isPlainObject(v) && !(PREFIX + dotted in properties)) {
      for (const [k, inner] of flatten(v, dotted + '.')) out.set(k, inner);
    } else {
      out.set(dotted, v);
    }
  }
  return out;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeAccepts(schema: Schema, v: unknown): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const t = jsonType(v);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

const flat = flatten(defaultSettings() as unknown as Record<string, unknown>);

test('contributes.configuration has the display title and only k8sImageLint.* properties', () => {
  assert.equal(configuration?.title, 'Kubernetes Image Lint');
  const keys = Object.keys(properties);
  assert.ok(keys.length > 0, 'no configuration properties');
  for (const key of keys) assert.ok(key.startsWith(PREFIX), `${key} lacks the ${PREFIX} prefix`);
});

test('every setting of defaultSettings() has a property with the same default', () => {
  for (const [key, value] of flat) {
    const prop = properties[PREFIX + key];
    assert.ok(prop, `package.json has no property ${PREFIX}${key}`);
    assert.deepEqual(prop.default, value, `default of ${PREFIX}${key}`);
  }
});

test('every property is a setting of defaultSettings() (no stale entries)', () => {
  for (const key of Object.keys(properties)) {
    assert.ok(flat.has(key.slice(PREFIX.length)), `${key} is not a setting of settings.ts`);
  }
});

test('every property has a type, a description, a scope, and a default its schema accepts', () => {
  for (const [key, prop] of Object.entries(properties)) {
    assert.ok(prop.type, `${key}: no type`);
    assert.ok((prop.markdownDescription ?? prop.description ?? '').trim().length > 20, `${key}: no description`);
    assert.ok(prop.scope, `${key}: no scope`);
    assert.ok(typeAccepts(prop, prop.default), `${key}: default ${JSON.stringify(prop.default)} is not of type ${prop.type}`);
    if (prop.enum) assert.ok(prop.enum.includes(prop.default), `${key}: default is not in its enum`);
    if (Array.isArray(prop.default)) {
      assert.ok(prop.items?.type, `${key}: array without an items schema`);
      for (const item of prop.default) assert.ok(typeAccepts(prop.items!, item), `${key}: default item ${item}`);
    }
    if (prop.minimum !== undefined) assert.ok((prop.default as number) >= prop.minimum, `${key}: default below minimum`);
  }
});

test('lint settings vary per folder; the trace setting is per window', () => {
  for (const [key, prop] of Object.entries(properties)) {
    const expected = key === `${PREFIX}trace.server` ? 'window' : 'resource';
    assert.equal(prop.scope, expected, `${key}: scope`);
  }
});

test('the enumerated settings list exactly the values settings.ts accepts', () => {
  assert.deepEqual(properties[`${PREFIX}registry.lookups`].enum, ['off', 'manual', 'auto']);
  assert.deepEqual(properties[`${PREFIX}trace.server`].enum, ['off', 'messages', 'verbose']);
  assert.equal(properties[`${PREFIX}maxFileSizeKb`].minimum, 1);
});

test('the rules setting lists every rule id with the five severities and its default', () => {
  const rules = properties[`${PREFIX}rules`];
  assert.equal(rules.type, 'object');
  const additional = rules.additionalProperties;
  assert.ok(isPlainObject(additional), 'rules: additionalProperties must be a schema');
  assert.deepEqual((additional as Schema).enum, SEVERITIES, 'rules: additionalProperties enum');
  assert.ok(RULES.length > 0);
  for (const rule of RULES) {
    const entry = rules.properties?.[rule.id];
    assert.ok(entry, `rules: no entry for ${rule.id}`);
    assert.deepEqual(entry.enum, SEVERITIES, `rules.${rule.id}: enum`);
    assert.equal(entry.default, rule.defaultSeverity, `rules.${rule.id}: default`);
    assert.ok((entry.markdownDescription ?? entry.description ?? '').length > 0, `rules.${rule.id}: no description`);
  }
  for (const id of Object.keys(rules.properties ?? {})) {
    assert.ok(RULES.some((r) => r.id === id), `rules: ${id} is not a registered rule`);
  }
});

test('every rule, and file-too-large, has a documentation page listed in docs/rules/README.md', () => {
  const index = readFileSync(path.join(ROOT, 'docs/rules/README.md'), 'utf8');
  for (const id of [...RULES.map((r) => r.id), FILE_TOO_LARGE]) {
    const page = path.join(ROOT, 'docs/rules', `${id}.md`);
    assert.ok(existsSync(page), `docs/rules/${id}.md is missing`);
    const text = readFileSync(page, 'utf8');
    assert.equal(text.split('\n')[0], `# ${id}`, `docs/rules/${id}.md: title`);
    assert.ok(index.includes(`](${id}.md)`), `docs/rules/README.md does not link ${id}.md`);
  }
  for (const rule of RULES) {
    const text = readFileSync(path.join(ROOT, 'docs/rules', `${rule.id}.md`), 'utf8');
    assert.ok(text.includes(`**${rule.defaultSeverity}**`), `docs/rules/${rule.id}.md: default severity ${rule.defaultSeverity}`);
  }
});
