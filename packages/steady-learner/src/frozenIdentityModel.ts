/**
 * The steady-learner's frozen-identity first layer for any tfjs model (spec §3.2, §6.2): layer 0 is `Linear(d, d)`
 * with weight fixed to the identity and a trainable bias b1, followed by ReLU, so `h0 = ReLU(x + b1)` and
 * **∂f/∂b1 = ∂f/∂x**: the first-layer bias gradient is the input gradient (the paper's bridge between the bias
 * trajectory and the Lipschitz constant). The identity is never materialised (for CIFAR it would be 3072×3072).
 */

import type { SeededRandom } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { FunctionalLayer } from './pytorchInitLayers.js';
import { SteadyLearnerError } from './steadyLearnerError.js';

/** What the output means: a regression value, or the logit z of a sigmoid classifier (p = σ(z)). */
export type ModelOutputKind = 'regression' | 'logit';

/** A model `f(x) = body(ReLU(x + b1))` with trainable b1. */
export interface FrozenIdentityModel {
  /** The trainable first-layer bias; shape = the input shape without the batch dimension. */
  readonly b1: tf.Variable;
  /** Every trainable variable, b1 first. */
  readonly variables: tf.Variable[];
  /** Input shape without the batch dimension (e.g. [10] or [32, 32, 3]). */
  readonly inputShape: number[];
  readonly outputKind: ModelOutputKind;
  /** The body after layer 0 (its `layers` trace per-layer shapes). */
  readonly body: ModelBody;
  /** Output `[batch, 1]` (the logit for classifiers); call inside a tidy. */
  predict(x: tf.Tensor): tf.Tensor;
  /** Number of trainable scalars. */
  trainableParamCount(): number;
  /** Disposes every variable. */
  dispose(): void;
}

/** A model body after layer 0: its variables and forward map (e.g. a list of layers, or a tfjs-layers model). */
export interface ModelBody {
  variables: tf.Variable[];
  apply(h0: tf.Tensor): tf.Tensor;
  /** The layers, when the body is a plain sequence (lets callers trace per-layer shapes). */
  layers?: FunctionalLayer[];
}

/** Chains functional layers into a {@link ModelBody}. */
export function sequentialBody(layers: FunctionalLayer[]): ModelBody {
  return {
    variables: layers.flatMap((l) => l.variables),
    apply: (h) => layers.reduce((a, l) => l.apply(a), h),
    layers,
  };
}

/**
 * Prepends the frozen-identity bias layer to `body`. b1 gets PyTorch's default bias init for `Linear(d, d)`,
 * `U(−1/√d, 1/√d)` with d = the number of input entries; draw it from `random` before the body's own init to
 * follow PyTorch's layer order.
 */
export function withFrozenIdentityInput(
  inputShape: number[],
  body: ModelBody,
  random: SeededRandom,
  outputKind: ModelOutputKind,
): FrozenIdentityModel {
  if (inputShape.length === 0 || inputShape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new SteadyLearnerError('inputShape', `got [${inputShape}]; allowed: positive integers`);
  }
  const b1 = createFrozenIdentityBias(inputShape, random);
  return assembleModel(b1, inputShape, body, outputKind);
}

/** Draws b1 ~ U(±1/√d) with d = ∏ inputShape (PyTorch `Linear(d, d)` bias init). */
export function createFrozenIdentityBias(inputShape: number[], random: SeededRandom): tf.Variable {
  const d = inputShape.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(d);
  const values = new Float32Array(d);
  for (let i = 0; i < d; i++) values[i] = random.nextUniform(-bound, bound);
  // tidy disposes the initial tensor (a variable does not take ownership of it).
  return tf.tidy(() => tf.variable(tf.tensor(values, inputShape, 'float32'), true));
}

/** Builds the model object from an existing b1 and body. */
export function assembleModel(
  b1: tf.Variable,
  inputShape: number[],
  body: ModelBody,
  outputKind: ModelOutputKind,
): FrozenIdentityModel {
  const variables = [b1, ...body.variables];
  return {
    b1,
    variables,
    inputShape,
    outputKind,
    body,
    predict: (x) => body.apply(tf.relu(tf.add(x, b1))),
    trainableParamCount: () => variables.reduce((a, v) => a + v.size, 0),
    dispose: () => {
      for (const v of variables) v.dispose();
    },
  };
}
