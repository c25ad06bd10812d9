/** Running a real editor in batch/headless mode for the editor tests: its version, a scratch directory, the run. */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The first line of `command --version`, or null when the editor is not installed (or does not run). */
export function editorVersion(command: string): string | null {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : null;
}

/** Runs `fn` in a fresh temporary directory named after `prefix`, removed afterwards whatever happens. */
export async function inTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the editor to completion (SIGKILL after `timeoutMs`), stdin closed: its exit code and its stdout and
 * stderr interleaved, for failure messages.
 */
export async function runEditor(command: string, args: string[], options: Pick<SpawnOptions, 'cwd' | 'env'>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  return { code, output };
}
