import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, findConfigFile, readConfigFile } from '../node/configFile';
import { defaultSettings, excludeProblems, fromRaw, podSpecPathProblems, type Settings, type SeveritySetting } from '../service/index';

/** The VS Code settings section, also the key under which other clients may nest the settings. */
export const SECTION = 'k8sImageLint';

/** Where the store gets what it cannot know by itself; the server wires these to the connection. */
export interface SettingsSources {
  /** The client's `k8sImageLint` section for a document (workspace/configuration), or undefined. */
  editor?(uri: string): Promise<unknown>;
  /** Tells the user something is wrong with their configuration. */
  warn(message: string): void;
  /** Logs a failure the user need not see (the client failing to answer workspace/configuration). */
  log(message: string): void;
}

/**
 * Settings per document, layered from weakest to strongest: defaults, the nearest `.k8s-image-lint.yaml`
 * (file: URIs only), settings pushed by the client (`initializationOptions.settings` or a
 * `workspace/didChangeConfiguration` payload, for clients that cannot answer workspace/configuration), and
 * the client's answer to workspace/configuration. Each layer is normalized by `fromRaw`, so a typo keeps the
 * value below it. Results are cached per document until `clear()`; the cache holds promises, so concurrent
 * requests for one document share one round trip.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();
  private readonly warned = new Set<string>();
  private pushed: unknown;
  private ruleDefaults: Record<string, SeveritySetting> = {};

  constructor(private readonly sources: SettingsSources) {}

  get(uri: string): Promise<Settings> {
    let settings = this.cache.get(uri);
    if (!settings) this.cache.set(uri, (settings = this.resolve(uri)));
    return settings;
  }

  /** Settings the client pushed, either flat or nested under `k8sImageLint`. */
  setPushed(raw: unknown): void {
    this.pushed = unwrapSection(raw);
  }

  /**
   * Severities the editor's context gives rules the user has not configured anywhere (beside Red Hat's YAML
   * extension, `yaml-syntax` is off: it reports syntax errors already). A user's value in any layer wins.
   */
  setRuleDefaults(defaults: Record<string, SeveritySetting>): void {
    this.ruleDefaults = defaults;
  }

  clear(): void {
    this.cache.clear();
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  private async resolve(uri: string): Promise<Settings> {
    const settings = this.checked(await this.layered(uri));
    const unset = Object.entries(this.ruleDefaults).filter(([id]) => settings.rules[id] === undefined);
    return unset.length === 0 ? settings : { ...settings, rules: { ...settings.rules, ...Object.fromEntries(unset) } };
  }

  /** Warns, once per problem, of settings that can never work (a `podSpecPaths` entry that can never match). */
  private checked(settings: Settings): Settings {
    for (const problem of [...podSpecPathProblems(settings.podSpecPaths), ...excludeProblems(settings.exclude)]) {
      if (this.warned.has(problem)) continue;
      this.warned.add(problem);
      this.sources.warn(`Kubernetes Image Lint: ${problem}`);
    }
    return settings;
  }

  private async layered(uri: string): Promise<Settings> {
    const settings = fromRaw(this.pushed, this.fromConfigFile(uri));
    if (!this.sources.editor) return settings;
    try {
      return fromRaw(unwrapSection(await this.sources.editor(uri)), settings);
    } catch (e) {
      // Lint with what we have now, and ask the client again next time.
      this.sources.log(`Kubernetes Image Lint: the client did not answer workspace/configuration for ${uri}: ${String(e)}`);
      this.cache.delete(uri);
      return settings;
    }
  }

  private fromConfigFile(uri: string): Settings {
    const dir = fileDirectory(uri);
    const path = dir === null ? null : findConfigFile(dir);
    if (path === null) return defaultSettings();
    try {
      const read = readConfigFile(path);
      for (const w of read.warnings) {
        if (this.warned.has(w)) continue;
        this.warned.add(w);
        this.sources.warn(`Kubernetes Image Lint: ${w}`);
      }
      return read.settings;
    } catch (e) {
      // A broken config file must never stop linting: say so once, then lint with the other layers.
      const message = e instanceof ConfigError ? e.message : `Cannot use config file ${path}: ${String(e)}`;
      if (!this.warned.has(message)) {
        this.warned.add(message);
        this.sources.warn(`Kubernetes Image Lint: ${message} It is ignored until it is fixed; the editor settings and defaults apply.`);
      }
      return defaultSettings();
    }
  }
}

function unwrapSection(raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null && SECTION in raw) return (raw as Record<string, unknown>)[SECTION];
  return raw;
}

/** The directory of a file: URI, or null for any other scheme (untitled:, vscode-notebook-cell:, …). */
function fileDirectory(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return dirname(fileURLToPath(uri));
  } catch {
    return null;
  }
}
