/**
 * One plain-SGD step of a {@link FrozenIdentityModel} in tfjs (no momentum, no weight decay), returning the
 * pre-update output, as the steady-learner loops need it (spec §3.3, §6.3).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FrozenIdentityModel } from './frozenIdentityModel.js';

/** Per-sample loss: `halfMse` = ½(ŷ − y)²; `halfBce` = ½·BCE(σ(z), y) computed stably from the logit z. */
export type SteadyLoss = 'halfMse' | 'halfBce';

/** Loss of a batch (mean over the batch) from model outputs `[b, 1]` and targets `[b]`. */
export function steadyLoss(kind: SteadyLoss, output: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.reshape(output, [-1]);
    if (kind === 'halfMse') return tf.mul(0.5, tf.mean(tf.square(tf.sub(z, y))));
    // ½·(softplus(z) − y·z) = ½·BCE(σ(z), y) without log(0); PyTorch's BCELoss clamps log at −100 instead, which
    // differs only for |z| > 100.
    return tf.mul(0.5, tf.mean(tf.sub(tf.softplus(z), tf.mul(y, z))));
  });
}

/** Result of {@link sgdStep}; the caller owns (and disposes) both tensors. */
export interface SgdStepResult {
  /** Model output before the update, `[b, 1]` (logit for classifiers). */
  output: tf.Tensor;
  /** Batch loss before the update. */
  loss: tf.Scalar;
}

/** θ ← θ − η·∇_θ ℓ over every variable of the model (b1 included). */
export function sgdStep(
  model: FrozenIdentityModel,
  x: tf.Tensor,
  y: tf.Tensor,
  learningRate: number,
  loss: SteadyLoss,
): SgdStepResult {
  let output: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = model.predict(x);
    output = tf.keep(tf.clone(out));
    return steadyLoss(loss, out, y);
  }, model.variables);
  tf.tidy(() => {
    for (const v of model.variables) {
      const g = grads[v.name];
      if (g) v.assign(tf.sub(v, tf.mul(g, learningRate)));
    }
  });
  tf.dispose(grads);
  return { output: output as tf.Tensor, loss: value };
}
