/**
 * What one parsed file contributes to the workspace index: its Secrets (with the registries they hold
 * credentials for), ServiceAccounts (with their `imagePullSecrets`), and its kustomization. Pure and cheap:
 * it walks the objects the analysis already parsed.
 */
import { isMap, isScalar } from 'yaml';
import type { ManifestFile } from '../parse/manifests';
import { isTemplated } from '../parse/manifests';
import { mapAt, pairOf, rangeOf, seqAt, stringAt } from '../parse/yamlNodes';
import type { Lines } from '../text/lines';
import type { OffsetRange } from '../types';
import { explicitNamespace, kustomizationRoot, readKustomization } from './kustomize';
import { readPullSecret } from './pullSecretPayload';
import type { FileEntry, SecretInfo, ServiceAccountInfo, SourceLocation } from './types';
import { baseName, docKey, isKustomizationName } from './uris';

/** The index entry of a parsed file. `uri` is the document's URI (or any stable id for tests and untitled files). */
export function extractEntry(file: ManifestFile, lines: Lines, uri: string): FileEntry {
  const locate = (offsets: OffsetRange): SourceLocation => ({ uri, offsets, start: lines.position(offsets.start), end: lines.position(offsets.end) });
  const secrets: SecretInfo[] = [];
  const serviceAccounts: ServiceAccountInfo[] = [];
  for (const obj of file.objects) {
    if (obj.apiVersion !== 'v1' || (obj.kind !== 'Secret' && obj.kind !== 'ServiceAccount')) continue;
    const metadata = mapAt(obj.node, 'metadata');
    const nameNode = metadata ? pairOf(metadata, 'name')?.value : undefined;
    if (!isScalar(nameNode) || typeof nameNode.value !== 'string' || nameNode.value === '' || isTemplated(nameNode.value)) continue;
    const base = { name: nameNode.value, namespace: explicitNamespace(metadata), location: locate(rangeOf(nameNode)) };
    if (obj.kind === 'Secret') {
      secrets.push({ ...base, ...readPullSecret(obj.node), origin: 'manifest' });
    } else {
      const pullSecrets = (seqAt(obj.node, 'imagePullSecrets')?.items ?? []).flatMap((item) => {
        const name = isMap(item) ? stringAt(item, 'name') : undefined;
        return name && !isTemplated(name) ? [name] : [];
      });
      serviceAccounts.push({ ...base, pullSecrets });
    }
  }
  let kustomization: FileEntry['kustomization'] = null;
  const root = kustomizationRoot(file, uri);
  if (root) {
    const read = readKustomization(root.map, root.kind, file.text, locate);
    kustomization = read.info;
    secrets.push(...read.generated);
  }
  return { uri, key: docKey(uri), secrets, serviceAccounts, kustomization, assertions: chainsawAssertions(file) };
}

const CHAINSAW_API = /^chainsaw\.kyverno\.io\//;
const OPERATION_GROUPS = ['try', 'catch', 'finally', 'cleanup'];

/**
 * The files a chainsaw Test (`chainsaw-test.yaml`) asserts against: `assert.file` and `error.file` of every
 * operation in its steps. Those files describe expected state and are never applied.
 */
function chainsawAssertions(file: ManifestFile): string[] {
  const out: string[] = [];
  for (const obj of file.objects) {
    if (obj.kind !== 'Test' || !CHAINSAW_API.test(obj.apiVersion)) continue;
    for (const step of seqAt(mapAt(obj.node, 'spec') ?? obj.node, 'steps')?.items ?? []) {
      if (!isMap(step)) continue;
      for (const group of OPERATION_GROUPS) {
        for (const op of seqAt(step, group)?.items ?? []) {
          if (!isMap(op)) continue;
          for (const kind of ['assert', 'error']) {
            const target = mapAt(op, kind);
            const path = target && stringAt(target, 'file');
            if (path && !isTemplated(path)) out.push(path);
          }
        }
      }
    }
  }
  return out;
}

/** An entry with nothing in it (a file without Secrets, ServiceAccounts or a kustomization). */
export function emptyEntry(uri: string): FileEntry {
  return { uri, key: docKey(uri), secrets: [], serviceAccounts: [], kustomization: null, assertions: [] };
}

/**
 * True when the file at `uri` may contribute to the index, judged without parsing: its text mentions a Secret,
 * ServiceAccount, List, kustomization or (chainsaw) Test kind, in YAML or JSON (`"kind": "Secret"`), or it is a
 * kustomization by name. Every other file's entry is {@link emptyEntry}: the indexer and the CLI's first round
 * skip parsing it.
 */
export function mayContribute(uri: string, text: string): boolean {
  return isKustomizationName(baseName(docKey(uri))) || CONTRIBUTING_KIND.test(text);
}
const CONTRIBUTING_KIND = /\bkind["']?\s*:\s*["']?(?:Secret|ServiceAccount|List|Kustomization|Component|SecretList|ServiceAccountList|Test)\b/;
