/**
 * Label corruption of the training set (steady-learner §6.1): every training label, in dataset order, is selected
 * with probability `rate` and replaced by a label drawn uniformly from all classes, so about 1/K of the selected
 * labels keep their true value: the expected fraction of changed labels is `rate·(K−1)/K` (rate/2 for two classes).
 */
import { DatasetError } from './datasetErrors.js';
import type { ImageDataset } from './imageDataset.js';
import { SeededRandom } from './seededRandom.js';

/** Options of {@link corruptTrainLabels}. */
export interface LabelCorruptionOptions {
  /** Selection probability p ∈ [0, 1]; 0 changes nothing, 1 redraws every label. */
  readonly rate: number;
  /** Integer seed; default 12345, the original's fixed `np.random.seed(12345)`. */
  readonly seed?: number;
}

/** Result of {@link corruptTrainLabels}: the new dataset and which train labels actually changed. */
export interface CorruptedDataset {
  readonly dataset: ImageDataset;
  /** 1 where the train label differs from the original, else 0. */
  readonly changed: Uint8Array;
  /** Number of train labels that changed. */
  readonly changedCount: number;
}

/**
 * Corrupts the train labels at `rate`; the test labels are never corrupted. As in the original, all selection
 * draws U_i come first, then the replacement labels of the selected ones. We select with U_i < p (the original uses
 * U_i ≤ p, which could change a label at p = 0 with probability 2^−53 per label); so p = 0 is exactly a no-op.
 * @throws DatasetError (argument `rate`) unless 0 ≤ rate ≤ 1; (argument `seed`) on a non-integer seed
 */
export function corruptTrainLabels(dataset: ImageDataset, options: LabelCorruptionOptions): CorruptedDataset {
  const { rate } = options;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new DatasetError('rate', `${String(rate)} is not a probability; allowed: numbers in [0, 1]`);
  }
  const rng = new SeededRandom(options.seed ?? 12345);
  const original = dataset.train.labels;
  const labels = new Int32Array(original);
  const selected = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) selected[i] = rng.nextFloat() < rate ? 1 : 0;
  const k = dataset.classNames.length;
  const changed = new Uint8Array(labels.length);
  let changedCount = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!selected[i]) continue;
    labels[i] = rng.nextInt(k);
    if (labels[i] !== original[i]) {
      changed[i] = 1;
      changedCount++;
    }
  }
  return { dataset: { ...dataset, train: { ...dataset.train, labels } }, changed, changedCount };
}
