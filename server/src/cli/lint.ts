import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { analyze, defaultSettings, fixAllText, type Settings } from '../service/index';
import { ConfigError, findConfigFile, loadConfigFile } from '../node/configFile';
import { fileReport, type ReportFile } from './report';
import { describeFsError } from './walk';

/**
 * Settings per file: one `--config FILE` for all, or the nearest `.k8s-image-lint.yaml` of each file's
 * directory (defaults when there is none). Lookups and loads are cached, so a broken config file is one
 * ConfigError, reported once rather than once per file.
 */
export class SettingsResolver {
  private readonly configOfDir = new Map<string, string | null>();
  private readonly loaded = new Map<string, Settings | ConfigError>();
  private readonly defaults = defaultSettings();

  /** `fixed`: the settings of `--config FILE`, or null to look for the nearest config file. */
  constructor(private readonly fixed: Settings | null) {}

  forFile(file: string): Settings | ConfigError {
    if (this.fixed) return this.fixed;
    const dir = dirname(file);
    let config = this.configOfDir.get(dir);
    if (config === undefined) this.configOfDir.set(dir, (config = findConfigFile(dir)));
    if (config === null) return this.defaults;
    let settings = this.loaded.get(config);
    if (!settings) {
      try {
        settings = loadConfigFile(config);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        settings = e;
      }
      this.loaded.set(config, settings);
    }
    return settings;
  }
}

export interface LintResult {
  files: ReportFile[];
  /** How many files `--fix` rewrote. */
  fixedFiles: number;
  /** Sentences for files or config files that could not be read or written (each once). */
  errors: string[];
}

const BOM = '\uFEFF';

/** Ends a message taken from elsewhere (an fs or YAML error) with a full stop, so another sentence can follow. */
export function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * Reads, optionally fixes (writing only changed files), and analyses each file. A file that cannot be read,
 * or whose config file is broken, is left out of the report and named in `errors`.
 */
export function lintFiles(files: readonly string[], cwd: string, fix: boolean, settings: SettingsResolver): LintResult {
  const result: LintResult = { files: [], fixedFiles: 0, errors: [] };
  const errors = new Set<string>();
  for (const file of files) {
    const path = relative(cwd, file).split(sep).join('/');
    const fileSettings = settings.forFile(file);
    if (fileSettings instanceof ConfigError) {
      errors.add(`${sentence(fileSettings.message)} Fix it to lint the files below it.`);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      errors.add(describeFsError(path, e));
      continue;
    }
    // A byte-order mark is not part of the first line for editors; keep it out of positions, and on write.
    const bom = text.startsWith(BOM) ? BOM : '';
    if (bom) text = text.slice(1);
    try {
      if (fix) {
        const fixed = fixAllText(text, fileSettings);
        if (fixed !== text) {
          try {
            writeFileSync(file, bom + fixed);
            text = fixed;
            result.fixedFiles++;
          } catch (e) {
            errors.add(`${path} cannot be written, so its fixes were not applied: ${(e as Error).message}`);
          }
        }
      }
      result.files.push(fileReport(path, analyze(text, fileSettings)));
    } catch (e) {
      // The service is meant to be total; if it is not, name the file so the bug can be reported.
      errors.add(`Internal error while linting ${path}: ${(e as Error).stack ?? e}\nThis is a bug in k8s-image-lint; please report it with this file.`);
    }
  }
  result.errors = [...errors];
  return result;
}
