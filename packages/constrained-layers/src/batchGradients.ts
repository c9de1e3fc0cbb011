/**
 * The loss, negative margins and gradients of one training batch: the part of an optimiser step that
 * {@link trainModel} can hand to a caller (e.g. data-parallel workers) through `gradientsOf`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { negativeMargins } from './margins.js';
import type { ImageBatch, TrainableNetwork } from './trainableNetwork.js';
import { TrainingConfigError } from './trainingErrors.js';
import type { NamedParameter } from './trainingOptimizer.js';

/** What one batch contributes to an optimiser step. */
export interface BatchGradients {
  /** Mean cross-entropy of the batch under the current weights. */
  loss: number;
  /** Negative margins (spec §9.8) of the batch's samples, in batch order; < 0 means correctly classified. */
  negativeMargins: Float32Array;
  /** Gradient of `loss` for each variable, in the order of the `variables` argument; the caller disposes them. */
  gradients: tf.Tensor[];
}

/**
 * Computes a batch's {@link BatchGradients} for `variables` (the trainable ones, in the optimiser's order). Must
 * resolve to gradients of the batch **mean** loss, whatever way they are computed.
 */
export type BatchGradientsFunction = (
  batch: ImageBatch,
  variables: readonly NamedParameter[],
) => Promise<BatchGradients>;

/** Negative margins (spec §9.8) as a vector; < 0 means correctly classified. */
export function negativeMarginsOf(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(negativeMargins(logits, labels), [-1]) as tf.Tensor1D);
}

/** A batch as tensors: images [n, h, w, c] and int32 labels [n]. */
export function batchTensors(network: TrainableNetwork, batch: ImageBatch): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const [h, w, c] = network.inputShape;
  const n = batch.labels.length;
  if (batch.images.length !== n * h * w * c) {
    throw new TrainingConfigError(
      'data',
      `batch of ${n} labels has ${batch.images.length} pixels; expected ${n}×${h}×${w}×${c}`,
    );
  }
  return { x: tf.tensor4d(batch.images, [n, h, w, c]), y: tf.tensor1d(batch.labels, 'int32') };
}

/**
 * The in-process gradient of the mean softmax cross-entropy of `batch` (train-mode forward pass) with respect to
 * `variables`, with the loss and negative margins: the default `gradientsOf` of {@link trainModel}. The returned
 * gradient tensors belong to the caller.
 */
export function batchGradients(
  network: TrainableNetwork,
  batch: ImageBatch,
  variables: readonly NamedParameter[],
): BatchGradients {
  const list = variables.map((p) => p.variable);
  const { packed, gradients } = tf.tidy(() => {
    const { x, y } = batchTensors(network, batch);
    let margins: tf.Tensor1D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = network.logits(x, true);
      margins = tf.keep(negativeMarginsOf(logits, y));
      return tf.losses.softmaxCrossEntropy(tf.oneHot(y, network.numClasses), logits) as tf.Scalar;
    }, list);
    const packed = tf.concat([tf.reshape(value, [1]), margins!]);
    margins!.dispose(); // kept out of the gradient scope above, so tidy does not own it
    return { packed, gradients: list.map((v) => grads[v.name]!) };
  });
  const out = packed.dataSync() as Float32Array;
  packed.dispose();
  return { loss: out[0]!, negativeMargins: out.slice(1), gradients };
}
