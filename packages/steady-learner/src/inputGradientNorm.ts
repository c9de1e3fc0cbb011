/**
 * The local Lipschitz constant of a model at one input, ‖∇_x f(x)‖₂ (spec §4.4), by tfjs autograd — for feeding
 * {@link TrajectoryRecorder.recordStep}'s `lipschitz` argument in a tfjs loop. For classifiers f is the logit.
 * With the frozen-identity first layer this equals ‖∇_{b1} f(x)‖.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FrozenIdentityModel } from './frozenIdentityModel.js';
import { SteadyLearnerError } from './steadyLearnerError.js';

/** ‖∇_x f(x)‖₂ for a batch of one input `x` (shape `[1, ...inputShape]`); a scalar tensor the caller disposes. */
export function inputGradientNorm(model: FrozenIdentityModel, x: tf.Tensor): tf.Scalar {
  if (x.shape[0] !== 1) throw new SteadyLearnerError('x', `needs a batch of exactly 1 input; got ${x.shape[0]}`);
  return tf.tidy(() => tf.norm(tf.grad((xx: tf.Tensor) => tf.sum(model.predict(xx)))(x)) as tf.Scalar);
}
