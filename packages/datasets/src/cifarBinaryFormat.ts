/**
 * The binary ("suitable for C programs") CIFAR-10/100 record format (Krizhevsky 2009,
 * https://www.cs.toronto.edu/~kriz/cifar.html): fixed-length records of `labelBytes` label bytes followed by 3072
 * pixel bytes, the 1024 red, then 1024 green, then 1024 blue values of a 32×32 image in row-major order (CHW).
 * CIFAR-10 has one label byte; CIFAR-100 has two (coarse, then fine).
 */
import { CorruptFileError } from './datasetErrors.js';

/** Side of a CIFAR image in pixels. */
export const CIFAR_SIDE = 32;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
const PIXELS = 3 * PLANE;

/** Options of {@link decodeCifarBinary}. */
export interface CifarDecodeOptions {
  /** Label bytes per record: 1 (CIFAR-10) or 2 (CIFAR-100). */
  readonly labelBytes: 1 | 2;
  /** Which label byte is the label (CIFAR-100: 0 = coarse, 1 = fine). Default: the last one. */
  readonly labelIndex?: number;
  /** Labels must be < this (10 or 100); a larger one means the file is corrupt. */
  readonly numClasses: number;
  /** Name used in errors (usually `archive.tar.gz:member`). */
  readonly source?: string;
}

/** Decoded CIFAR records: pixels transposed to NHWC (HWC per image, RGB), labels as int32. */
export interface CifarRecords {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * Decodes concatenated CIFAR binary records into NHWC pixels (the layout tfjs uses) and labels.
 * @throws CorruptFileError if the length is not a multiple of the record size or a label is out of range
 */
export function decodeCifarBinary(bytes: Uint8Array, options: CifarDecodeOptions): CifarRecords {
  const { labelBytes, numClasses } = options;
  const labelIndex = options.labelIndex ?? labelBytes - 1;
  const source = options.source ?? '<cifar bytes>';
  const recordSize = labelBytes + PIXELS;
  if (bytes.length % recordSize !== 0) {
    throw new CorruptFileError(
      source,
      `length ${bytes.length} is not a multiple of the ${recordSize}-byte record size`,
      'Delete the archive and fetch the dataset again',
    );
  }
  const count = bytes.length / recordSize;
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const rec = n * recordSize;
    const label = bytes[rec + labelIndex]!;
    if (label >= numClasses) {
      throw new CorruptFileError(
        source,
        `record ${n} has label ${label} ≥ ${numClasses}`,
        'Delete the archive and fetch the dataset again',
      );
    }
    labels[n] = label;
    const r = bytes.subarray(rec + labelBytes, rec + recordSize);
    const g = r.subarray(PLANE);
    const b = r.subarray(2 * PLANE);
    const out = pixels.subarray(n * PIXELS, (n + 1) * PIXELS);
    for (let p = 0, o = 0; p < PLANE; p++, o += 3) {
      out[o] = r[p]!;
      out[o + 1] = g[p]!;
      out[o + 2] = b[p]!;
    }
  }
  return { pixels, labels, count };
}
