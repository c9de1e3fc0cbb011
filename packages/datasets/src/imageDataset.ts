/**
 * The framework-free in-memory dataset: raw pixels as uint8 NHWC plus int32 labels, and the per-channel statistics
 * that turn them into normalised float32 NHWC data. Pixels stay uint8 (4× smaller than float32: all of
 * Tiny-ImageNet fits in 1.2 GB) and are normalised per batch or on request, so no second full-size float copy of the
 * dataset is ever needed.
 */
import { DatasetError } from './datasetErrors.js';

/** One split (train or test): `count` images of `height × width × channels` bytes in NHWC order. */
export interface ImageSplit {
  /** Pixel values 0–255, NHWC (image-major, then row, column, channel). Length `count·height·width·channels`. */
  readonly pixels: Uint8Array;
  /** Class index of each image, 0 ≤ label < number of classes. */
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Per-channel normalisation `(x/255 − mean[c]) / std[c]` (torchvision `ToTensor` then `Normalize`). */
export interface Normalisation {
  /** Mean of each channel on the [0, 1] scale. */
  readonly mean: readonly number[];
  /** Standard deviation of each channel on the [0, 1] scale (all > 0). */
  readonly std: readonly number[];
}

/** A dataset in memory: train and test splits, class names and the normalisation statistics. */
export interface ImageDataset {
  /** Catalog name, e.g. `cifar10` (derived datasets keep their origin's name). */
  readonly name: string;
  /** Class names; a label `k` means `classNames[k]`. */
  readonly classNames: readonly string[];
  /** Normalisation applied by {@link normaliseImages} and the batch iterator. */
  readonly normalisation: Normalisation;
  readonly train: ImageSplit;
  readonly test: ImageSplit;
}

/** Values per image of a split (`height·width·channels`). */
export function imageSize(split: ImageSplit): number {
  return split.height * split.width * split.channels;
}

function checkNormalisation(n: Normalisation, channels: number): void {
  if (n.mean.length !== channels || n.std.length !== channels) {
    throw new DatasetError('normalisation', `needs ${channels} means and stds; allowed: one per channel`);
  }
  if (!n.std.every((s) => Number.isFinite(s) && s > 0) || !n.mean.every(Number.isFinite)) {
    throw new DatasetError('normalisation', 'means must be finite and stds finite and > 0');
  }
}

/** Per-channel `scale`, `shift` with `(x/255 − mean)/std = x·scale + shift`. */
export interface NormalisationAffine {
  readonly scale: Float64Array;
  readonly shift: Float64Array;
}

/** The affine form of a normalisation (computed once, applied to many images). */
export function normalisationAffine(n: Normalisation): NormalisationAffine {
  return {
    scale: Float64Array.from(n.std, (s) => 1 / (255 * s)),
    shift: Float64Array.from(n.mean, (m, i) => -m / n.std[i]!),
  };
}

/** Writes `src·scale[c] + shift[c]` channel by channel into `out` (no checks: callers validate). */
export function normaliseInto(src: Uint8Array, channels: number, affine: NormalisationAffine, out: Float32Array): void {
  const { scale, shift } = affine;
  if (channels === 1) {
    const a = scale[0]!;
    const b = shift[0]!;
    for (let i = 0; i < src.length; i++) out[i] = src[i]! * a + b;
    return;
  }
  for (let i = 0; i < src.length; i += channels) {
    for (let ch = 0; ch < channels; ch++) out[i + ch] = src[i + ch]! * scale[ch]! + shift[ch]!;
  }
}

/**
 * Normalised float32 NHWC values of images `start … start+count−1`: `(x/255 − mean[c]) / std[c]`.
 * @param out optional buffer to fill (length ≥ count·imageSize); a new one is allocated otherwise
 */
export function normaliseImages(
  split: ImageSplit,
  normalisation: Normalisation,
  start = 0,
  count = split.count - start,
  out?: Float32Array,
): Float32Array {
  checkNormalisation(normalisation, split.channels);
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > split.count) {
    throw new DatasetError('start', `images ${start}…${start + count - 1} outside 0…${split.count - 1}`);
  }
  const size = imageSize(split);
  const result = out ?? new Float32Array(count * size);
  const affine = normalisationAffine(normalisation);
  normaliseInto(split.pixels.subarray(start * size, (start + count) * size), split.channels, affine, result);
  return result;
}

/**
 * The first `n` images of a split (views, no copy), as the original's `--limit_to` (`Subset(range(n))`, not a
 * random subset).
 * @throws DatasetError (argument `limitTo`) unless 1 ≤ n ≤ count
 */
export function limitTo(split: ImageSplit, n: number): ImageSplit {
  if (!Number.isSafeInteger(n) || n < 1 || n > split.count) {
    throw new DatasetError('limitTo', `${n} is not a valid image count; allowed: integers 1…${split.count}`);
  }
  const size = imageSize(split);
  return { ...split, pixels: split.pixels.subarray(0, n * size), labels: split.labels.subarray(0, n), count: n };
}

/** Copies the images at `indices` (in that order) into a new split. */
export function pickImages(split: ImageSplit, indices: ArrayLike<number>): ImageSplit {
  const size = imageSize(split);
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    pixels.set(split.pixels.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = split.labels[i]!;
  }
  return { ...split, pixels, labels, count: indices.length };
}

/** Options of {@link selectClasses}. */
export interface SelectClassesOptions {
  /** Keep at most this many images of each class in the train split, the first ones in dataset order. */
  readonly trainPerClass?: number;
  /** Keep at most this many images of each class in the test split, the first ones in dataset order. */
  readonly testPerClass?: number;
}

function selectSplit(split: ImageSplit, newLabel: Map<number, number>, perClass: number): ImageSplit {
  const taken = new Map<number, number>();
  const indices: number[] = [];
  for (let i = 0; i < split.count; i++) {
    const l = split.labels[i]!;
    if (!newLabel.has(l)) continue;
    const t = taken.get(l) ?? 0;
    if (t >= perClass) continue;
    taken.set(l, t + 1);
    indices.push(i);
  }
  const out = pickImages(split, indices);
  for (let k = 0; k < out.count; k++) out.labels[k] = newLabel.get(out.labels[k]!)!;
  return out;
}

/**
 * Keeps only the given classes in both splits and renumbers them in ascending order of their original index
 * (steady-learner §6.1: CIFAR-10 airplane (0) vs dog (5) → 0, 1; §6.5: MNIST 3 vs 6 → 0, 1, with the first 100 train
 * and 900 test images of each class via `trainPerClass` / `testPerClass`).
 * @throws DatasetError (argument `classes`) on an empty list, duplicates, or an index outside the dataset's classes
 */
export function selectClasses(
  dataset: ImageDataset,
  classes: readonly number[],
  options: SelectClassesOptions = {},
): ImageDataset {
  const k = dataset.classNames.length;
  const sorted = [...classes].sort((a, b) => a - b);
  if (
    sorted.length === 0 ||
    new Set(sorted).size !== sorted.length ||
    !sorted.every((c) => Number.isInteger(c) && c >= 0 && c < k)
  ) {
    throw new DatasetError('classes', `${JSON.stringify(classes)}; allowed: distinct class indices 0…${k - 1}`);
  }
  const perClass = (v: number | undefined, arg: string) => {
    if (v === undefined) return Number.POSITIVE_INFINITY;
    if (!Number.isSafeInteger(v) || v < 1) throw new DatasetError(arg, `${v}; allowed: integers ≥ 1`);
    return v;
  };
  const newLabel = new Map(sorted.map((c, i) => [c, i]));
  return {
    ...dataset,
    classNames: sorted.map((c) => dataset.classNames[c]!),
    train: selectSplit(dataset.train, newLabel, perClass(options.trainPerClass, 'trainPerClass')),
    test: selectSplit(dataset.test, newLabel, perClass(options.testPerClass, 'testPerClass')),
  };
}

/** Replaces the normalisation (e.g. steady-learner's mean 0.5, std 0.5 per channel, mapping pixels to [−1, 1]). */
export function withNormalisation(dataset: ImageDataset, normalisation: Normalisation): ImageDataset {
  checkNormalisation(normalisation, dataset.train.channels);
  return { ...dataset, normalisation };
}

/** Per-channel statistics of a split on the [0, 1] scale (population std), plus the count of each class. */
export interface SplitStatistics {
  readonly mean: number[];
  readonly std: number[];
  readonly classCounts: number[];
}

/** Measures per-channel mean and standard deviation (float64 accumulation) and the class counts of a split. */
export function splitStatistics(split: ImageSplit, numClasses: number): SplitStatistics {
  const c = split.channels;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  for (let i = 0; i < split.pixels.length; i++) {
    const v = split.pixels[i]! / 255;
    sum[i % c]! += v;
    sumSq[i % c]! += v * v;
  }
  const n = split.pixels.length / c;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sumSq, (s, i) => Math.sqrt(Math.max(0, s / n - mean[i]! ** 2)));
  const classCounts = new Array<number>(numClasses).fill(0);
  for (const l of split.labels) classCounts[l]!++;
  return { mean, std, classCounts };
}
