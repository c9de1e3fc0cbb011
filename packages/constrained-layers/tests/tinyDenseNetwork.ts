/** Test fixtures: a tiny dense network implementing TrainableNetwork, and synthetic separable data. */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch, TrainableNetwork, TrainingData } from '../src/index.js';

/**
 * A 2-layer MLP on 2×2×1 images with 3 classes. Its "constraint" caps each kernel's Frobenius norm at `maxNorm`
 * (an exact, deterministic projection); `lipschitzByLayer` reports Frobenius norms, `distanceByLayer` the Frobenius
 * distance to the weights at construction. It counts `project` calls.
 */
export function tinyDenseNetwork(seed: number, maxNorm = 3, architecture = 'tiny_dense') {
  const init = (shape: [number, number], s: number) => tf.variable(tf.randomUniform(shape, -0.5, 0.5, 'float32', s));
  const k1 = init([4, 8], seed);
  const b1 = tf.variable(tf.zeros([8]));
  const k2 = init([8, 3], seed + 1);
  const b2 = tf.variable(tf.zeros([3]));
  const init1 = tf.variable(tf.clone(k1), false);
  const init2 = tf.variable(tf.clone(k2), false);
  const projections: number[] = [];
  const network: TrainableNetwork & { projections: number[]; dispose(): void } = {
    architecture,
    inputShape: [2, 2, 1],
    numClasses: 3,
    variables: [
      { name: 'dense1/kernel', variable: k1, trainable: true },
      { name: 'dense1/bias', variable: b1, trainable: true },
      { name: 'dense2/kernel', variable: k2, trainable: true },
      { name: 'dense2/bias', variable: b2, trainable: true },
      { name: 'dense1/init', variable: init1, trainable: false },
      { name: 'dense2/init', variable: init2, trainable: false },
    ],
    logits: (x, _training) =>
      tf.tidy(() => {
        const flat = tf.reshape(x, [x.shape[0], 4]);
        return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(flat, k1), b1)), k2), b2) as tf.Tensor2D;
      }),
    project(iterations) {
      projections.push(iterations);
      tf.tidy(() => {
        for (const k of [k1, k2]) {
          const n = tf.norm(k);
          k.assign(tf.mul(k, tf.minimum(1, tf.div(maxNorm, n))));
        }
      });
    },
    lipschitzByLayer: () => tf.tidy(() => ({ dense1: tf.norm(k1).dataSync()[0]!, dense2: tf.norm(k2).dataSync()[0]! })),
    distanceByLayer: () =>
      tf.tidy(() => ({
        dense1: tf.norm(tf.sub(k1, init1)).dataSync()[0]!,
        dense2: tf.norm(tf.sub(k2, init2)).dataSync()[0]!,
      })),
    spectralComplexity: () => tf.tidy(() => tf.mul(tf.norm(k1), tf.norm(k2)).dataSync()[0]!),
    projections,
    dispose: () => tf.dispose([k1, b1, k2, b2, init1, init2]),
  };
  return network;
}

/** Deterministic synthetic data: class = argmax of three fixed linear features of a 2×2 image, plus noise. */
export function syntheticData(
  trainSize: number,
  testSize: number,
  batchSize: number,
  poisonAt?: { batch: number; call: number },
): TrainingData & { calls: number } {
  const make = (n: number, offset: number) => {
    const images = new Float32Array(n * 4);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const px = [0, 1, 2, 3].map(
        (k) => Math.sin(1.7 * (i + offset) + 2.3 * k) + 0.1 * Math.cos(5 * (i + offset) * (k + 1)),
      );
      images.set(px, 4 * i);
      const f = [px[0]! + px[1]!, px[2]! - px[0]!, px[3]! - px[1]!];
      labels[i] = f.indexOf(Math.max(...f));
    }
    return { images, labels };
  };
  const train = make(trainSize, 0);
  const test = make(testSize, 100_000);
  function* batches(
    set: { images: Float32Array; labels: Int32Array },
    order: number[],
    poison: boolean,
  ): Iterable<ImageBatch> {
    for (let b = 0, at = 0; at < order.length; b++, at += batchSize) {
      const idx = order.slice(at, at + batchSize);
      const images = new Float32Array(idx.length * 4);
      idx.forEach((i, j) => {
        images.set(set.images.subarray(4 * i, 4 * i + 4), 4 * j);
      });
      if (poison && b === poisonAt?.batch) images[0] = Number.NaN;
      yield { images, labels: Int32Array.from(idx, (i) => set.labels[i]!) };
    }
  }
  const data = {
    trainSize,
    testSize,
    calls: 0,
    trainBatches(seed: number) {
      data.calls++;
      const order = Array.from({ length: trainSize }, (_, i) => i);
      let s = seed >>> 0;
      for (let i = order.length - 1; i > 0; i--) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        const j = s % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return batches(train, order, data.calls === poisonAt?.call);
    },
    testBatches: () =>
      batches(
        test,
        Array.from({ length: testSize }, (_, i) => i),
        false,
      ),
  };
  return data;
}
