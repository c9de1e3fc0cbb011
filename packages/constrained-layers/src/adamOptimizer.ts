import * as tf from '@tensorflow/tfjs-core';
import { disposeStateVariables, stepCounterVariable, zeroSlotVariables } from './optimizerSlots.js';
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
  const m = zeroSlotVariables(params, 'm');
  const v = zeroSlotVariables(params, 'v');
  const step = stepCounterVariable();
  return {
    name: 'adam',
    applyGradients(gradients, learningRate) {
      tf.tidy(() => {
        step.variable.assign(tf.add(step.variable, 1));
        const bc1 = tf.sub(1, tf.pow(beta1, step.variable));
        const bc2 = tf.sub(1, tf.pow(beta2, step.variable));
        params.forEach((p, i) => {
          const g = gradients[i];
          if (g === undefined) return;
          const mi = m[i]!.variable;
          const vi = v[i]!.variable;
          mi.assign(tf.add(tf.mul(beta1, mi), tf.mul(1 - beta1, g)));
          vi.assign(tf.add(tf.mul(beta2, vi), tf.mul(1 - beta2, tf.square(g))));
          const denom = tf.add(tf.sqrt(tf.div(vi, bc2)), epsilon);
          p.variable.assign(tf.sub(p.variable, tf.mul(learningRate, tf.div(tf.div(mi, bc1), denom))));
        });
      });
    },
    stateVariables: () => [...m, ...v, step],
    dispose: () => disposeStateVariables([...m, ...v, step]),
  };
}
