/**
 * The CLI entry (`server/out/cli.js`, package bin `k8s-image-lint`). All behaviour lives in `cli/main.ts`;
 * this file only binds it to the process.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { EXIT_FAILURE, runCliAsync } from './cli/main';
import { LintPool, poolFor, serveLintWorker } from './cli/parallel';
import { useColour } from './cli/formatText';

// `k8s-image-lint . | head` closes stdout early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

if (!isMainThread && (workerData as { k8sImageLintWorker?: boolean } | null)?.k8sImageLintWorker) {
  // This bundle is also the entry of the CLI's worker threads (cli/parallel.ts).
  serveLintWorker();
} else {
  runCliAsync(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    colour: useColour(process.stdout.isTTY, process.env),
    workers: poolFor(__filename),
  }).then((code) => {
    process.exitCode = code;
  }, (e: unknown) => {
    process.stderr.write(`k8s-image-lint: internal error: ${(e as Error).stack ?? e}\nThis is a bug in k8s-image-lint; please report it.\n`);
    process.exitCode = EXIT_FAILURE;
  }).finally(() => LintPool.closeAll());
}
