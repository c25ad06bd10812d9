/**
 * Writing a fixed file without losing anything: atomically (a temporary file in the same directory, its mode set
 * to the original's, renamed over it), never through a symbolic link that leads outside the trees the user named,
 * and never over a file that changed since it was read.
 */
import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';

/** Why a write was refused, as a sentence (null: written). */
export type WriteOutcome = null | string;

/**
 * Writes `bytes` to `file` if its content is still `before`. `roots`: the directories (real paths) the user named;
 * a symbolic link is followed only to a target inside one of them (the target is written, the link kept).
 */
export function writeIfUnchanged(file: string, before: Buffer, bytes: Buffer, roots: readonly string[], shown: string): WriteOutcome {
  let target = file;
  if (lstatSync(file).isSymbolicLink()) {
    target = realpathSync(file);
    if (!roots.some((r) => inside(r, target))) return `${shown} is a symbolic link to ${target}, outside the paths given: its fixes were not written.`;
  }
  const tmp = join(dirname(target), `.${basename(target)}.k8s-image-lint-${process.pid}.tmp`);
  const mode = statSync(target).mode & 0o7777;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // Checked as late as possible: an editor or another tool that wrote meanwhile keeps its version.
    if (!readFileSync(target).equals(before)) {
      rmSync(tmp, { force: true });
      return `${shown} changed while it was being fixed: it was left as it is now; run again to fix it.`;
    }
    renameSync(tmp, target);
    return null;
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
