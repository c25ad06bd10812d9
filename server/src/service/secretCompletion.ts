/**
 * Completion of Secret names in `imagePullSecrets` entries (`- name: |`, `[{name: |}]`), of a pod spec or a
 * ServiceAccount. The text is usually mid-edit, so the place is found from the cursor's line and the lines
 * above it; the YAML tree only tells which pod the list belongs to, to rank the Secrets: usable ones in the
 * pod's namespace that match its images' registries first.
 */
import type { Analysis } from './analyze';
import { definitionLines, secretSummary } from './hover/workspaceText';
import { blocks } from './hover/markdown';
import type { CompletionResult } from './completion';
import type { PodSpecSite } from './parse/podSpecs';
import { isPublicRegistry } from './rules/publicRegistries';
import { keyringLookup } from './workspace/keyring';
import { objectNamespaces, podNamespaces } from './workspace/pullSecrets';
import type { ResolvedSecret } from './workspace/types';

const BLOCK_NAME = /^([ \t]*)(?:(-[ \t]+))?(["']?)name\3[ \t]*:[ \t]+(["']?)([\w.-]*)$/;
const FLOW_NAME = /imagePullSecrets["']?[ \t]*:[ \t]*\[[^\]]*\{[ \t]*(["']?)name\1[ \t]*:[ \t]*(["']?)([\w.-]*)$/;
const OWNER_KEY = /^([ \t]*)(?:-[ \t]+)?(["']?)imagePullSecrets\2[ \t]*:[ \t]*(?:#.*)?$/;

/** Secret names at `offset` when it is the value of an `imagePullSecrets` entry's `name`; else null. */
export function secretNameCompletions(analysis: Analysis, offset: number): CompletionResult[] | null {
  const { lines } = analysis;
  const line = lines.lineOf(offset);
  const lineStart = lines.start(line);
  const text = lines.lineText(line);
  const col = offset - lineStart;
  const before = text.slice(0, col);
  let typed: string | null = null;
  const flow = FLOW_NAME.exec(before);
  if (flow) typed = flow[3];
  else {
    const block = BLOCK_NAME.exec(before);
    if (block && inPullSecretsList(analysis, line, block[1].length, block[2] !== undefined)) typed = block[5];
  }
  if (typed === null) return null;
  let end = col;
  while (end < text.length && /[\w.-]/.test(text[end])) end++;
  const range = { start: offset - typed.length, end: lineStart + end };
  return rank(analysis, lineStart).map((c, i) => ({
    label: c.secret.name,
    detail: detail(c.secret),
    documentation: blocks([secretSummary(c.secret), definitionLines(analysis.workspace, c.all).map((l) => `- ${l}`).join('\n')]),
    range,
    ...(i === 0 && c.rank === 0 ? { preselect: true } : {}),
  }));
}

/**
 * True when the `name:` on `line` (at column `keyCol`, after a `- ` when `dashed`) belongs to an entry of an
 * `imagePullSecrets:` block list: walking up past deeper lines and sibling entries reaches that key.
 */
function inPullSecretsList(analysis: Analysis, line: number, indent: number, dashed: boolean): boolean {
  const { lines } = analysis;
  let dashCol = dashed ? indent : -1;
  let l = line - 1;
  if (!dashed) {
    // `name:` on its own line: the entry's dash is on a line above, at a smaller column.
    for (; l >= 0; l--) {
      const t = lines.lineText(l);
      if (t.trim() === '' || t.trim().startsWith('#')) continue;
      const m = /^([ \t]*)-[ \t]+/.exec(t);
      const ind = /^[ \t]*/.exec(t)![0].length;
      if (m && m[0].length === indent) {
        dashCol = m[1].length;
        l--;
        break;
      }
      if (ind < indent) return false;
    }
    if (dashCol < 0) return false;
  }
  for (; l >= 0; l--) {
    const t = lines.lineText(l);
    const trimmed = t.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const ind = /^[ \t]*/.exec(t)![0].length;
    if (ind > dashCol) continue;
    if (ind === dashCol && trimmed.startsWith('-')) continue;
    const owner = OWNER_KEY.exec(t);
    return owner !== null && (owner[0].trimStart().startsWith('-') ? ind + 2 : ind) <= dashCol;
  }
  return false;
}

interface Candidate {
  secret: ResolvedSecret;
  /** Every definition of the name. */
  all: ResolvedSecret[];
  rank: number;
}

/** Known Secrets, one per name, ranked for the pod (or ServiceAccount) whose list holds `lineStart`. */
function rank(analysis: Analysis, lineStart: number): Candidate[] {
  const view = analysis.workspace;
  const pod = analysis.pods.find((p) => contains(p.podSpec.range, lineStart));
  const account = pod ? undefined : analysis.file.objects.find((o) => o.kind === 'ServiceAccount' && contains(o.node.range, lineStart));
  const namespaces = pod ? podNamespaces(view, pod) : account ? objectNamespaces(view, account.namespace) : null;
  const images = pod ? privateNames(analysis, pod) : [];
  const byName = new Map<string, ResolvedSecret[]>();
  for (const s of view.allSecrets()) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const out: Candidate[] = [];
  for (const [, all] of byName) {
    const here = namespaces === null ? all : all.filter((s) => s.namespaces.some((n) => namespaces.includes(n)));
    const best = here.find((s) => s.payload.status === 'usable') ?? here.find((s) => s.payload.status === 'unknown') ?? here[0] ?? all[0];
    let r = 3;
    if (here.length > 0 && best.payload.status === 'usable') {
      const keys = best.payload.registries.map((written) => ({ written, source: best }));
      r = images.some((image) => keyringLookup(keys, image).matches.length > 0) ? 0 : 1;
    } else if (here.length > 0 && best.payload.status === 'unknown') r = 2;
    out.push({ secret: best, all, rank: r });
  }
  return out.sort((a, b) => a.rank - b.rank || (a.secret.name < b.secret.name ? -1 : a.secret.name > b.secret.name ? 1 : 0));
}

/** Normalized names of the pod's images from registries outside publicRegistries. */
function privateNames(analysis: Analysis, pod: PodSpecSite): string[] {
  return analysis.images.flatMap((f) => {
    const ref = f.site.pod === pod && f.reference?.valid ? f.reference.ref : null;
    return ref && !isPublicRegistry(analysis.settings, ref.domain, ref.path) ? [ref.name] : [];
  });
}

function detail(s: ResolvedSecret): string {
  const registries = s.payload.status === 'usable' ? s.payload.registries.join(', ') : s.payload.status === 'unknown' ? 'registries unknown' : 'not usable for pulls';
  return `Secret (${s.type}) · ${registries || 'no registries'} · ${s.namespaces.join(', ')}`;
}

function contains(range: readonly number[] | null | undefined, offset: number): boolean {
  return !!range && range[0] <= offset && offset <= range[2];
}
