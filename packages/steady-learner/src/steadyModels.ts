/**
 * The steady-learner models (spec §3.2, §6.2, §6.5) in tfjs, each with the frozen-identity first layer and
 * PyTorch-default init. NHWC layout; b1 is stored in HWC order (PyTorch's is CHW; every metric is invariant to that
 * permutation).
 */

import type { SeededRandom } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { BiasInputReluMlpParams, BiasInputReluMlpShape } from './biasInputReluMlp.js';
import {
  assembleModel,
  createFrozenIdentityBias,
  type FrozenIdentityModel,
  type ModelBody,
  sequentialBody,
} from './frozenIdentityModel.js';
import {
  type FunctionalLayer,
  flattenLayer,
  maxPoolLayer,
  pytorchConv2d,
  pytorchDense,
  reluLayer,
} from './pytorchInitLayers.js';

/** `MLP(d, n)` / `MLP2(d, n)` as tfjs: dense+ReLU per hidden width, a linear scalar output (2,507 / 395 params). */
export function createTfMlp(shape: BiasInputReluMlpShape, random: SeededRandom): FrozenIdentityModel {
  const b1 = createFrozenIdentityBias([shape.inputDim], random);
  return assembleModel(
    b1,
    [shape.inputDim],
    denseStackBody([shape.inputDim, ...shape.hidden, 1], random, false),
    'regression',
  );
}

/** A tfjs copy of a typed-array {@link BiasInputReluMlp}'s parameters (for cross-checks). */
export function tfMlpFromParams(shape: BiasInputReluMlpShape, params: BiasInputReluMlpParams): FrozenIdentityModel {
  const widths = [shape.inputDim, ...shape.hidden, 1];
  const layers: FunctionalLayer[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const nIn = widths[l] as number;
    const nOut = widths[l + 1] as number;
    const kernel = tf.tidy(() =>
      tf.variable(tf.transpose(tf.tensor2d(Float32Array.from(params.weights[l] as Float64Array), [nOut, nIn]))),
    );
    const bias = tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(params.biases[l] as Float64Array))));
    layers.push({
      variables: [kernel, bias],
      apply: (h) => tf.add(tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D), bias),
    });
    if (l + 2 < widths.length) layers.push(reluLayer);
  }
  const b1 = tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(params.b1))));
  return assembleModel(b1, [shape.inputDim], sequentialBody(layers), 'regression');
}

function denseStackBody(widths: number[], random: SeededRandom, flattenFirst: boolean): ModelBody {
  const layers: FunctionalLayer[] = flattenFirst ? [flattenLayer] : [];
  for (let l = 0; l + 1 < widths.length; l++) {
    layers.push(pytorchDense(widths[l] as number, widths[l + 1] as number, random));
    if (l + 2 < widths.length) layers.push(reluLayer);
  }
  return sequentialBody(layers);
}

/**
 * The CIFAR-10 `CNN` (spec §6.2): input 32×32×3 → b1 (3072) → ReLU → Conv(3→96, 5) → ReLU → MaxPool 3 →
 * Conv(96→384, 5) → ReLU → MaxPool 3 → Dense(384→384) → ReLU → Dense(384→1) logit. 1,080,577 parameters.
 */
export function createCifarCnn(random: SeededRandom): FrozenIdentityModel {
  return convClassifier([32, 32, 3], random);
}

/** `CNN_MNIST` (spec §6.5): as {@link createCifarCnn} on 28×28×1 (96×24×24 → 8×8 → 384×4×4 → 1×1). */
export function createMnistCnn(random: SeededRandom): FrozenIdentityModel {
  return convClassifier([28, 28, 1], random);
}

/** `MLP_MNIST` (spec §6.5): 28×28×1 → b1 (784) → ReLU → Dense(784→512) → ReLU → Dense(512→1) logit. */
export function createMnistMlp(random: SeededRandom): FrozenIdentityModel {
  const b1 = createFrozenIdentityBias([28, 28, 1], random);
  return assembleModel(b1, [28, 28, 1], denseStackBody([784, 512, 1], random, true), 'logit');
}

function convClassifier(inputShape: number[], random: SeededRandom): FrozenIdentityModel {
  // b1 first (layer 0), then the body in layer order, as PyTorch constructs them.
  const b1 = createFrozenIdentityBias(inputShape, random);
  const body = sequentialBody([
    pytorchConv2d(inputShape[2] as number, 96, 5, random),
    reluLayer,
    maxPoolLayer(3),
    pytorchConv2d(96, 384, 5, random),
    reluLayer,
    maxPoolLayer(3),
    flattenLayer,
    pytorchDense(384, 384, random),
    reluLayer,
    pytorchDense(384, 1, random),
  ]);
  return assembleModel(b1, inputShape, body, 'logit');
}
