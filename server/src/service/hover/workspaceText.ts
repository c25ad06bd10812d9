/**
 * Hover text that needs the workspace: which pull secrets apply to an image and whether they match its
 * registry, what a referenced Secret is (type, registries, where it is defined — never its credentials), and
 * what the kustomize overlays make of a base image. Built on workspace/pullSecrets.ts, like the rules.
 */
import type { ImageFact } from '../facts';
import { hasNodeCredentials, isPublicRegistry } from '../rules/publicRegistries';
import type { Settings } from '../settings';
import { judgeSecretRef, registryVerdict, type SecretVerdict } from '../workspace/pullSecrets';
import type { ResolvedSecret, SourceLocation } from '../workspace/types';
import { relativeTo } from '../workspace/uris';
import type { WorkspaceView } from '../workspace/view';
import { bullets, code } from './markdown';

/** A Markdown link to a definition: `[deploy/secret.yaml:12](file:///…#L12)`; plain text for a non-file URI. */
export function locationLink(view: WorkspaceView, loc: SourceLocation, key: string): string {
  const label = key === view.key ? `this file, line ${loc.start.line + 1}` : `${relativeTo(view.key, key)}:${loc.start.line + 1}`;
  return loc.uri.startsWith('file:') ? `[${escapeLinkText(label)}](${loc.uri}#L${loc.start.line + 1})` : label;
}

export function escapeLinkText(s: string): string {
  return s.replace(/[[\]\\]/g, '\\$&');
}

/** What a Secret offers, without credentials: its type and the registries of its `auths`. */
export function secretSummary(s: ResolvedSecret): string {
  const type = code(s.type);
  switch (s.payload.status) {
    case 'usable':
      return s.payload.registries.length > 0
        ? `type ${type}, credentials for ${s.payload.registries.map(code).join(', ')}`
        : `type ${type}, with an empty \`auths\` (credentials for no registry)`;
    case 'unknown':
      return `type ${type}; its registries are not known here (${s.payload.why})`;
    case 'unusable':
      return `type ${type}; **not usable for pulls**: it ${s.payload.problem}`;
  }
}

/** One line per definition of a Secret: summary, namespaces and a link to where it is defined. */
export function definitionLines(view: WorkspaceView, secrets: readonly ResolvedSecret[]): string[] {
  return secrets.slice(0, 5).map((s) => {
    const origin = s.origin === 'generator' ? ' (a kustomize `secretGenerator`)' : '';
    return `${secretSummary(s)}; namespace ${s.namespaces.map(code).join(' or ')}; defined in ${locationLink(view, s.location, s.key)}${origin}`;
  });
}

/** A verdict in words, for a bullet after the secret's name. */
export function verdictText(view: WorkspaceView, verdict: SecretVerdict): string {
  switch (verdict.kind) {
    case 'not-found':
      return 'not defined in this workspace (created some other way, or missing: the kubelet skips a missing one)';
    case 'unknown':
      return 'not defined in this file (open the folder as a workspace to look it up)';
    case 'wrong-namespace':
      return `only in namespace ${[...new Set(verdict.found.flatMap((s) => s.namespaces))].map(code).join(', ')}, not the pod's: the kubelet will not find it`;
    case 'wrong-type':
      return `not usable for pulls: it ${verdict.problem} (${locationLink(view, verdict.secret.location, verdict.secret.key)})`;
    case 'usable':
      return definitionLines(view, verdict.secrets).join('; ');
  }
}

/**
 * The "Pull secrets" part of an image hover: the names in force (the pod's own, else its ServiceAccount's),
 * what each is, and which one the kubelet's matching picks for this image's registry.
 */
export function pullSecretsSection(fact: ImageFact, view: WorkspaceView, settings: Settings): string | null {
  const v = registryVerdict(view, fact);
  const ref = fact.reference?.valid ? fact.reference.ref : null;
  const publicNote = ref && isPublicRegistry(settings, ref.domain, ref.path)
    ? ` ${code(ref.domain)} is in \`publicRegistries\`: no credentials are expected for it.`
    : '';
  const account = v.applied.account;
  const accountName = account.name === null ? 'of the pod (a template)' : code(account.name);
  const accountWhere = account.definitions.length > 0 ? ` (${locationLink(view, account.definitions[0].location, account.definitions[0].key)})` : '';
  // None, and none needed (a public registry): nothing worth a line.
  if (v.applied.source === 'none' && publicNote) return null;
  if (v.applied.source === 'none' && ref && hasNodeCredentials(settings, ref.domain, ref.path)) {
    return `**Pull secrets:** none, and none expected: ${code(ref.domain)} is in \`nodeCredentials\`, so the node's credential provider is expected to serve it.`;
  }
  if (v.applied.source === 'none') {
    const why = account.name === null
      ? 'its ServiceAccount is a template'
      : account.definitions.length > 0
        ? `nor has ServiceAccount ${accountName}${accountWhere}`
        : `ServiceAccount ${accountName} is not in ${view.complete ? 'the workspace' : 'this file'}`;
    return `**Pull secrets:** none listed (${why}).`;
  }
  const head = v.applied.source === 'pod'
    ? '**Pull secrets** (the pod\'s `imagePullSecrets`):'
    : `**Pull secrets** (the pod lists none, so those of ServiceAccount ${accountName}${accountWhere}):`;
  const items = v.verdicts.map(({ name, verdict }) => `${code(name)}: ${verdictText(view, verdict)}`);
  if (items.length === 0) return `${head} none that names a Secret.`;
  // That a public registry needs none is the checklist's to say.
  return [head, bullets(items), matchLine(v, ref).trim()].filter(Boolean).join('\n\n');
}

function matchLine(v: ReturnType<typeof registryVerdict>, ref: { name: string; domain: string } | null): string {
  if (!ref || !v.lookup) return '';
  if (v.lookup.matches.length > 0) {
    const m = v.lookup.matches.map((x) => `${code(x.source.name)} (key ${code(x.key.written)})`);
    const fallback = v.lookup.dockerHubFallback ? ', through the Docker Hub fallback key' : '';
    return `**Matches ${code(ref.name)}**${fallback}: ${[...new Set(m)].join(', ')}. The kubelet tries these credentials, most specific key first.`;
  }
  if (v.known.length === 0) return v.unreadable ? 'Whether they match this registry can\'t be told here: their payload is not in the workspace.' : '';
  if (v.unreadable) return `None of the known ones has credentials for ${code(ref.domain)}; others can't be read here.`;
  return `**None of them has credentials for ${code(ref.name)}**: the kubelet pulls without credentials from these secrets.`;
}

/** The "Kustomize" part of an image hover: what each overlay that rewrites this image makes of it. */
export function kustomizeSection(fact: ImageFact, view: WorkspaceView): string | null {
  if (fact.image === null || fact.templated || fact.site.field === 'volumes') return null;
  const rewrites = view.rewrites(fact.image);
  if (rewrites.length === 0) return null;
  const lines = rewrites.slice(0, 10).map((r) => {
    const root = relativeTo(view.key, r.root.key).replace(/\/?(?:kustomization\.ya?ml|Kustomization)$/, '') || '.';
    const via = r.via.map((s) => (s.key === r.root.key ? '' : ` via ${code(relativeTo(view.key, s.key))}`)).filter(Boolean)[0] ?? '';
    return `${code(root)} → ${code(r.image)}${via}`;
  });
  const more = rewrites.length > 10 ? [`…and ${rewrites.length - 10} more`] : [];
  return `**Kustomize:** the overlays that rewrite this image build it as:\n\n${bullets([...lines, ...more])}`;
}

/** The hover of an `imagePullSecrets` entry's Secret: its definitions and what they mean for the referrer. */
export function secretEntryText(view: WorkspaceView, name: string, namespaces: string[] | null): string {
  const verdict = judgeSecretRef(view, name, namespaces);
  const all = view.secrets(name);
  const status = verdict.kind === 'usable'
    ? 'Usable for pulls in this namespace.'
    : verdict.kind === 'wrong-type'
      ? '**Not usable for pulls** (why, below).'
      : verdict.kind === 'wrong-namespace'
        ? `**Not in this namespace** (${(namespaces ?? []).map(code).join(' or ')}): the kubelet looks pull secrets up in the pod's own namespace.`
        : verdict.kind === 'not-found'
          ? '**Not defined in this workspace.** The kubelet skips a missing pull secret with a warning event.'
          : 'Not defined in this file; with the folder open as a workspace, its definition is looked up there.';
  return [status, all.length > 0 ? bullets(definitionLines(view, all)) : ''].filter(Boolean).join('\n\n');
}
