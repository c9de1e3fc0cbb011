/** Mini-batches of normalised float32 NHWC images, in dataset order or a seeded random order. */
import { DatasetError, requireInteger, requireIntegerAtLeast } from './datasetErrors.js';
import {
  type ImageSplit,
  imageSize,
  type Normalisation,
  normalisationAffine,
  normaliseImages,
  normaliseInto,
} from './imageDataset.js';
import { shuffledIndices } from './seededRandom.js';

/** One mini-batch. */
export interface ImageBatch {
  /** Normalised values, NHWC, length `shape[0]·shape[1]·shape[2]·shape[3]`. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  /** `[batch, height, width, channels]`. */
  readonly shape: [number, number, number, number];
  /** Positions of these images in the split. */
  readonly indices: Int32Array;
}

/** Options of {@link iterateBatches}. */
export interface BatchOptions {
  /** Images per batch (integer ≥ 1). The last batch may be smaller unless `dropLast`. */
  readonly batchSize: number;
  /** Normalisation to apply (usually `dataset.normalisation`). */
  readonly normalisation: Normalisation;
  /** Visit the images in a seeded random order (default false: dataset order, like the original's test loader). */
  readonly shuffle?: boolean;
  /** Integer seed of the shuffle (default 0). Use e.g. `seed + epoch` for a new order each epoch. */
  readonly seed?: number;
  /** Skip a last, incomplete batch (default false). */
  readonly dropLast?: boolean;
}

/**
 * Yields mini-batches of a split. Only the current batch is materialised as float32; the split's uint8 pixels are
 * never copied as a whole, so memory stays at one dataset plus one batch.
 * @throws DatasetError on a batch size < 1 or a non-integer seed
 */
export async function* iterateBatches(split: ImageSplit, options: BatchOptions): AsyncGenerator<ImageBatch> {
  const batchSize = requireIntegerAtLeast('batchSize', options.batchSize, 1);
  if (options.shuffle !== undefined && typeof options.shuffle !== 'boolean') {
    throw new DatasetError('shuffle', `${String(options.shuffle)}; allowed: true or false`);
  }
  if (options.seed !== undefined) requireInteger('seed', options.seed);
  const order = options.shuffle ? shuffledIndices(split.count, options.seed ?? 0) : undefined;
  normaliseImages(split, options.normalisation, 0, 0); // validates the normalisation once
  const affine = normalisationAffine(options.normalisation);
  const size = imageSize(split);
  for (let start = 0; start < split.count; start += batchSize) {
    const n = Math.min(batchSize, split.count - start);
    if (n < batchSize && options.dropLast) return;
    const images = new Float32Array(n * size);
    const labels = new Int32Array(n);
    const indices = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order ? order[start + k]! : start + k;
      indices[k] = i;
      labels[k] = split.labels[i]!;
      normaliseInto(split.pixels.subarray(i * size, (i + 1) * size), split.channels, affine, images.subarray(k * size));
    }
    yield { images, labels, shape: [n, split.height, split.width, split.channels], indices };
  }
}
