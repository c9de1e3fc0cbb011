import * as tf from '@tensorflow/tfjs-core';
import { createAdamMoments } from './adamMoments.js';
import { disposeStateVariables } from './optimizerSlots.js';
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
  const moments = createAdamMoments(params, beta1, beta2, epsilon);
  return {
    name: 'lamb',
    applyGradients(gradients, learningRate) {
      tf.tidy(() => {
        moments.directions(gradients).forEach((d, i) => {
          if (d === undefined) return;
          const w = params[i]!.variable;
          const u = weightDecay !== 0 ? tf.add(d, tf.mul(weightDecay, w)) : d;
          const wNorm = tf.norm(w);
          const uNorm = tf.norm(u);
          const trust = tf.where(
            tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(uNorm, 0)),
            tf.div(wNorm, uNorm),
            tf.onesLike(wNorm),
          );
          w.assign(tf.sub(w, tf.mul(tf.mul(learningRate, trust), u)));
        });
      });
    },
    stateVariables: () => [...moments.state],
    dispose: () => disposeStateVariables(moments.state),
  };
}
