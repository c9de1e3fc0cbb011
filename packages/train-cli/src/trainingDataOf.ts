/** Adapts a @lipkit/datasets dataset to the training loop's framework-free {@link TrainingData}. */
import type { TrainingData } from '@lipkit/constrained-layers';
import { type ImageDataset, iterateBatches } from '@lipkit/datasets';

/** Test batch size of the original (`train.py` evaluates with batch 256). */
export const TEST_BATCH_SIZE = 256;

/**
 * Training batches of `batchSize` in a seeded random order per epoch (the loop supplies the seed), test batches of
 * 256 in dataset order, both normalised with the dataset's statistics (spec §8.1, no augmentation).
 */
export function trainingDataOf(dataset: ImageDataset, batchSize: number): TrainingData {
  return {
    trainSize: dataset.train.count,
    testSize: dataset.test.count,
    trainBatches: (seed) =>
      iterateBatches(dataset.train, { batchSize, normalisation: dataset.normalisation, shuffle: true, seed }),
    testBatches: () =>
      iterateBatches(dataset.test, { batchSize: TEST_BATCH_SIZE, normalisation: dataset.normalisation }),
  };
}
