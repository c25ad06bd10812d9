import { pathToFileURL } from 'node:url';
import { FILE_TOO_LARGE, RULES, ruleDocUrl, type Severity } from '../service/index';
import type { JsonReport } from './report';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

interface RuleDescriptor {
  id: string;
  shortDescription: { text: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
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

/**
 * SARIF 2.1.0 with one run: every rule of the registry as a descriptor, one result per finding with a
 * 1-based region whose columns count UTF-16 code units (`columnKind`), and URIs relative to the working
 * directory (`%SRCROOT%`).
 */
export function formatSarif(report: JsonReport, toolVersion: string, cwd: string): string {
  const rules: RuleDescriptor[] = RULES.map((r) => ({
    id: r.id,
    shortDescription: { text: r.description },
    helpUri: ruleDocUrl(r.id),
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
  }));
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
        artifactLocation: { uri: relativeUri(file.path), uriBaseId: SRCROOT },
        region: {
          startLine: f.range.start.line + 1,
          startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
        },
      },
    }],
  })));
  let root = pathToFileURL(cwd).href;
  if (!root.endsWith('/')) root += '/';
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'k8s-image-lint', version: toolVersion, rules } },
      originalUriBaseIds: { [SRCROOT]: { uri: root } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** A `/`-separated relative path as a URI reference (each segment percent-encoded). */
function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
