/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * `00 00 <type> <rank>`, `rank` big-endian uint32 dimensions, then the data in row-major order. Only type 0x08
 * (unsigned byte), the one these datasets use, is supported.
 */
import { gzipSync } from 'node:zlib';
import { CorruptFileError } from './datasetErrors.js';
import { gunzipIfCompressed } from './gzipData.js';

/** A decoded IDX array of unsigned bytes. */
export interface IdxArray {
  /** Dimensions, e.g. `[60000, 28, 28]` for images or `[60000]` for labels. */
  readonly dims: readonly number[];
  /** Row-major values (a view into the input, not a copy). */
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Decodes an IDX file (gzip-compressed if it starts with the gzip magic `1f 8b`).
 * @param source label used in errors (usually the file path)
 * @throws CorruptFileError on a bad magic, an unsupported type, or a length that disagrees with the header
 */
export function decodeIdx(bytes: Uint8Array, source = '<idx bytes>'): IdxArray {
  const remedy = 'Delete the file and fetch the dataset again';
  const raw = gunzipIfCompressed(bytes, source, remedy);
  if (raw.length < 4 || raw[0] !== 0 || raw[1] !== 0) throw new CorruptFileError(source, 'not an IDX file', remedy);
  if (raw[2] !== UBYTE) {
    throw new CorruptFileError(
      source,
      `IDX data type 0x${raw[2]!.toString(16)} unsupported (only 0x08, ubyte)`,
      remedy,
    );
  }
  const rank = raw[3]!;
  const headerLength = 4 + 4 * rank;
  if (rank === 0 || raw.length < headerLength) throw new CorruptFileError(source, 'IDX header truncated', remedy);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  if (raw.length !== headerLength + count) {
    throw new CorruptFileError(
      source,
      `IDX header promises ${count} values (${dims.join('×')}) but the file holds ${raw.length - headerLength}`,
      remedy,
    );
  }
  return { dims, data: raw.subarray(headerLength) };
}

/**
 * Encodes unsigned bytes as an IDX file, gzip-compressed (level 9) unless `gzip` is false. The inverse of
 * {@link decodeIdx}; used to write the embedded subset and handy for exporting subsets.
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array, gzip = true): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeIdx: dims ${dims.join('×')} ≠ ${data.length} values`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = dims.length;
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  out.set(data, 4 + 4 * dims.length);
  return gzip ? new Uint8Array(gzipSync(out, { level: 9 })) : out;
}
