import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { fromRaw, type Settings } from '../service/settings';

export const CONFIG_FILE_NAME = '.k8s-image-lint.yaml';

/** The nearest `.k8s-image-lint.yaml` at or above `dir`, or null. */
export function findConfigFile(dir: string): string | null {
  let cur = resolve(dir);
  for (;;) {
    const candidate = join(cur, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const up = dirname(cur);
    if (up === cur) return null;
    cur = up;
  }
}

export class ConfigError extends Error {}

/**
 * Reads a config file (same keys as the VS Code settings, without the `k8sImageLint.` prefix) and merges it
 * over `base`. Throws ConfigError with a sentence naming the file when it cannot be read or parsed.
 */
export function loadConfigFile(path: string, base?: Settings): Settings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: false }) ?? {};
  } catch (e) {
    throw new ConfigError(`Config file ${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`Config file ${path} must be a YAML mapping of settings (for example "rules: {latest-tag: error}").`);
  }
  return fromRaw(raw, base);
}
