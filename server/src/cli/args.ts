import { parseArgs } from 'node:util';

export type Format = 'text' | 'json' | 'sarif' | 'github' | 'junit';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github', 'junit'];

export type Level = 'error' | 'warning' | 'info' | 'hint';
export const LEVELS: readonly Level[] = ['error', 'warning', 'info', 'hint'];

export interface LintOptions {
  format: Format;
  /** `--config FILE` as given (relative to the working directory), or null to use the nearest config file. */
  config: string | null;
  fix: boolean;
  paths: string[];
  /** `--kustomize DIR` (repeatable): lint each overlay's effective images instead of (or besides) PATHs. */
  kustomize: string[];
  /** `--resolve`: ask each image's registry whether it exists and what digest it has now. */
  resolve: boolean;
  /** `--severity`: the least severe findings shown (json: every finding unless given). */
  severity: Level;
  /** `--fail-on`: exit 1 when a finding shown is at least this severe. */
  failOn: Level;
  /** `--rule ID=LEVEL` and `--disable ID`, over every file's settings (later ones win). */
  rules: Record<string, Level | 'off'>;
  /** `--stdin-filename`: the name a `-` PATH (standard input) is reported and configured as. */
  stdinFilename: string | null;
  /** `--sarif-root`: the directory SARIF paths are relative to (default: the repository root). */
  sarifRoot: string | null;
  /** `--values FILE` (repeatable, later wins) and `--set key=value`: a chart's overrides, as `helm template -f/--set`. */
  values: string[];
  set: string[];
}

export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'lint'; options: LintOptions };

/** A command line we cannot run; the message is one sentence, printed before the usage line. */
export class UsageError extends Error {}

export const USAGE = 'Usage: k8s-image-lint [--format text|json|sarif|github|junit] [--config FILE] [--fix] [--resolve] [--severity LEVEL] [--fail-on LEVEL] [--rule ID=LEVEL] [--disable ID] [--kustomize DIR] [--values FILE] [--set KEY=VALUE] [--stdin-filename NAME] PATH...|-';

export const HELP = `${USAGE}

Lints the container images of Kubernetes YAML: invalid references, :latest and untagged images,
imagePullPolicy and imagePullSecrets mistakes. The files given form one workspace: an imagePullSecrets
name is looked up among the Secrets (and ServiceAccounts, kustomizations) of all of them.

Arguments:
  PATH             a file, or a directory searched for *.yaml, *.yml and *.json files (JSON only
                   when it holds Kubernetes objects). A file named explicitly is linted whatever
                   its extension. "-" reads standard input ("helm template . | k8s-image-lint -");
                   in such a stream, each finding names the "# Source: PATH" it comes from.

Options:
  --format FORMAT  text (default), json, sarif, github (GitHub Actions workflow commands:
                   annotations on the pull request) or junit (a test report: a case per finding,
                   failed for errors and warnings)
  --severity LEVEL the least severe findings shown: error, warning, info (default for text,
                   sarif and github) or hint (default for json)
  --fail-on LEVEL  exit 1 when a finding shown is at least this severe (default: error)
  --rule ID=LEVEL  set a rule's severity (error, warning, info, hint or off); repeatable
  --disable ID     turn a rule off; repeatable
  --sarif-root DIR  the directory SARIF paths are relative to (default: the repository root, the
                   nearest directory with .git; files outside it get absolute file: URIs)
  --stdin-filename NAME
                   the name standard input ("-") is reported under, and whose directory's
                   .k8s-image-lint.yaml applies (default: <stdin>, in the working directory)
  --config FILE    settings for every file. Without it, each file uses the nearest
                   .k8s-image-lint.yaml at or above its directory (same keys as the VS Code
                   settings, without the "k8sImageLint." prefix).
  --fix            apply every safe fix in place (files are written only when they change, keeping
                   their line endings), then report the findings that remain
  -f, --values FILE
                   a Helm chart's values file over its values.yaml (repeatable, later wins, as
                   helm's -f); a chart is a directory with Chart.yaml: its templates are rendered
                   with its values, and findings are reported on the values line that causes them
  --set KEY=VALUE  a value over the values files, as helm's --set (a.b=c; repeatable)
  --kustomize DIR  lint the overlay in DIR as kustomize would build it, without running kustomize:
                   its resources, bases and components are read, and every image is linted as the
                   overlay's images: entries rewrite it (findings point at the image in the base
                   file). Namespaces follow the overlay's namespace:. May be repeated; PATHs are
                   then optional. Remote bases are skipped with a note.
  --resolve        ask each image's registry (OCI distribution API, credentials from the Docker
                   config, HTTPS except for registry.insecure hosts) whether the image exists and
                   which digest its tag has now: image-not-found is reported whatever
                   registry.lookups says, and the digests are printed (text: one line per image
                   after the findings, "path:line:col image digest"; json: "resolved" on each image)
  -h, --help       show this help
  --version        print the version

Directories:
  node_modules and .git are always skipped. A .gitignore at the top of a PATH directory is honoured
  for plain entries only: a name ("build") skips every file or directory of that name, "name/"
  only directories, and a leading "/" ("/build") only the one at the top. Lines with wildcards,
  negation or inner slashes are ignored. Symbolic links to directories are not followed.

Output (on stdout):
  text   one line per finding:  path:line:col severity rule-id message
         line and col are 1-based; col counts UTF-16 code units. A summary line goes to stderr.
  json   {"version": 1, "files": [...], "summary": {...}}. Every file read is listed, also those
         without Kubernetes objects (with empty "images" and "findings"). Ranges are 0-based LSP
         positions (UTF-16). An image's "reference" is null when the image is missing or is a
         template ({{ ... }}), its "range" null when there is no image key at all.
  sarif  SARIF 2.1.0; regions are 1-based, columnKind utf16CodeUnits.
  Paths are relative to the working directory, with "/" separators.

Exit status:
  0  no finding shown at the --fail-on severity (error) or above
  1  at least one such finding
  2  usage error, no YAML file found, or a file or config file that could not be read or written;
     with --resolve also when some image could not be checked (registry offline, refused, timed out)
`;

/**
 * Parses the command line (without `node` and the script).
 *
 * @example parseCommandLine(['--format=json', 'deploy/']) ->
 *   { kind: 'lint', options: { format: 'json', config: null, fix: false, paths: ['deploy/'], kustomize: [], resolve: false } }
 */
export function parseCommandLine(argv: string[]): Command {
  let values: {
    format?: string; config?: string; fix?: boolean; help?: boolean; version?: boolean; kustomize?: string[]; resolve?: boolean;
    severity?: string; 'fail-on'?: string; rule?: string[]; disable?: string[]; 'stdin-filename'?: string; 'sarif-root'?: string;
    values?: string[]; set?: string[];
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        config: { type: 'string' },
        fix: { type: 'boolean' },
        kustomize: { type: 'string', multiple: true },
        resolve: { type: 'boolean' },
        severity: { type: 'string' },
        'fail-on': { type: 'string' },
        rule: { type: 'string', multiple: true },
        disable: { type: 'string', multiple: true },
        'stdin-filename': { type: 'string' },
        'sarif-root': { type: 'string' },
        values: { type: 'string', multiple: true, short: 'f' },
        set: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new UsageError(describeParseError(e as Error & { code?: string }));
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format "${format}": use --format text, json, sarif, github or junit.`);
  }
  const level = (option: string, value: string | undefined, fallback: Level): Level => {
    if (value === undefined) return fallback;
    if ((LEVELS as readonly string[]).includes(value)) return value as Level;
    throw new UsageError(`Unknown ${option} level "${value}": use error, warning, info or hint.`);
  };
  const severity = level('--severity', values.severity, format === 'json' ? 'hint' : 'info');
  const failOn = level('--fail-on', values['fail-on'], 'error');
  const rules: Record<string, Level | 'off'> = {};
  for (const r of values.rule ?? []) {
    const m = /^([a-z0-9-]+)=(error|warning|info|hint|off)$/.exec(r.trim());
    if (!m) throw new UsageError(`--rule needs ID=LEVEL, for example --rule latest-tag=error (got "${r}").`);
    rules[m[1]] = m[2] as Level | 'off';
  }
  for (const d of values.disable ?? []) {
    if (!/^[a-z0-9-]+$/.test(d.trim())) throw new UsageError(`--disable needs a rule id, for example --disable implicit-pull-policy (got "${d}").`);
    rules[d.trim()] = 'off';
  }
  if (values.config === '') throw new UsageError('--config needs a file name, for example --config .k8s-image-lint.yaml.');
  const kustomize = values.kustomize ?? [];
  if (kustomize.some((k) => k === '')) throw new UsageError('--kustomize needs a directory, for example --kustomize overlays/prod.');
  if (positionals.length === 0 && kustomize.length === 0) {
    throw new UsageError('No PATH given: name the files or directories to lint, for example "k8s-image-lint ." for the current directory.');
  }
  if (values.fix && kustomize.length > 0) throw new UsageError('--fix cannot be combined with --kustomize: fix the files themselves by linting them as PATHs.');
  if (values.fix && positionals.includes('-')) throw new UsageError('--fix cannot fix standard input: lint the files themselves as PATHs.');
  for (const s of values.set ?? []) if (!/^[^=]+=/.test(s)) throw new UsageError(`--set needs key=value, for example --set image.tag=1.2.3 (got "${s}").`);
  if (values['stdin-filename'] === '') throw new UsageError('--stdin-filename needs a name, for example --stdin-filename chart/rendered.yaml.');
  return {
    kind: 'lint',
    options: {
      format: format as Format, config: values.config ?? null, fix: !!values.fix, paths: positionals, kustomize, resolve: !!values.resolve,
      severity, failOn, rules, stdinFilename: values['stdin-filename'] ?? null, sarifRoot: values['sarif-root'] ?? null,
      values: values.values ?? [], set: values.set ?? [],
    },
  };
}

/** Turns node:util parseArgs errors into one sentence that says what to do. */
function describeParseError(e: Error & { code?: string }): string {
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'(-[^',\s]*)/.exec(e.message)?.[1] ?? 'given';
    return `Unknown option ${option}: see k8s-image-lint --help for the options (a PATH that starts with "-" goes after "--").`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /--[a-z]+/.exec(e.message)?.[0] ?? 'The option';
    if (e.message.includes('does not take an argument')) return `${option} takes no value.`;
    const example = option === '--config' ? '--config .k8s-image-lint.yaml' : option === '--kustomize' ? '--kustomize overlays/prod' : '--format json';
    return `${option} needs a value, for example ${example}.`;
  }
  return e.message.split('\n')[0];
}
