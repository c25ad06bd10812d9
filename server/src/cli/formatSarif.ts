import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FILE_TOO_LARGE, RULES, ruleDocUrl, type Severity } from '../service/index';
import type { JsonReport } from './report';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

interface RuleDescriptor {
  id: string;
  name?: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  help?: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel; enabled?: boolean };
  properties?: { tags: string[]; precision: 'very-high' | 'high' | 'medium' };
}

/** Rules that judge exactly what Kubernetes decides (a parse, a validation): code scanning ranks them first. */
const EXACT = new Set(['yaml-syntax', 'invalid-image-reference', 'invalid-pull-policy', 'missing-image', 'misplaced-image-pull-policy', 'misplaced-image-pull-secrets', 'malformed-image-pull-secrets', 'ephemeral-containers-in-manifest', 'latest-tag', 'missing-tag', 'tag-and-digest']);

/** `latest-tag` → `LatestTag`, SARIF's readable rule name. */
function ruleName(id: string): string {
  return id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** The rule's page (`docs/rules/<id>.md`, shipped beside the bundle), as help text; null when it is not there. */
function ruleHelp(id: string): string | null {
  for (const dir of [join(__dirname, '..', '..', 'docs', 'rules'), join(__dirname, '..', '..', '..', 'docs', 'rules')]) {
    try {
      return readFileSync(join(dir, `${id}.md`), 'utf8');
    } catch {
      // not in this layout
    }
  }
  return null;
}

/** Findings that are not rules of the registry (they have no docs page). */
const ENGINE_DESCRIPTORS: Record<string, RuleDescriptor> = {
  [FILE_TOO_LARGE]: {
    id: FILE_TOO_LARGE,
    shortDescription: { text: 'The file is larger than maxFileSizeKb and was not analysed.' },
    defaultConfiguration: { level: 'note' },
  },
};

const SRCROOT = '%SRCROOT%';
const INFORMATION_URI = 'https://github.com/k8s-image-lint/k8s-image-lint';

/**
 * SARIF 2.1.0 with one run: every rule of the registry as a descriptor, one result per finding with a
 * 1-based region whose columns count UTF-16 code units (`columnKind`), and URIs relative to the repository root
 * (`%SRCROOT%`; the working directory outside a repository), never `../`. Rules carry a name, descriptions, help
 * from their documentation page, tags and a precision, as code-scanning UIs show them.
 */
export function formatSarif(report: JsonReport, toolVersion: string, cwd: string, sarifRoot: string | null = null): string {
  const root = sarifRoot !== null ? resolve(cwd, sarifRoot) : repositoryRoot(cwd);
  const rules: RuleDescriptor[] = RULES.map((r) => {
    const markdown = ruleHelp(r.id);
    return {
      id: r.id,
      name: ruleName(r.id),
      shortDescription: { text: r.description },
      fullDescription: { text: r.description },
      help: { text: `${r.description} See ${ruleDocUrl(r.id)}`, markdown: markdown ?? `${r.description}\n\n[Documentation](${ruleDocUrl(r.id)})` },
      helpUri: ruleDocUrl(r.id),
      defaultConfiguration: r.defaultSeverity === 'off' ? { enabled: false, level: 'note' } : { level: LEVEL[r.defaultSeverity] },
      properties: { tags: ['kubernetes', 'container-image', r.id.includes('secret') ? 'pull-secrets' : r.id.includes('policy') ? 'pull-policy' : 'image'], precision: EXACT.has(r.id) ? 'very-high' : 'high' },
    };
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const ruleIndex = (id: string): number | undefined => {
    if (!index.has(id) && ENGINE_DESCRIPTORS[id]) {
      index.set(id, rules.length);
      rules.push(ENGINE_DESCRIPTORS[id]);
    }
    return index.get(id);
  };
  const results = report.files.flatMap((file) => file.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: artifact(root, resolve(cwd, file.path)),
        region: {
          startLine: f.range.start.line + 1,
          startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
        },
      },
    }],
  })));
  let rootUri = pathToFileURL(root).href;
  if (!rootUri.endsWith('/')) rootUri += '/';
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'k8s-image-lint', version: toolVersion, semanticVersion: toolVersion, informationUri: INFORMATION_URI, rules } },
      originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/**
 * Where paths are relative to: the repository root (the nearest directory above the working directory holding
 * `.git`), as code scanning expects, else the working directory.
 */
function repositoryRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** A file's location: relative to the root (never `../`), or an absolute `file:` URI for a file outside it. */
function artifact(root: string, file: string): { uri: string; uriBaseId?: string } {
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: relativeUri(rel.split(sep).join('/')), uriBaseId: SRCROOT };
}

/** A `/`-separated relative path as a URI reference (each segment percent-encoded). */
function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
