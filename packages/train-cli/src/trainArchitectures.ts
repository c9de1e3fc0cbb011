/**
 * The architectures of `lipkit train --arch`, adapted to the training loop's `TrainableNetwork`.
 * The model builders come from @lipkit/constrained-layers.
 */
import type { TrainableNetwork } from '@lipkit/constrained-layers';
import { CliUsageError } from './cliErrors.js';
import type { TrainCommandDeps } from './trainCommand.js';
import type { TrainRunConfig } from './trainRunConfig.js';

/** Builds the network of `config.arch`. */
export function buildArchitecture(
  config: TrainRunConfig,
  _inputShape: [number, number, number],
  _numClasses: number,
): TrainableNetwork & { dispose?(): void } {
  throw new CliUsageError(
    '--arch',
    `'${config.arch}' cannot be built: this build of @lipkit/constrained-layers has no model builders yet`,
  );
}

/** The dependencies `lipkit train` uses in the shipped CLI. */
export const defaultTrainDeps: TrainCommandDeps = { buildNetwork: buildArchitecture };
