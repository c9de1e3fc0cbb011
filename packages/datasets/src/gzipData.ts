/** Transparent gunzip of in-memory data, with corrupt-data errors that name the file. */
import { gunzipSync } from 'node:zlib';
import { CorruptFileError } from './datasetErrors.js';

/**
 * Decompresses `bytes` if they start with the gzip magic `1f 8b`, else returns them unchanged.
 * @throws CorruptFileError (naming `source`, suggesting `remedy`) on corrupt or truncated gzip data
 */
export function gunzipIfCompressed(bytes: Uint8Array, source: string, remedy: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new CorruptFileError(source, `gzip data is corrupt or truncated (${(e as Error).message})`, remedy);
  }
}
