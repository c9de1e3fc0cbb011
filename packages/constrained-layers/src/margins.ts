import * as tf from '@tensorflow/tfjs-core';
import { ConstrainedLayersError, checkConstraint } from './constrainedLayersError.js';

/**
 * Negative margins `−(v_y − max_{i≠y} v_i)` of logits `v` (B×C) for labels `y` (B), as a B×1 tensor
 * (spec §9.8, `compute_margins`). Negative values mean correctly classified with that margin. Needs C ≥ 2.
 */
export function negativeMargins(logits: tf.Tensor2D, labels: tf.Tensor1D | Int32Array): tf.Tensor2D {
  const [batch, classes] = logits.shape;
  if (classes < 2) throw new ConstrainedLayersError('logits', `has ${classes} class column(s)`, 'at least 2 classes');
  const n = labels instanceof Int32Array ? labels.length : labels.shape[0];
  if (n !== batch) throw new ConstrainedLayersError('labels', `length ${n} != batch ${batch}`, 'one label per row');
  return tf.tidy(() => {
    const y = labels instanceof Int32Array ? tf.tensor1d(labels, 'int32') : tf.cast(labels, 'int32');
    const oneHot = tf.oneHot(y, classes);
    const own = tf.sum(tf.mul(logits, oneHot), 1, true);
    // Push the true class to −∞-ish so that max picks the best other class.
    const others = tf.max(tf.where(tf.cast(oneHot, 'bool'), tf.fill(logits.shape, -Infinity), logits), 1, true);
    return tf.sub(others, own) as tf.Tensor2D;
  });
}

/**
 * Ramp loss (spec §9.8, `RampLoss(γ)`) of negative margins `r`: per sample 0 if r < −γ, 1 if r > 0, else 1 + r/γ;
 * returns the batch mean as a scalar. `gamma` > 0 (default 1).
 */
export function rampLoss(negMargins: tf.Tensor, gamma = 1): tf.Scalar {
  checkConstraint('gamma', gamma);
  if (!Number.isFinite(gamma)) throw new ConstrainedLayersError('gamma', 'is Infinity', 'a finite number > 0');
  return tf.tidy(() => tf.mean(tf.clipByValue(tf.add(1, tf.div(negMargins, gamma)), 0, 1)) as tf.Scalar);
}
