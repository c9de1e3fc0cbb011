/**
 * The optimiser interface of the training loop. State lives in tfjs variables (created eagerly, zero-initialised)
 * so a checkpoint can save and restore it by name.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { createAdamOptimizer } from './adamOptimizer.js';
import { createLambOptimizer } from './lambOptimizer.js';
import { createLarsOptimizer } from './larsOptimizer.js';
import { createSgdOptimizer } from './sgdOptimizer.js';
import { TrainingConfigError } from './trainingErrors.js';

/** Names accepted by {@link createTrainingOptimizer} (and `lipkit train --optimizer`). */
export const OPTIMIZER_NAMES = ['sgd', 'adam', 'lars', 'lamb'] as const;
/** One of {@link OPTIMIZER_NAMES}. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** A parameter the optimiser updates: a unique name and its variable. */
export interface NamedParameter {
  name: string;
  variable: tf.Variable;
}

/** A named optimiser state variable (e.g. `conv1/kernel/momentum`, `step`). */
export interface NamedStateVariable {
  name: string;
  variable: tf.Variable;
}

/** An optimiser of the training loop. */
export interface TrainingOptimizer {
  /** Which algorithm. */
  readonly name: OptimizerName;
  /**
   * Applies one update to every parameter. `gradients[i]` belongs to the i-th parameter given at construction and
   * has its shape; a missing gradient (frozen parameter) is `undefined` and leaves parameter and state unchanged.
   * The gradients are not disposed.
   * @param learningRate the current learning rate
   */
  applyGradients(gradients: readonly (tf.Tensor | undefined)[], learningRate: number): void;
  /** Every state variable, with stable names (checkpoint order). */
  stateVariables(): NamedStateVariable[];
  /** Disposes the state variables. */
  dispose(): void;
}

/** Hyper-parameters of {@link createTrainingOptimizer}, with the original `train.py`'s defaults. */
export interface OptimizerHyperparameters {
  /** SGD/LARS momentum (default 0.9). Adam and LAMB ignore it, as in the original. */
  momentum?: number;
  /** Weight decay (default 1e-4) for SGD only, as in the original (`--wd` is ignored by Adam, LARS and LAMB). */
  weightDecay?: number;
}

/**
 * Builds the optimiser `--optimizer` names, configured as the original `train.py` configures it (spec §9.3):
 * SGD with momentum and weight decay, Adam with defaults, LARS with momentum (trust ratio applied, see
 * {@link createLarsOptimizer}), LAMB with flash defaults.
 */
export function createTrainingOptimizer(
  name: OptimizerName,
  params: readonly NamedParameter[],
  hyper: OptimizerHyperparameters = {},
): TrainingOptimizer {
  const momentum = hyper.momentum ?? 0.9;
  switch (name) {
    case 'sgd':
      return createSgdOptimizer(params, { momentum, weightDecay: hyper.weightDecay ?? 1e-4 });
    case 'adam':
      return createAdamOptimizer(params);
    case 'lars':
      return createLarsOptimizer(params, { momentum });
    case 'lamb':
      return createLambOptimizer(params);
    default:
      throw new TrainingConfigError(
        '--optimizer',
        `unknown optimiser '${String(name)}'; allowed: ${OPTIMIZER_NAMES.join(', ')}`,
      );
  }
}
