import * as tf from '@tensorflow/tfjs-core';
import { disposeStateVariables, stepCounterVariable, zeroSlotVariables } from './optimizerSlots.js';
import type { NamedParameter, TrainingOptimizer } from './trainingOptimizer.js';

/** Hyper-parameters of {@link createLambOptimizer} (defaults: lightning-flash's, as the original uses them). */
export interface LambOptions {
  beta1?: number;
  beta2?: number;
  /** ε (default 1e-6, not Adam's 1e-8). */
  epsilon?: number;
  /** Decoupled weight decay added to the update before the trust ratio (default 0). */
  weightDecay?: number;
}

/**
 * LAMB (You et al. 2020, "Large Batch Optimization for Deep Learning", Alg. 2) with layer adaptation per parameter
 * tensor (spec §9.3): Adam moments `m, v`; `u = (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε) + wd·w`;
 * `trust = ‖w‖/‖u‖` (1 if either norm is 0); `w ← w − lr·trust·u`.
 * State: `m` and `v` slots per parameter and the step counter `step`.
 */
export function createLambOptimizer(params: readonly NamedParameter[], options: LambOptions = {}): TrainingOptimizer {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-6, weightDecay = 0 } = options;
  const m = zeroSlotVariables(params, 'm');
  const v = zeroSlotVariables(params, 'v');
  const step = stepCounterVariable();
  return {
    name: 'lamb',
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
          let u = tf.div(tf.div(mi, bc1), tf.add(tf.sqrt(tf.div(vi, bc2)), epsilon));
          if (weightDecay !== 0) u = tf.add(u, tf.mul(weightDecay, p.variable));
          const wNorm = tf.norm(p.variable);
          const uNorm = tf.norm(u);
          const trust = tf.where(
            tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(uNorm, 0)),
            tf.div(wNorm, uNorm),
            tf.onesLike(wNorm),
          );
          p.variable.assign(tf.sub(p.variable, tf.mul(tf.mul(learningRate, trust), u)));
        });
      });
    },
    stateVariables: () => [...m, ...v, step],
    dispose: () => disposeStateVariables([...m, ...v, step]),
  };
}
