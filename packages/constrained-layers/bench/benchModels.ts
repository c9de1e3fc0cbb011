/** The networks timed by the benchmark: plain functions of tf.Variables (no tfjs-layers), as a trainer would use. */
import * as tf from '@tensorflow/tfjs-core';
import { circularConv2d } from '../src/index.js';

/** A loss over one batch and the trainable variables it reads. */
export interface BenchModel {
  name: string;
  batch: number;
  /** Forward FLOPs per batch (multiply-adds × 2) of the convs/matmuls; a training step is ≈ 3× this. */
  forwardFlops: number;
  variables: tf.Variable[];
  loss: () => tf.Scalar;
  dispose: () => void;
}

function heNormal(shape: number[], fanIn: number): tf.Variable {
  return tf.variable(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), Math.sqrt(2 / fanIn)));
}

function oneHotLabels(batch: number, classes: number): tf.Tensor2D {
  const ids = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % classes),
    'int32',
  );
  const labels = tf.oneHot(ids, classes) as tf.Tensor2D;
  ids.dispose();
  return labels;
}

/**
 * simpleConvnet6 of spec §7.1 (depth 1, strides, `n` channels, circular convs, no bias): five stride-2 convs
 * 3→n→n→n→n→n with ReLU (3×3 on 32,16,8,4; the block-5 kernel is 2×2 after surgery on the 2×2 map), then the 1×1
 * conv classifier n→10 and softmax cross-entropy.
 */
export function simpleConvnet6(batch: number, channels: number): BenchModel {
  const specs: [number, number, number, number][] = [
    [3, 3, 3, channels],
    [3, 3, channels, channels],
    [3, 3, channels, channels],
    [3, 3, channels, channels],
    [2, 2, channels, channels],
  ];
  const kernels = specs.map((s) => heNormal(s, s[0] * s[1] * s[2]));
  const classifier = heNormal([1, 1, channels, 10], channels);
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  const labels = oneHotLabels(batch, 10);
  let flops = 0;
  let size = 32;
  for (const [kh, kw, cin, cout] of specs) {
    size = Math.ceil(size / 2);
    flops += 2 * batch * size * size * kh * kw * cin * cout;
  }
  flops += 2 * batch * channels * 10;
  return {
    name: `simpleConvnet6 ${channels}ch circular, bs${batch}`,
    batch,
    forwardFlops: flops,
    variables: [...kernels, classifier],
    loss: () => {
      let h: tf.Tensor4D = x;
      for (const k of kernels) h = tf.relu(circularConv2d(h, k as tf.Variable<tf.Rank.R4>, 2));
      const logits = tf.reshape(circularConv2d(h, classifier as tf.Variable<tf.Rank.R4>), [batch, 10]);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    },
    dispose: () => tf.dispose([...kernels, classifier, x, labels]),
  };
}

/** LeNet-5-style MNIST net: conv5×5 1→6 'same', pool, conv5×5 6→16 'valid', pool, dense 400→120→84→10. */
export function lenet(batch: number): BenchModel {
  const c1 = heNormal([5, 5, 1, 6], 25);
  const c2 = heNormal([5, 5, 6, 16], 150);
  const d1 = heNormal([400, 120], 400);
  const d2 = heNormal([120, 84], 120);
  const d3 = heNormal([84, 10], 84);
  const biases = [6, 16, 120, 84, 10].map((n) => tf.variable(tf.zeros([n])));
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = oneHotLabels(batch, 10);
  const flops = 2 * batch * (28 * 28 * 25 * 6 + 10 * 10 * 150 * 16 + 400 * 120 + 120 * 84 + 84 * 10);
  return {
    name: `LeNet-5 MNIST, bs${batch}`,
    batch,
    forwardFlops: flops,
    variables: [c1, c2, d1, d2, d3, ...biases],
    loss: () => {
      const [b1, b2, b3, b4, b5] = biases as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
      let h = tf.relu(tf.add(tf.conv2d(x, c1 as tf.Variable<tf.Rank.R4>, 1, 'same'), b1)) as tf.Tensor4D;
      h = tf.maxPool(h, 2, 2, 'valid');
      h = tf.relu(tf.add(tf.conv2d(h, c2 as tf.Variable<tf.Rank.R4>, 1, 'valid'), b2)) as tf.Tensor4D;
      h = tf.maxPool(h, 2, 2, 'valid');
      let f: tf.Tensor2D = tf.reshape(h, [batch, 400]);
      f = tf.relu(tf.add(tf.matMul(f, d1 as tf.Variable<tf.Rank.R2>), b3)) as tf.Tensor2D;
      f = tf.relu(tf.add(tf.matMul(f, d2 as tf.Variable<tf.Rank.R2>), b4)) as tf.Tensor2D;
      const logits = tf.add(tf.matMul(f, d3 as tf.Variable<tf.Rank.R2>), b5);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    },
    dispose: () => tf.dispose([c1, c2, d1, d2, d3, ...biases, x, labels]),
  };
}

/** One 64→64 3×3 'same' conv at 16×16 (zero padding), loss Σ y ⊙ w: forward + dx + dW. */
export function conv64At16(batch: number): BenchModel {
  const k = heNormal([3, 3, 64, 64], 576);
  const x = tf.variable(tf.randomNormal([batch, 16, 16, 64], 0, 1, 'float32', 4));
  const w = tf.randomNormal([batch, 16, 16, 64], 0, 1, 'float32', 5);
  return {
    name: `conv 64→64 3×3 @16×16 fwd+bwd, bs${batch}`,
    batch,
    forwardFlops: 2 * batch * 16 * 16 * 9 * 64 * 64,
    variables: [k, x],
    loss: () => tf.sum(tf.mul(tf.conv2d(x as tf.Variable<tf.Rank.R4>, k as tf.Variable<tf.Rank.R4>, 1, 'same'), w)),
    dispose: () => tf.dispose([k, x, w]),
  };
}
