import * as tf from '@tensorflow/tfjs-core';
import { disposeStateVariables, zeroSlotVariables } from './optimizerSlots.js';
import type { NamedParameter, TrainingOptimizer } from './trainingOptimizer.js';

/** Hyper-parameters of {@link createLarsOptimizer}. */
export interface LarsOptions {
  /** Momentum μ (default 0.9). */
  momentum?: number;
  /** Coupled weight decay (default 0, as the original calls LARS). */
  weightDecay?: number;
  /** Trust coefficient η (default 0.001, lightning-flash's default). */
  trustCoefficient?: number;
  /** ε in the trust ratio's denominator (default 1e-8). */
  epsilon?: number;
}

/**
 * LARS (You, Gitman & Ginsburg 2017, "Large Batch Training of Convolutional Networks", Alg. 1), per parameter
 * tensor: `d ← ∇ + wd·w; trust = η‖w‖ / (‖∇‖ + wd‖w‖ + ε)` (1 if ‖w‖ = 0 or ‖∇‖ = 0);
 * `buf ← μ·buf + trust·d; w ← w − lr·buf`.
 *
 * Differs from the original on purpose: lightning-flash's LARS, which the original uses with weight decay 0, skips
 * the trust ratio whenever weight decay is 0, so the original's `--optimizer lars` is plain momentum SGD (spec §9.3,
 * §14.15). Here the trust ratio is always applied. With η = 0.001 the per-layer step is about `lr·η·‖w‖` in norm,
 * so LARS wants a much larger `lr` than SGD (LARS papers use lr of order 1–10).
 * State: one `momentum` slot per parameter.
 */
export function createLarsOptimizer(params: readonly NamedParameter[], options: LarsOptions = {}): TrainingOptimizer {
  const { momentum = 0.9, weightDecay = 0, trustCoefficient = 0.001, epsilon = 1e-8 } = options;
  const buffers = zeroSlotVariables(params, 'momentum');
  return {
    name: 'lars',
    applyGradients(gradients, learningRate) {
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = gradients[i];
          if (g === undefined) return;
          const wNorm = tf.norm(p.variable);
          const gNorm = tf.norm(g);
          const ratio = tf.div(
            tf.mul(trustCoefficient, wNorm),
            tf.add(tf.add(gNorm, tf.mul(weightDecay, wNorm)), epsilon),
          );
          const trust = tf.where(tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(gNorm, 0)), ratio, tf.onesLike(ratio));
          const d = weightDecay !== 0 ? tf.add(g, tf.mul(weightDecay, p.variable)) : g;
          const buf = buffers[i]!.variable;
          buf.assign(tf.add(tf.mul(momentum, buf), tf.mul(trust, d)));
          p.variable.assign(tf.sub(p.variable, tf.mul(learningRate, buf)));
        });
      });
    },
    stateVariables: () => [...buffers],
    dispose: () => disposeStateVariables(buffers),
  };
}
