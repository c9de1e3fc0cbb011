/** Small in-memory datasets for tests. */
import type { ImageDataset, ImageSplit } from '../src/index.js';

/** A split of `count` 2×2×channels images; pixel i of image n is (n·7 + i·3) mod 256; labels cycle 0..classes−1. */
export function syntheticSplit(
  count: number,
  channels: number,
  classes: number,
  labelOf = (n: number) => n % classes,
): ImageSplit {
  const size = 4 * channels;
  const pixels = Uint8Array.from({ length: count * size }, (_, k) => (Math.floor(k / size) * 7 + (k % size) * 3) % 256);
  const labels = Int32Array.from({ length: count }, (_, n) => labelOf(n));
  return { pixels, labels, count, height: 2, width: 2, channels };
}

/** A dataset with `classes` classes named c0, c1, … */
export function syntheticDataset(
  name: string,
  train: number,
  test: number,
  classes: number,
  channels = 3,
): ImageDataset {
  return {
    name,
    classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
    normalisation: { mean: new Array(channels).fill(0.5), std: new Array(channels).fill(0.25) },
    train: syntheticSplit(train, channels, classes),
    test: syntheticSplit(test, channels, classes),
  };
}
