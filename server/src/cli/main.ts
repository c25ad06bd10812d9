import { resolve } from 'node:path';
import type { Settings } from '../service/index';
import { ConfigError, loadConfigFile } from '../node/configFile';
import { HELP, USAGE, UsageError, parseCommandLine, type Command } from './args';
import { formatSarif } from './formatSarif';
import { formatText, summaryLine } from './formatText';
import { SettingsResolver, lintFiles, sentence, type LintResult } from './lint';
import { collectKustomization, lintKustomization } from './kustomize';
import { buildReport } from './report';
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
}

/**
 * Runs the CLI (SPEC §7) and returns the exit code: 0 no error-severity findings, 1 some, 2 a usage error
 * or a file that could not be read or written. stdout carries only the report; messages go to stderr.
 */
export function runCli(argv: string[], io: CliIo): number {
  const fail = (message: string) => {
    io.stderr(`k8s-image-lint: ${message}\n`);
    return EXIT_FAILURE;
  };
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message}\n${USAGE}`);
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
  if (options.config !== null) {
    try {
      fixed = loadConfigFile(resolve(io.cwd, options.config));
    } catch (e) {
      if (e instanceof ConfigError) return fail(`${sentence(e.message)} Check the --config argument.`);
      throw e;
    }
  }

  const resolver = new SettingsResolver(fixed);
  const runs: LintResult[] = [];
  let failed = false;
  if (options.paths.length > 0) {
    const collected = collectFiles(options.paths, io.cwd);
    for (const error of collected.errors) fail(error);
    failed ||= collected.errors.length > 0;
    if (collected.files.length === 0) {
      return collected.errors.length > 0 ? EXIT_FAILURE
        : fail(`No .yaml or .yml file found in ${options.paths.join(', ')}: name a directory that contains Kubernetes manifests, or the files themselves.`);
    }
    runs.push(lintFiles(collected.files, io.cwd, options.fix, resolver));
  }
  for (const dir of options.kustomize) {
    const overlay = collectKustomization(dir, io.cwd);
    for (const note of overlay.notes) io.stderr(`k8s-image-lint: note: ${note}\n`);
    for (const error of overlay.errors) fail(error);
    failed ||= overlay.errors.length > 0;
    if (overlay.root === null) continue;
    runs.push(lintKustomization(overlay.root, overlay.files, io.cwd, resolver));
  }
  for (const run of runs) for (const error of run.errors) fail(error);
  failed ||= runs.some((r) => r.errors.length > 0);
  if (runs.length === 0) return EXIT_FAILURE;

  const report = buildReport(runs.flatMap((r) => r.files));
  const fixedFiles = runs.reduce((n, r) => n + r.fixedFiles, 0);
  switch (options.format) {
    case 'json':
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      break;
    case 'sarif':
      io.stdout(formatSarif(report, packageVersion(), io.cwd));
      break;
    case 'text':
      io.stdout(formatText(report));
      io.stderr(summaryLine(report.summary, fixedFiles));
      break;
  }
  if (failed) return EXIT_FAILURE;
  return report.summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}
