import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { fromRaw, settingsProblems, type Settings } from '../service/settings';
import { configProblems } from '../service/settingsCheck';

export const CONFIG_FILE_NAME = '.k8s-image-lint.yaml';

/** A config file is settings, not data: larger than this, it is refused rather than read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The nearest `.k8s-image-lint.yaml` at or above `dir`, or null. The search stops at the repository root (the
 * nearest directory holding `.git`) and at the home directory, whichever comes first; without either it goes up
 * to the file system root, but never takes a file from a directory anyone may write to (`/tmp`): a config planted
 * there must not apply to a project below it.
 */
export function findConfigFile(dir: string): string | null {
  let cur = resolve(dir);
  const home = resolve(homedir());
  for (;;) {
    const candidate = join(cur, CONFIG_FILE_NAME);
    if (existsSync(candidate) && !worldWritable(cur)) return candidate;
    if (cur === home || existsSync(join(cur, '.git'))) return null;
    const up = dirname(cur);
    if (up === cur) return null;
    cur = up;
  }
}

function worldWritable(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0;
  } catch {
    return true;
  }
}

export class ConfigError extends Error {}

/**
 * Reads a config file (same keys as the VS Code settings, without the `k8sImageLint.` prefix) and merges it
 * over `base`. Throws ConfigError with a sentence naming the file when it is not a regular file of at most
 * {@link MAX_CONFIG_BYTES} (a FIFO or `/dev/zero` behind a symbolic link is refused, never read), cannot be read
 * or parsed, or sets a number out of its range.
 */
export function loadConfigFile(path: string, base?: Settings): Settings {
  return readConfigFile(path, base).settings;
}

/** {@link loadConfigFile}, with the warnings about what the file holds that is not understood (unknown keys…). */
export function readConfigFile(path: string, base?: Settings): { settings: Settings; warnings: string[] } {
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ConfigError(`Config file ${path} is not a regular file (a directory, device or pipe): it is not read.`);
    if (stat.size > MAX_CONFIG_BYTES) throw new ConfigError(`Config file ${path} is larger than ${MAX_CONFIG_BYTES / 1024} KB: it is not read.`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
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
  const problems = settingsProblems(raw);
  if (problems.length > 0) throw new ConfigError(`Config file ${path}: ${problems.join(' ')}`);
  const warnings = configProblems(text).filter((p) => p.severity === 'warning').map((p) => `${path}:${position(text, p.range.start)}: ${p.message}.`);
  return { settings: fromRaw(raw, base), warnings };
}

/** "LINE:COL" (1-based) of an offset. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return `${before.split('\n').length}:${offset - lineStart + 1}`;
}
