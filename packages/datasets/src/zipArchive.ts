/**
 * A minimal ZIP reader (PKWARE APPNOTE.TXT 6.3): it finds the end-of-central-directory record, walks the central
 * directory, and inflates members on demand (method 0 stored or 8 deflate, via node:zlib `inflateRawSync`), checking
 * each member's CRC-32 and size. ZIP64 and encryption are not supported (Tiny-ImageNet-200 needs neither).
 */
import { inflateRawSync } from 'node:zlib';
import { crc32 } from './crc32.js';
import { CorruptFileError } from './datasetErrors.js';

const REMEDY = 'Delete the archive and fetch the dataset again';
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** One member of a ZIP archive; `read()` inflates and verifies it. */
export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly size: number;
  /** Inflates the member and checks its size and CRC-32. @throws CorruptFileError */
  read(): Uint8Array;
}

/**
 * Indexes the members of a ZIP archive held in memory (directories are left out).
 * @returns member name → entry, in central-directory order
 * @throws CorruptFileError if the archive is truncated or its directory is corrupt
 */
export function readZip(bytes: Uint8Array, source = '<zip bytes>'): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new CorruptFileError(source, 'no ZIP end-of-central-directory record (truncated?)', REMEDY);
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (dirOffset + dirSize > eocd) throw new CorruptFileError(source, 'ZIP central directory out of bounds', REMEDY);
  const entries = new Map<string, ZipEntry>();
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIGNATURE) {
      throw new CorruptFileError(source, `ZIP central directory entry ${i} is corrupt`, REMEDY);
    }
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const compressedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    const name = Buffer.from(bytes.subarray(p + 46, p + 46 + nameLength)).toString('utf8');
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const read = (): Uint8Array => {
      if (localOffset + 30 > bytes.length || view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) {
        throw new CorruptFileError(source, `ZIP member ${name}: bad local header`, REMEDY);
      }
      const start = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
      if (start + compressedSize > bytes.length) {
        throw new CorruptFileError(source, `ZIP member ${name} is truncated`, REMEDY);
      }
      const stored = bytes.subarray(start, start + compressedSize);
      let data: Uint8Array;
      if (method === 0) data = stored;
      else if (method === 8) {
        try {
          data = inflateRawSync(stored);
        } catch (e) {
          throw new CorruptFileError(source, `ZIP member ${name}: ${(e as Error).message}`, REMEDY);
        }
      } else throw new CorruptFileError(source, `ZIP member ${name}: compression method ${method} unsupported`, REMEDY);
      if (data.length !== size || crc32(data) !== crc) {
        throw new CorruptFileError(source, `ZIP member ${name}: size or CRC-32 mismatch`, REMEDY);
      }
      return data;
    };
    entries.set(name, { name, compressedSize, size, read });
  }
  return entries;
}
