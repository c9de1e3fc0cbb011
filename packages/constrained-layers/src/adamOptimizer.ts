import * as tf from '@tensorflow/tfjs-core';
import { createAdamMoments } from './adamMoments.js';
import { disposeStateVariables } from './optimizerSlots.js';
import type { NamedParameter, TrainingOptimizer } from './trainingOptimizer.js';

/** Hyper-parameters of {@link createAdamOptimizer} (defaults: PyTorch's). */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba 2015, Alg. 1) as PyTorch's `Adam(lr)` with β = (0.9, 0.999), ε = 1e-8 and no weight decay
 * (spec §9.3: the original ignores `--wd` and `--momentum` for Adam, and so do we):
 * `m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; w ← w − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)`.
 * State: `m` and `v` slots per parameter and the step counter `step`.
 */
export function createAdamOptimizer(params: readonly NamedParameter[], options: AdamOptions = {}): TrainingOptimizer {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  const moments = createAdamMoments(params, beta1, beta2, epsilon);
  return {
    name: 'adam',
    applyGradients(gradients, learningRate) {
      tf.tidy(() => {
        moments.directions(gradients).forEach((d, i) => {
          if (d !== undefined) params[i]!.variable.assign(tf.sub(params[i]!.variable, tf.mul(learningRate, d)));
        });
      });
    },
    stateVariables: () => [...moments.state],
    dispose: () => disposeStateVariables(moments.state),
  };
}
