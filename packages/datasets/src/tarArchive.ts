/**
 * A minimal reader of POSIX ustar / GNU tar archives (IEEE Std 1003.1 "pax" interchange format, ustar subset):
 * 512-byte headers with octal fields and a checksum, file data padded to 512 bytes, two zero blocks at the end.
 * GNU long names (type `L`) and the ustar `prefix` field are honoured; pax extended headers (`x`, `g`) are skipped.
 * Used to read the CIFAR binary archives in memory without extracting them to disk.
 */
import { CorruptFileError } from './datasetErrors.js';
import { gunzipIfCompressed } from './gzipData.js';

const BLOCK = 512;
const REMEDY = 'Delete the archive and fetch the dataset again';

function readString(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && block[end] !== 0) end++;
  return Buffer.from(block.subarray(offset, end)).toString('utf8');
}

function readOctal(block: Uint8Array, offset: number, length: number, source: string): number {
  const text = readString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new CorruptFileError(source, `bad octal field "${text}" in a tar header`, REMEDY);
  return Number.parseInt(text, 8);
}

/**
 * Lists the regular files of a tar archive (gzip-compressed if it starts with `1f 8b`).
 * @returns file name → contents (views into the decompressed archive)
 * @throws CorruptFileError on a header checksum mismatch, a truncated member, or corrupt gzip data
 */
export function readTar(bytes: Uint8Array, source = '<tar bytes>'): Map<string, Uint8Array> {
  const raw = gunzipIfCompressed(bytes, source, REMEDY);
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  let longName: string | undefined;
  for (;;) {
    if (offset + BLOCK > raw.length)
      throw new CorruptFileError(source, 'tar archive ends without its end marker', REMEDY);
    const header = raw.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return files;
    const stored = readOctal(header, 148, 8, source);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (sum !== stored) throw new CorruptFileError(source, `tar header checksum mismatch at byte ${offset}`, REMEDY);
    const size = readOctal(header, 124, 12, source);
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + BLOCK;
    if (dataStart + size > raw.length) {
      throw new CorruptFileError(source, `tar member at byte ${offset} is truncated`, REMEDY);
    }
    const data = raw.subarray(dataStart, dataStart + size);
    if (type === 'L') {
      longName = readString(data, 0, data.length);
    } else {
      const prefix = readString(header, 345, 155);
      const shortName = readString(header, 0, 100);
      const name = longName ?? (prefix ? `${prefix}/${shortName}` : shortName);
      longName = undefined;
      if (type === '0' || type === '\0') files.set(name, data);
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
}
