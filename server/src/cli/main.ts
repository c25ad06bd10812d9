import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { decodeText } from '../node/textFile';
import { formatGithub } from './formatGithub';
import { formatJunit } from './formatJunit';
import { dirname, resolve } from 'node:path';
import type { Settings } from '../service/index';
import { ConfigError, readConfigFile } from '../node/configFile';
import type { RegistryClient } from '../service/index';
import { OciRegistry } from '../node/registry/client';
import { HELP, USAGE, UsageError, parseCommandLine, type Command, type LintOptions } from './args';
import { formatSarif } from './formatSarif';
import { formatText, summaryLine } from './formatText';
import { printable } from './printable';
import { SettingsResolver, lintFiles, sentence, type LintResult, type LoadedFile, type RegistryFor } from './lint';
import type { LintPool } from './parallel';
import { formatResolved, remembering, resolveAll, resolvedSummary, uncheckedImages } from './resolve';
import { collectKustomization, lintKustomization } from './kustomize';
import { atLeast, buildReport, shownAtLeast } from './report';
import { packageVersion } from './version';
import { collectFiles } from './walk';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

/** Where the CLI writes; a parameter so the whole CLI runs in-process in a test. */
export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, for a `-` PATH (default: the process's, read to its end). */
  stdin?(): Buffer;
  /** True when stdout may be coloured (a terminal, no NO_COLOR): `useColour`. */
  colour?: boolean;
  /** Worker threads for the analyses of a run of N files, or none (the bin's choice): see cli/parallel.ts. */
  workers?: (files: number) => LintPool | undefined;
}

/**
 * Runs the CLI (SPEC §7) and returns the exit code: 0 no error-severity findings, 1 some, 2 a usage error
 * or a file that could not be read or written. stdout carries only the report; messages go to stderr.
 * `--resolve` needs the network: use {@link runCliAsync} for it (this function lints without asking registries).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const command = startCommand(argv, io);
  if (typeof command === 'number') return command;
  const linted = await lintRuns(command.options, io, command.resolver);
  if (typeof linted === 'number') return linted;
  return output(command.options, io, linted.runs, linted.failed);
}

/**
 * The CLI as the `k8s-image-lint` bin runs it. With `--resolve`: a first, silent pass learns the images (and
 * applies `--fix`), every distinct reference is asked of its registry at once (a few requests per registry at
 * a time), and the second pass reports with those answers: `image-not-found` findings and the digests.
 */
export async function runCliAsync(argv: string[], io: CliIo, registry?: OciRegistry): Promise<number> {
  const command = startCommand(argv, io);
  if (typeof command === 'number') return command;
  const { options } = command;
  if (!options.resolve) {
    const linted = await lintRuns(options, io, command.resolver);
    return typeof linted === 'number' ? linted : output(options, io, linted.runs, linted.failed);
  }
  const quiet: CliIo = { cwd: io.cwd, stdout: () => undefined, stderr: () => undefined };
  const first = await lintRuns(options, quiet, command.resolver);
  if (typeof first === 'number') return runCli(argv, io);
  const oci = registry ?? new OciRegistry({ log: (m) => io.stderr(`k8s-image-lint: note: ${printable(m)}\n`) });
  const clients = new WeakMap<Settings, RegistryClient>();
  const registryFor = (s: Settings): RegistryClient => {
    let client = clients.get(s);
    if (!client) clients.set(s, (client = remembering(oci.client(s.registry))));
    return client;
  };
  await resolveAll(first.runs.flatMap((r) => r.files), io.cwd, command.resolver, registryFor);
  // The files are already fixed on disk by the first pass: report on them as they are now.
  const second = await lintRuns({ ...options, fix: false }, io, command.resolver, registryFor);
  if (typeof second === 'number') return second;
  const fixedFiles = first.runs.reduce((n, r) => n + r.fixedFiles, 0);
  return output(options, io, second.runs, first.failed || second.failed, fixedFiles);
}

/** Parses the command line and loads `--config`; a number is the exit code when there is nothing to lint. */
function startCommand(argv: string[], io: CliIo): number | { options: LintOptions; resolver: SettingsResolver } {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      failWith(io, e.message);
      io.stderr(`${USAGE}\n`);
      return EXIT_FAILURE;
    }
    throw e;
  }
  if (command.kind === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const { options } = command;
  let fixed: Settings | null = null;
  let configWarnings: string[] = [];
  if (options.config !== null) {
    try {
      ({ settings: fixed, warnings: configWarnings } = readConfigFile(resolve(io.cwd, options.config)));
    } catch (e) {
      if (e instanceof ConfigError) return failWith(io, `${sentence(e.message)} Check the --config argument.`);
      throw e;
    }
  }
  // Asking for --resolve is asking the registries, whatever registry.lookups says (image-not-found needs `auto`);
  // --rule and --disable win over every config file.
  const overrides = Object.keys(options.rules).length > 0;
  const adjust = options.resolve || overrides
    ? (s: Settings): Settings => ({
      ...s,
      rules: overrides ? { ...s.rules, ...options.rules } : s.rules,
      registry: options.resolve ? { ...s.registry, lookups: 'auto' } : s.registry,
    })
    : undefined;
  const resolver = new SettingsResolver(fixed, adjust);
  resolver.warn(configWarnings);
  return { options, resolver };
}

function failWith(io: CliIo, message: string): number {
  io.stderr(`k8s-image-lint: ${printable(message)}\n`);
  return EXIT_FAILURE;
}

/** Lints the PATHs and `--kustomize` overlays; a number is the exit code when nothing could be linted. */
async function lintRuns(options: LintOptions, io: CliIo, resolver: SettingsResolver, registryFor?: RegistryFor): Promise<number | { runs: LintResult[]; failed: boolean }> {
  const fail = (message: string) => failWith(io, message);
  const runs: LintResult[] = [];
  let failed = false;
  const paths = options.paths.filter((p) => p !== '-');
  const stdin = paths.length < options.paths.length ? readStdin(options, io, resolver) : null;
  if (stdin && typeof stdin === 'string') {
    fail(stdin);
    failed = true;
  }
  const piped = stdin && typeof stdin !== 'string' ? [stdin] : [];
  if (paths.length > 0 || piped.length > 0) {
    const collected = paths.length > 0 ? collectFiles(paths, io.cwd) : { files: [], errors: [] };
    for (const error of collected.errors) fail(error);
    failed ||= collected.errors.length > 0;
    if (collected.files.length === 0 && piped.length === 0) {
      return collected.errors.length > 0 ? EXIT_FAILURE
        : fail(`No .yaml or .yml file found in ${paths.join(', ')}: name a directory that contains Kubernetes manifests, or the files themselves.`);
    }
    const charts = { values: options.values.map((v) => resolve(io.cwd, v)), set: options.set };
    for (const v of charts.values) {
      if (existsSync(v)) continue;
      fail(`The values file ${v} does not exist.`);
      failed = true;
    }
    runs.push(await lintFiles(collected.files, io.cwd, options.fix, resolver, registryFor, fixRoots(paths, io.cwd), piped, charts, io.workers));
  }
  for (const dir of options.kustomize) {
    const overlay = collectKustomization(dir, io.cwd);
    for (const note of overlay.notes) io.stderr(`k8s-image-lint: note: ${printable(note)}\n`);
    for (const error of overlay.errors) fail(error);
    failed ||= overlay.errors.length > 0;
    if (overlay.root === null) continue;
    runs.push(lintKustomization(overlay.root, overlay.files, io.cwd, resolver, registryFor, overlay.patches));
  }
  for (const run of runs) for (const error of run.errors) fail(error);
  for (const run of runs) for (const note of run.notes) io.stderr(`k8s-image-lint: note: ${printable(note)}\n`);
  for (const problem of resolver.problems()) io.stderr(`k8s-image-lint: warning: ${printable(problem)}\n`);
  failed ||= runs.some((r) => r.errors.length > 0);
  if (runs.length === 0) return EXIT_FAILURE;
  return { runs, failed };
}

/** Writes the report in the chosen format and returns the exit code. */
function output(options: LintOptions, io: CliIo, runs: LintResult[], failed: boolean, fixedFiles = runs.reduce((n, r) => n + r.fixedFiles, 0)): number {
  const report = buildReport(shownAtLeast(runs.flatMap((r) => r.files), options.severity));
  switch (options.format) {
    case 'junit':
      io.stdout(formatJunit(report));
      io.stderr(summaryLine(report.summary, fixedFiles));
      break;
    case 'github':
      io.stdout(formatGithub(report));
      io.stderr(summaryLine(report.summary, fixedFiles));
      break;
    case 'json':
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      break;
    case 'sarif':
      io.stdout(formatSarif(report, packageVersion(), io.cwd, options.sarifRoot));
      break;
    case 'text':
      io.stdout(formatText(report, !!io.colour));
      if (options.resolve) io.stdout(formatResolved(report));
      io.stderr(summaryLine(report.summary, fixedFiles));
      break;
  }
  if (options.resolve) {
    const unchecked = uncheckedImages(report);
    if (options.format === 'text') io.stderr(resolvedSummary(report));
    if (unchecked > 0) {
      io.stderr(`k8s-image-lint: ${unchecked} image${unchecked === 1 ? '' : 's'} could not be checked (see the reasons above); exit status 2.\n`);
      return EXIT_FAILURE;
    }
  }
  if (failed) return EXIT_FAILURE;
  return report.files.some((f) => f.findings.some((x) => atLeast(x.severity, options.failOn))) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Standard input as a file to lint (`-`), named by `--stdin-filename` (default `<stdin>` in the working
 * directory, whose `.k8s-image-lint.yaml` applies); a sentence when it cannot be read.
 */
function readStdin(options: LintOptions, io: CliIo, resolver: SettingsResolver): LoadedFile | string {
  const name = options.stdinFilename ?? '<stdin>';
  const file = resolve(io.cwd, name);
  const settings = resolver.forFile(file);
  if (settings instanceof ConfigError) return `${sentence(settings.message)} Fix it to lint standard input.`;
  let bytes: Buffer;
  try {
    bytes = io.stdin ? io.stdin() : readFileSync(0);
  } catch (e) {
    return `Standard input cannot be read: ${(e as Error).message}`;
  }
  return { file, path: name, uri: pathToFileURL(file).href, text: decodeText(bytes).text, settings };
}

/** The trees `--fix` may write into: each PATH given (its real path; a file's own directory). */
function fixRoots(paths: readonly string[], cwd: string): string[] {
  return paths.flatMap((p) => {
    try {
      const abs = resolve(cwd, p);
      const real = realpathSync(abs);
      return [statSync(real).isDirectory() ? real : realpathSync(dirname(abs))];
    } catch {
      return [];
    }
  });
}
