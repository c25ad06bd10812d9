import type { SeveritySetting } from './types';

/** Every user setting the service understands, normalized (no undefined, right types). */
export interface Settings {
  enable: boolean;
  rules: Record<string, SeveritySetting>;
  mutableTags: string[];
  allowedRegistries: string[];
  /** Globs of registries/repositories `registry-not-allowed` reports whatever `allowedRegistries` says. */
  deniedRegistries: string[];
  publicRegistries: string[];
  /** Globs of registries the nodes authenticate to themselves (kubelet credential providers). */
  nodeCredentials: string[];
  /** Moved registries or repositories beside the built-in table: old prefix → new prefix ('' for frozen). */
  registryMoves: Record<string, string>;
  /** The nodes' platforms (`linux/amd64`) for pods that do not constrain theirs; [] is unknown. */
  platforms: string[];
  /** Repositories `missing-digest` leaves alone (globs). */
  digestExemptions: string[];
  /** Extra pod-spec locations: `path.to.podSpec` (any kind) or `Kind:path.to.podSpec`. */
  podSpecPaths: string[];
  maxFileSizeKb: number;
  /** The most files the editor's workspace index reads per folder (the rest is left out, and that is said). */
  maxWorkspaceFiles: number;
  /** Globs of files not to lint, matched against the end of each file's path (see `exclude.ts`). */
  exclude: string[];
  inlayHints: { enabled: boolean };
  registry: { lookups: 'off' | 'manual' | 'auto'; timeoutMs: number; insecure: string[] };
  trace: { server: 'off' | 'messages' | 'verbose' };
}

export const DEFAULT_MUTABLE_TAGS = ['stable', 'edge', 'nightly', 'main', 'master', 'develop', 'dev', 'canary', 'beta', 'current'];
export const DEFAULT_PUBLIC_REGISTRIES = [
  'docker.io', 'registry.k8s.io', 'quay.io', 'ghcr.io', 'gcr.io', 'mcr.microsoft.com', 'public.ecr.aws',
];
/** The cloud registries whose nodes usually pull with credentials of their own (EKS, GKE, AKS). */
export const DEFAULT_NODE_CREDENTIALS = [
  '*.dkr.ecr.*.amazonaws.com', '*.dkr.ecr.*.amazonaws.com.cn', '*-docker.pkg.dev', 'gcr.io', '*.gcr.io', '*.azurecr.io',
];

export function defaultSettings(): Settings {
  return {
    enable: true,
    rules: {},
    mutableTags: [...DEFAULT_MUTABLE_TAGS],
    allowedRegistries: [],
    deniedRegistries: [],
    publicRegistries: [...DEFAULT_PUBLIC_REGISTRIES],
    nodeCredentials: [...DEFAULT_NODE_CREDENTIALS],
    registryMoves: {},
    platforms: [],
    digestExemptions: [],
    podSpecPaths: [],
    maxFileSizeKb: 5120,
    maxWorkspaceFiles: 20_000,
    exclude: [],
    inlayHints: { enabled: true },
    registry: { lookups: 'manual', timeoutMs: 10000, insecure: [] },
    trace: { server: 'off' },
  };
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** The numeric settings and the whole numbers they accept (the JSON schema in package.json says the same). */
export const NUMBER_RANGES = {
  maxFileSizeKb: { min: 1, max: 1_048_576, unit: 'kilobytes' },
  maxWorkspaceFiles: { min: 100, max: 1_000_000, unit: 'files' },
  'registry.timeoutMs': { min: 100, max: 300_000, unit: 'milliseconds' },
} as const;

const inRange = (v: unknown, key: keyof typeof NUMBER_RANGES): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= NUMBER_RANGES[key].min && v <= NUMBER_RANGES[key].max;

/** One sentence per numeric setting of `raw` outside its range (`1500.5`, `1e10`, `.inf`): a config error. */
export function settingsProblems(raw: unknown): string[] {
  if (!isObj(raw)) return [];
  const values: Record<keyof typeof NUMBER_RANGES, unknown> = {
    maxFileSizeKb: raw.maxFileSizeKb,
    maxWorkspaceFiles: raw.maxWorkspaceFiles,
    'registry.timeoutMs': isObj(raw.registry) ? raw.registry.timeoutMs : undefined,
  };
  return (Object.keys(NUMBER_RANGES) as (keyof typeof NUMBER_RANGES)[]).flatMap((key) => {
    const v = values[key];
    if (v === undefined || inRange(v, key)) return [];
    const { min, max, unit } = NUMBER_RANGES[key];
    return [`${key} must be a whole number of ${unit} from ${min} to ${max}, not ${typeof v === 'number' ? String(v) : JSON.stringify(v)}.`];
  });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown, fallback: string[]): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : fallback;
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T =>
  typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;

/**
 * Normalizes untrusted input (VS Code settings, a parsed `.k8s-image-lint.yaml`) over a base, field by field:
 * anything missing or of the wrong type keeps the base value, so a typo never disables the linter.
 * Layers merge by calling this repeatedly: `fromRaw(settingsFromEditor, fromRaw(configFile))`.
 * Rule severities merge per rule; the other values replace.
 */
export function fromRaw(raw: unknown, base: Settings = defaultSettings()): Settings {
  if (!isObj(raw)) return base;
  const rules: Record<string, SeveritySetting> = { ...base.rules };
  if (isObj(raw.rules)) {
    for (const [id, sev] of Object.entries(raw.rules)) {
      if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as SeveritySetting;
    }
  }
  const registry = isObj(raw.registry) ? raw.registry : {};
  const inlay = isObj(raw.inlayHints) ? raw.inlayHints : {};
  const trace = isObj(raw.trace) ? raw.trace : {};
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : base.enable,
    rules,
    mutableTags: strings(raw.mutableTags, base.mutableTags),
    allowedRegistries: strings(raw.allowedRegistries, base.allowedRegistries),
    deniedRegistries: strings(raw.deniedRegistries, base.deniedRegistries),
    publicRegistries: strings(raw.publicRegistries, base.publicRegistries),
    nodeCredentials: strings(raw.nodeCredentials, base.nodeCredentials),
    registryMoves: isObj(raw.registryMoves)
      ? Object.fromEntries(Object.entries(raw.registryMoves).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : base.registryMoves,
    platforms: strings(raw.platforms, base.platforms),
    digestExemptions: strings(raw.digestExemptions, base.digestExemptions),
    podSpecPaths: strings(raw.podSpecPaths, base.podSpecPaths),
    maxFileSizeKb: inRange(raw.maxFileSizeKb, 'maxFileSizeKb') ? raw.maxFileSizeKb : base.maxFileSizeKb,
    maxWorkspaceFiles: inRange(raw.maxWorkspaceFiles, 'maxWorkspaceFiles') ? raw.maxWorkspaceFiles : base.maxWorkspaceFiles,
    exclude: strings(raw.exclude, base.exclude),
    inlayHints: { enabled: typeof inlay.enabled === 'boolean' ? inlay.enabled : base.inlayHints.enabled },
    registry: {
      lookups: oneOf(registry.lookups, ['off', 'manual', 'auto'] as const, base.registry.lookups),
      timeoutMs: inRange(registry.timeoutMs, 'registry.timeoutMs') ? registry.timeoutMs : base.registry.timeoutMs,
      insecure: strings(registry.insecure, base.registry.insecure),
    },
    trace: { server: oneOf(trace.server, ['off', 'messages', 'verbose'] as const, base.trace.server) },
  };
}
