/**
 * What a settings object (a parsed `.k8s-image-lint.yaml`) holds that the linter does not understand: unknown keys,
 * unknown rule ids, values of the wrong type. Reported as warnings (SPEC §6: reported, not ignored); linting goes on
 * with the rest, and the defaults where a value is unusable.
 */
import { RULES_BY_ID } from './rules/index';
import { FILE_TOO_LARGE } from './analyze';

type Check = 'boolean' | 'strings' | 'number' | 'rules' | { oneOf: readonly string[] } | { [key: string]: Check };

const SCHEMA: { [key: string]: Check } = {
  enable: 'boolean',
  rules: 'rules',
  mutableTags: 'strings',
  allowedRegistries: 'strings',
  publicRegistries: 'strings',
  podSpecPaths: 'strings',
  exclude: 'strings',
  maxFileSizeKb: 'number',
  inlayHints: { enabled: 'boolean' },
  registry: { lookups: { oneOf: ['off', 'manual', 'auto'] }, timeoutMs: 'number', insecure: 'strings' },
  trace: { server: { oneOf: ['off', 'messages', 'verbose'] } },
};
const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One sentence per problem, naming the key (`registry.lookups`), in the order written. */
export function settingsWarnings(raw: unknown): string[] {
  return isObj(raw) ? check(raw, SCHEMA, '') : [];
}

function check(raw: Record<string, unknown>, schema: { [key: string]: Check }, prefix: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const name = `${prefix}${key}`;
    const expected = schema[key];
    if (expected === undefined) {
      out.push(`unknown setting ${name} (ignored).`);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (expected === 'boolean' && typeof value !== 'boolean') out.push(`${name} must be true or false (ignored).`);
    else if (expected === 'number' && typeof value !== 'number') out.push(`${name} must be a number (ignored).`);
    else if (expected === 'strings' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) out.push(`${name} must be a list of strings (ignored).`);
    else if (expected === 'rules') {
      if (!isObj(value)) out.push(`${name} must map rule ids to severities (ignored).`);
      else {
        for (const [id, severity] of Object.entries(value)) {
          if (!RULES_BY_ID.has(id) && id !== FILE_TOO_LARGE) out.push(`${name}: unknown rule id ${id} (ignored).`);
          else if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) out.push(`${name}.${id} must be one of ${SEVERITIES.join(', ')} (ignored).`);
        }
      }
    } else if (typeof expected === 'object' && 'oneOf' in expected) {
      if (typeof value !== 'string' || !(expected.oneOf as readonly string[]).includes(value)) out.push(`${name} must be one of ${(expected.oneOf as readonly string[]).join(', ')} (ignored).`);
    } else if (typeof expected === 'object') {
      if (!isObj(value)) out.push(`${name} must be a mapping (ignored).`);
      else out.push(...check(value, expected as { [key: string]: Check }, `${name}.`));
    }
  }
  return out;
}
