/** Crash-safe file writing for CLI outputs: a reader sees the old file or the new one, never a half-written one. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@lipkit/constrained-layers';

/**
 * Writes `data` to `path` atomically, creating the folder if needed: constrained-layers' `writeFileAtomic` (temp file
 * beside the target, fsync, rename, fsync of the folder), the same code path as the training checkpoints. On error
 * the temporary file is removed and the target is untouched.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  writeFileAtomic(path, data);
}
