import * as tf from '@tensorflow/tfjs-core';
import { disposeStateVariables, zeroSlotVariables } from './optimizerSlots.js';
import type { NamedParameter, TrainingOptimizer } from './trainingOptimizer.js';

/** Hyper-parameters of {@link createSgdOptimizer}. */
export interface SgdOptions {
  /** Momentum μ (default 0.9, the original's `--momentum`). */
  momentum?: number;
  /** Coupled L2 weight decay (default 1e-4, the original's `--wd`). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with heavy-ball momentum and coupled weight decay, as PyTorch's `SGD` (dampening 0,
 * no Nesterov): `g ← ∇ + wd·w; buf ← μ·buf + g; w ← w − lr·buf` (spec §9.3). The buffer starts at zero, which
 * gives PyTorch's `buf ← g` on the first step. Weight decay applies to every parameter, biases included, as in the
 * original. State: one `momentum` slot per parameter.
 */
export function createSgdOptimizer(params: readonly NamedParameter[], options: SgdOptions = {}): TrainingOptimizer {
  const momentum = options.momentum ?? 0.9;
  const weightDecay = options.weightDecay ?? 1e-4;
  const buffers = zeroSlotVariables(params, 'momentum');
  return {
    name: 'sgd',
    applyGradients(gradients, learningRate) {
      tf.tidy(() => {
        params.forEach((p, i) => {
          const grad = gradients[i];
          if (grad === undefined) return;
          const g = weightDecay !== 0 ? tf.add(grad, tf.mul(weightDecay, p.variable)) : grad;
          const buf = buffers[i]!.variable;
          buf.assign(tf.add(tf.mul(momentum, buf), g));
          p.variable.assign(tf.sub(p.variable, tf.mul(learningRate, buf)));
        });
      });
    },
    stateVariables: () => [...buffers],
    dispose: () => disposeStateVariables(buffers),
  };
}
