/**
 * The architectures of `lipkit train --arch` (spec §7), built by @lipkit/constrained-layers and adapted to the
 * training loop. Constraints are applied for **every** architecture: the original `train.py` ignores `--lip/--dist`
 * for the simple convnets (spec §9.1, §14.12).
 */
import {
  type ConstrainedNetwork,
  measureCapacityQuantities,
  noStridePreActResNet18,
  simpleConvnet6,
  simpleConvnet11,
  type TrainableNetwork,
} from '@lipkit/constrained-layers';
import { iterateBatches } from '@lipkit/datasets';
import type { CapacityCommandDeps } from './capacityCommand.js';
import { CliUsageError } from './cliErrors.js';
import { TEST_BATCH_SIZE } from './trainingDataOf.js';
import { limitValue, type TrainRunConfig } from './trainRunConfig.js';

/** A network built for a run: the loop's view, its disposal, and the constrained network when there is one. */
export type BuiltNetwork = TrainableNetwork & { dispose?(): void; constrained?: ConstrainedNetwork };

/**
 * Builds the constrained network of `config.arch` for square `inputShape` images and `numClasses` classes, every
 * constrained layer projecting in `config.projMode`.
 */
export function buildConstrainedNetwork(
  config: TrainRunConfig,
  [height, width, channels]: [number, number, number],
  numClasses: number,
): ConstrainedNetwork {
  if (height !== width) throw new CliUsageError('--dataset', `images are ${height}×${width}; allowed: square images`);
  const lipCond = config.lip.map(limitValue);
  const distCond = config.dist.map(limitValue);
  const common = {
    numClasses,
    lipCond,
    distCond,
    inputSize: height,
    inputChannels: channels,
    seed: config.seed,
    projMode: config.projMode,
  };
  switch (config.arch) {
    case 'simple_convnet6':
      return simpleConvnet6({ ...common, channels: config.nChannels });
    case 'simple_convnet11':
      return simpleConvnet11({ ...common, channels: config.nChannels });
    case 'no_stride_preactresnet18':
      return noStridePreActResNet18({ ...common, batchNorm: config.bn });
  }
}

/** {@link buildConstrainedNetwork} as the training loop's network; the architecture id is the `--arch` name. */
export function buildArchitecture(
  config: TrainRunConfig,
  inputShape: [number, number, number],
  numClasses: number,
): BuiltNetwork {
  const constrained = buildConstrainedNetwork(config, inputShape, numClasses);
  return {
    ...constrained.trainable(),
    architecture: config.arch,
    constrained,
    dispose: () => constrained.model.dispose(),
  };
}

/** The dependencies `lipkit train` and `lipkit capacity` use in the shipped CLI. */
export const defaultTrainDeps: CapacityCommandDeps = {
  buildNetwork: buildArchitecture,
  measureCapacity: (network, dataset, onProgress) => {
    if (network.constrained === undefined) {
      throw new CliUsageError('<run>', 'the run has no constrained network to measure');
    }
    return measureCapacityQuantities(
      network.constrained,
      iterateBatches(dataset.train, { batchSize: TEST_BATCH_SIZE, normalisation: dataset.normalisation }),
      { totalBatches: Math.ceil(dataset.train.count / TEST_BATCH_SIZE), ...(onProgress && { onProgress }) },
    );
  },
};
