/**
 * What a `.k8s-image-lint.yaml` holds that the linter does not understand, checked against the shipped JSON
 * Schema (schemas/k8s-image-lint.schema.json, the one the editor registers for completion): unknown keys and rule
 * ids and values of the wrong type are warnings (SPEC §6: reported, not ignored; linting goes on with the rest and
 * the defaults where a value is unusable); a number out of range or a file that is not a mapping is an error (the
 * CLI refuses the file). Each problem has the range of its key or value, for diagnostics in the file itself.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import schema from '../../../schemas/k8s-image-lint.schema.json';
import { rangeOf } from './parse/yamlNodes';
import type { OffsetRange } from './types';

interface SchemaNode {
  type?: string;
  enum?: readonly string[];
  items?: SchemaNode;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean;
}

export interface ConfigProblem {
  /** One sentence naming the key (`registry.lookups`), e.g. "unknown setting mutableTag (ignored)". */
  message: string;
  range: OffsetRange;
  severity: 'error' | 'warning';
}

const ROOT = schema as SchemaNode;

/** The problems of a config file's text, in the order written; YAML errors included. */
export function configProblems(text: string): ConfigProblem[] {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const syntax = doc.errors.map((e): ConfigProblem => ({ message: `Invalid YAML: ${e.message.split('\n')[0].replace(/\.$/, '')}`, range: { start: e.pos[0], end: e.pos[1] }, severity: 'error' }));
  if (syntax.length > 0) return syntax;
  const contents = doc.contents as Node | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) return [];
  if (!isMap(contents)) return [{ message: 'A config file is a mapping of settings, such as "rules: {latest-tag: error}"', range: rangeOf(contents), severity: 'error' }];
  return checkMap(contents, ROOT, '');
}

function checkMap(map: Node, spec: SchemaNode, prefix: string): ConfigProblem[] {
  if (!isMap(map)) return [];
  const out: ConfigProblem[] = [];
  const isRules = spec === ROOT.properties?.rules;
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    const name = isScalar(key) ? String(key.value) : '';
    const keyRange = key ? rangeOf(key) : rangeOf(map);
    const sub = spec.properties?.[name];
    if (!sub) {
      if (spec.additionalProperties === false) {
        out.push({ message: isRules ? `${prefix.slice(0, -1)}: unknown rule id ${name} (ignored)` : `unknown setting ${prefix}${name} (ignored)`, range: keyRange, severity: 'warning' });
      }
      continue;
    }
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    out.push(...checkValue(value, sub, `${prefix}${name}`));
  }
  return out;
}

function checkValue(value: Node, spec: SchemaNode, name: string): ConfigProblem[] {
  const at = (message: string, severity: ConfigProblem['severity'] = 'warning'): ConfigProblem[] => [{ message, range: rangeOf(value), severity }];
  const v = isScalar(value) ? value.value : undefined;
  if (spec.enum) return typeof v === 'string' && spec.enum.includes(v) ? [] : at(`${name} must be one of ${spec.enum.join(', ')} (ignored)`);
  switch (spec.type) {
    case 'boolean':
      return typeof v === 'boolean' ? [] : at(`${name} must be true or false (ignored)`);
    case 'integer':
    case 'number': {
      if (typeof v !== 'number') return at(`${name} must be a number (ignored)`);
      const whole = spec.type === 'integer' && !Number.isInteger(v);
      const out = (spec.minimum !== undefined && v < spec.minimum) || (spec.maximum !== undefined && v > spec.maximum);
      return whole || out ? at(`${name} must be a whole number from ${spec.minimum} to ${spec.maximum}, not ${String(v)}`, 'error') : [];
    }
    case 'string':
      return typeof v === 'string' ? [] : at(`${name} must be a string (ignored)`);
    case 'array':
      return isSeq(value) && value.items.every((i) => isScalar(i) && typeof i.value === 'string') ? [] : at(`${name} must be a list of strings (ignored)`);
    case 'object':
      if (!isMap(value)) return at(name === 'rules' ? 'rules must map rule ids to severities (ignored)' : `${name} must be a mapping (ignored)`);
      return checkMap(value, spec, `${name}.`);
    default:
      return [];
  }
}
