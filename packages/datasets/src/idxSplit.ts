/** An image split from a pair of IDX files (images `n × h × w`, labels `n`), as MNIST and Fashion-MNIST ship. */
import { CorruptFileError } from './datasetErrors.js';
import { decodeIdx } from './idxFormat.js';
import type { ImageSplit } from './imageDataset.js';

/**
 * Decodes and cross-checks an images file and a labels file.
 * @param sources names of the two files, used in errors
 * @param remedy what to tell the user when a file is corrupt
 * @throws CorruptFileError if the counts differ, the images are not rank 3, or a label is ≥ `numClasses`
 */
export function decodeIdxSplit(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  numClasses: number,
  sources: readonly [string, string],
  remedy = 'Delete the file and fetch the dataset again',
): ImageSplit {
  const images = decodeIdx(imageBytes, sources[0]);
  const labels = decodeIdx(labelBytes, sources[1]);
  if (images.dims.length !== 3)
    throw new CorruptFileError(sources[0], `rank ${images.dims.length}, expected 3`, remedy);
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new CorruptFileError(sources[1], `${labels.dims.join('×')} labels for ${images.dims[0]} images`, remedy);
  }
  const out = new Int32Array(labels.data.length);
  for (let i = 0; i < out.length; i++) {
    const l = labels.data[i]!;
    if (l >= numClasses) throw new CorruptFileError(sources[1], `label ${l} at ${i} is ≥ ${numClasses}`, remedy);
    out[i] = l;
  }
  const [count, height, width] = images.dims as [number, number, number];
  return { pixels: images.data, labels: out, count, height, width, channels: 1 };
}
