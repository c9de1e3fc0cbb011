/** Streaming file checksums and the size + checksum verification used for every cached download. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** A published checksum. */
export interface Checksum {
  readonly algorithm: 'md5' | 'sha256';
  /** Lower-case hex digest. */
  readonly hex: string;
}

/** Hex digest of a file, read as a stream (constant memory). */
export async function fileDigest(path: string, algorithm: Checksum['algorithm']): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks a file's size, then its checksum. Resolves to `undefined` when both match, else to a description of the
 * problem (missing, truncated, too long, checksum mismatch).
 */
export async function verifyFile(path: string, size: number, checksum: Checksum): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 'missing';
  if (info.size < size) return `truncated: ${info.size} of ${size} bytes`;
  if (info.size > size) return `too long: ${info.size} bytes, expected ${size}`;
  const digest = await fileDigest(path, checksum.algorithm);
  if (digest !== checksum.hex.toLowerCase()) {
    return `${checksum.algorithm} checksum mismatch: expected ${checksum.hex}, got ${digest}`;
  }
  return undefined;
}
