/** Adam's first/second moments and bias-corrected step direction, shared by Adam and LAMB. */
import * as tf from '@tensorflow/tfjs-core';
import { stepCounterVariable, zeroSlotVariables } from './optimizerSlots.js';
import type { NamedParameter, NamedStateVariable } from './trainingOptimizer.js';

/** Moment state of a parameter list. */
export interface AdamMoments {
  /** `m` slots, `v` slots, then the step counter `step` (checkpoint order). */
  readonly state: NamedStateVariable[];
  /**
   * Advances the step counter t, updates `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²` and returns per parameter
   * the direction `(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)` (Kingma & Ba 2015, Alg. 1), `undefined` where the gradient is
   * missing. Call inside `tf.tidy`.
   */
  directions(gradients: readonly (tf.Tensor | undefined)[]): (tf.Tensor | undefined)[];
}

/** Zero moments for `params`. */
export function createAdamMoments(
  params: readonly NamedParameter[],
  beta1: number,
  beta2: number,
  epsilon: number,
): AdamMoments {
  const m = zeroSlotVariables(params, 'm');
  const v = zeroSlotVariables(params, 'v');
  const step = stepCounterVariable();
  return {
    state: [...m, ...v, step],
    directions(gradients) {
      step.variable.assign(tf.add(step.variable, 1));
      const bc1 = tf.sub(1, tf.pow(beta1, step.variable));
      const bc2 = tf.sub(1, tf.pow(beta2, step.variable));
      return params.map((_, i) => {
        const g = gradients[i];
        if (g === undefined) return undefined;
        const mi = m[i]!.variable;
        const vi = v[i]!.variable;
        mi.assign(tf.add(tf.mul(beta1, mi), tf.mul(1 - beta1, g)));
        vi.assign(tf.add(tf.mul(beta2, vi), tf.mul(1 - beta2, tf.square(g))));
        return tf.div(tf.div(mi, bc1), tf.add(tf.sqrt(tf.div(vi, bc2)), epsilon));
      });
    },
  };
}
