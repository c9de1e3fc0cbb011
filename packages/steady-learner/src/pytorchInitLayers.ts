/**
 * Minimal functional tfjs layers with PyTorch 1.8's default initialisation (spec §12: tfjs defaults differ —
 * glorot-uniform kernels and zero biases — so the init is implemented explicitly): `nn.Linear` and `nn.Conv2d`
 * draw weight and bias from `U(−1/√fan_in, 1/√fan_in)` (kaiming_uniform with a = √5 gives exactly that bound).
 * Layout is tfjs's: dense kernels [in, out], conv kernels [kh, kw, Cin, Cout], activations NHWC.
 */

import type { SeededRandom } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';

/** A layer: its trainable variables and its forward map (called inside the caller's tidy). */
export interface FunctionalLayer {
  readonly variables: tf.Variable[];
  apply(h: tf.Tensor): tf.Tensor;
}

let variableCounter = 0;

function uniformVariable(shape: number[], fanIn: number, random: SeededRandom, name: string): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(fanIn);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = random.nextUniform(-bound, bound);
  variableCounter++;
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true, `steady_${name}_${variableCounter}`));
}

/**
 * PyTorch-initialised dense layer `y = x W + c` (tfjs layout; W is PyTorch's weight transposed). Draws the weight
 * first (row-major in PyTorch's [out, in] order, then transposed), then the bias, as PyTorch does.
 */
export function pytorchDense(inDim: number, outDim: number, random: SeededRandom): FunctionalLayer {
  const w = uniformVariable([outDim, inDim], inDim, random, 'dense_w');
  const kernel = tf.tidy(() => tf.variable(tf.transpose(w), true, `${w.name}_t`));
  w.dispose();
  const bias = uniformVariable([outDim], inDim, random, 'dense_b');
  return {
    variables: [kernel, bias],
    apply: (h) => tf.add(tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D), bias),
  };
}

/** PyTorch-initialised `Conv2d(cin, cout, k)`: stride 1, no padding (fan_in = cin·k·k), NHWC. */
export function pytorchConv2d(cin: number, cout: number, k: number, random: SeededRandom): FunctionalLayer {
  const fanIn = cin * k * k;
  const kernel = uniformVariable([k, k, cin, cout], fanIn, random, 'conv_w');
  const bias = uniformVariable([cout], fanIn, random, 'conv_b');
  return {
    variables: [kernel, bias],
    apply: (h) => tf.add(tf.conv2d(h as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'valid'), bias),
  };
}

/** ReLU. */
export const reluLayer: FunctionalLayer = { variables: [], apply: (h) => tf.relu(h) };

/** `MaxPool2d(size, stride=size)` without padding (NHWC). */
export function maxPoolLayer(size: number): FunctionalLayer {
  return { variables: [], apply: (h) => tf.maxPool(h as tf.Tensor4D, size, size, 'valid') };
}

/** Flattens every dimension but the batch. */
export const flattenLayer: FunctionalLayer = {
  variables: [],
  apply: (h) => tf.reshape(h, [h.shape[0] as number, -1]),
};

/** Reshapes flat rows to `[batch, ...shape]`. */
export function reshapeLayer(shape: number[]): FunctionalLayer {
  return { variables: [], apply: (h) => tf.reshape(h, [h.shape[0] as number, ...shape]) };
}
