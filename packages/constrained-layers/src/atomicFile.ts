/** Crash-safe file replacement: a reader sees the old file or the new one, never a torn mix. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `chunks` to `path` atomically: into `<path>.tmp-<pid>` first, fsync, rename over `path`, then fsync the
 * folder so the rename itself is durable. On failure the temp file is removed and `path` is untouched.
 */
export function writeFileAtomic(path: string, chunks: string | Uint8Array | readonly Uint8Array[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const parts =
    typeof chunks === 'string' ? [new TextEncoder().encode(chunks)] : chunks instanceof Uint8Array ? [chunks] : chunks;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    for (const p of parts) {
      let at = 0;
      while (at < p.length) at += writeSync(fd, p, at, p.length - at);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
