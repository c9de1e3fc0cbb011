/**
 * Random labels (excess-capacity §8.4, the `--rand` experiments of Zhang et al. 2017 "Understanding deep learning
 * requires rethinking generalization"): both the train and the test labels are replaced.
 */
import { DatasetError } from './datasetErrors.js';
import type { ImageDataset, ImageSplit } from './imageDataset.js';
import { SeededRandom } from './seededRandom.js';

/** `uniform`: each label i.i.d. uniform over the classes; `permutation`: a random shuffle of the true labels. */
export type RandomLabelMode = 'uniform' | 'permutation';

/** Options of {@link randomizeLabels}. */
export interface RandomLabelOptions {
  /** Integer seed (required: the labels must be reproducible). */
  readonly seed: number;
  /**
   * Default: `permutation` for `cifar100` (the original's `cifar100_rand.json` is exactly balanced, a shuffle of the
   * true labels) and `uniform` otherwise (its `cifar10_rand.json` is i.i.d. uniform: class counts 4884–5126).
   */
  readonly mode?: RandomLabelMode;
}

function relabel(split: ImageSplit, mode: RandomLabelMode, numClasses: number, rng: SeededRandom): ImageSplit {
  const labels = new Int32Array(split.labels);
  if (mode === 'permutation') rng.shuffleInPlace(labels);
  else for (let i = 0; i < labels.length; i++) labels[i] = rng.nextInt(numClasses);
  return { ...split, labels };
}

/**
 * Replaces the train and the test labels with seeded random ones (train first, then test, from one generator).
 * Unlike the original, which reads a JSON file from the data directory, the labels are generated from the seed.
 * Pixels are shared with the input, labels are new arrays.
 * @throws DatasetError on a non-integer seed or an unknown mode
 */
export function randomizeLabels(dataset: ImageDataset, options: RandomLabelOptions): ImageDataset {
  const rng = new SeededRandom(options.seed);
  const mode = options.mode ?? (dataset.name === 'cifar100' ? 'permutation' : 'uniform');
  if (mode !== 'uniform' && mode !== 'permutation') {
    throw new DatasetError('mode', `"${String(mode)}"; allowed: uniform, permutation`);
  }
  const k = dataset.classNames.length;
  const train = relabel(dataset.train, mode, k, rng);
  const test = relabel(dataset.test, mode, k, rng);
  return { ...dataset, train, test };
}
