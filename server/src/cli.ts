/**
 * The CLI entry (`server/out/cli.js`, package bin `k8s-image-lint`). All behaviour lives in `cli/main.ts`;
 * this file only binds it to the process.
 */
import { EXIT_FAILURE, runCliAsync } from './cli/main';
import { useColour } from './cli/formatText';

// `k8s-image-lint . | head` closes stdout early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCliAsync(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  colour: useColour(process.stdout.isTTY, process.env),
}).then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`k8s-image-lint: internal error: ${(e as Error).stack ?? e}\nThis is a bug in k8s-image-lint; please report it.\n`);
  process.exitCode = EXIT_FAILURE;
});
