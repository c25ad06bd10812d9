// Writes schemas/k8s-image-lint.schema.json, the JSON Schema of `.k8s-image-lint.yaml`, from the settings that
// package.json contributes (types, enums, ranges, defaults, descriptions) and the rule registry (ids, default
// severities, descriptions). The editor registers it through `contributes.yamlValidation` (completion and
// validation in the file); the server and the CLI check config files against it. `npm run schema` after a
// setting or rule changes; test/unit/configSchema.test.ts fails while the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SECTION = 'k8sImageLint.';
const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];
const KEPT = ['type', 'enum', 'enumDescriptions', 'items', 'uniqueItems', 'minimum', 'maximum', 'default', 'pattern', 'patternErrorMessage'];

/** Plain text of a setting's Markdown description (for `description`; `markdownDescription` keeps the original). */
function plain(markdown) {
  return markdown.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`([^`]+)`/g, '$1').replace(/\*\*([^*]+)\*\*/g, '$1');
}

/** The schema for `pkg` (package.json) and `rules` ({ id, defaultSeverity, description }[], plus extra ids). */
export function configSchema(pkg, rules) {
  const contributed = [pkg.contributes.configuration].flat();
  const root = { type: 'object', additionalProperties: false, properties: {} };
  for (const block of contributed) {
    for (const [key, spec] of Object.entries(block.properties)) {
      if (!key.startsWith(SECTION)) continue;
      const path = key.slice(SECTION.length).split('.');
      let parent = root;
      for (const part of path.slice(0, -1)) {
        parent.properties[part] ??= { type: 'object', additionalProperties: false, properties: {} };
        parent = parent.properties[part];
      }
      const property = Object.fromEntries(KEPT.filter((k) => spec[k] !== undefined).map((k) => [k, spec[k]]));
      const markdown = spec.markdownDescription ?? spec.description ?? '';
      if (markdown) Object.assign(property, { description: plain(markdown), markdownDescription: markdown });
      parent.properties[path[path.length - 1]] = property;
    }
  }
  root.properties.rules = {
    ...root.properties.rules,
    additionalProperties: false,
    properties: Object.fromEntries(rules.map((r) => [r.id, {
      enum: SEVERITIES, default: r.defaultSeverity, description: plain(r.description), markdownDescription: r.description,
    }])),
  };
  delete root.properties.rules.default;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/k8s-image-lint/k8s-image-lint/blob/main/schemas/k8s-image-lint.schema.json',
    title: '.k8s-image-lint.yaml',
    description: 'Settings of k8s-image-lint for the files at and below this folder: the k8sImageLint.* editor settings, without the prefix.',
    ...root,
  };
}

/** The rule ids the settings accept: the registry's rules, and the file-too-large notice. */
export function schemaRules(rulesModule, analyzeModule) {
  return [
    ...rulesModule.RULES.map((r) => ({ id: r.id, defaultSeverity: r.defaultSeverity, description: r.description })),
    { id: analyzeModule.FILE_TOO_LARGE, defaultSeverity: 'info', description: 'A file over maxFileSizeKb is not analysed; this notice says so.' },
  ];
}

export function schemaText(pkg, rules) {
  return `${JSON.stringify(configSchema(pkg, rules), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const require = createRequire(import.meta.url);
  // The rule registry as built by `node esbuild.mjs` (out/ mirrors the sources).
  const rules = schemaRules(require(join(root, 'out/server/src/service/rules/index.js')), require(join(root, 'out/server/src/service/analyze.js')));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(root, 'schemas', 'k8s-image-lint.schema.json'), schemaText(pkg, rules));
}
