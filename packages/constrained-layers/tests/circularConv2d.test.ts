import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import {
  circularConv2d,
  circularPad2d,
  circularPad2dAdjoint,
  circularPaddingForKernel,
  registerWasmTrainingKernels,
  WasmKernelError,
} from '../src/index.js';
import { circularGeometry, convForward, convGradients, maxRelativeError, seededValues } from './convReference.js';

beforeAll(() => {
  registerWasmTrainingKernels();
});

const CASES: { x: [number, number, number, number]; k: [number, number, number, number]; s: [number, number] }[] = [
  { x: [2, 6, 5, 2], k: [3, 3, 2, 3], s: [1, 1] },
  { x: [1, 6, 6, 2], k: [3, 3, 2, 3], s: [2, 2] },
  { x: [2, 5, 7, 3], k: [2, 2, 3, 2], s: [1, 1] }, // even kernel: pad 1 before, 0 after
  { x: [2, 6, 6, 2], k: [2, 2, 2, 2], s: [2, 2] },
  { x: [1, 7, 6, 2], k: [4, 3, 2, 2], s: [2, 1] }, // even 4: pad 2 before, 1 after
  { x: [2, 4, 4, 3], k: [1, 1, 3, 4], s: [1, 1] },
  { x: [1, 2, 2, 2], k: [2, 2, 2, 3], s: [1, 1] }, // kernel = image (the 2×2 block-5 conv of spec §7.1)
  { x: [1, 2, 3, 1], k: [5, 7, 1, 2], s: [1, 1] }, // pad wider than the image: wraps repeatedly
];

describeEachBackend('circularConv2d', () => {
  it('circularPaddingForKernel follows spec §2.1 (odd: p both sides, even: p before, p−1 after)', () => {
    expect(circularPaddingForKernel(3, 1)).toEqual({ top: 1, bottom: 1, left: 0, right: 0 });
    expect(circularPaddingForKernel(2, 4)).toEqual({ top: 1, bottom: 0, left: 2, right: 1 });
    expect(() => circularPaddingForKernel(0, 3)).toThrow(WasmKernelError);
  });

  it('circularPad2d copies the last rows to the top and the first rows to the bottom, corners included', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
    const p = circularPad2d(x, { top: 1, bottom: 1, left: 1, right: 0 });
    // rows: [4 5 6], [1 2 3], [4 5 6], [1 2 3] -> then one column from the right.
    expect(Array.from(p.dataSync())).toEqual([6, 4, 5, 6, 3, 1, 2, 3, 6, 4, 5, 6, 3, 1, 2, 3]);
    tf.dispose([x, p]);
  });

  it.each([
    { top: 1, bottom: 1, left: 1, right: 0 },
    { top: 2, bottom: 3, left: 4, right: 1 }, // wider than the 2×3 image: wraps repeatedly
  ])('circularPad2dAdjoint is the adjoint of circularPad2d and both gradients agree: %o', (padding) => {
    const xv = seededValues(2 * 2 * 3 * 2, 61);
    const [n, h, w, c] = [2, 2, 3, 2];
    const yv = seededValues(n * (h + padding.top + padding.bottom) * (w + padding.left + padding.right) * c, 62);
    const [lhs, rhs, gradPad, gradAdjoint, adjointOfY, padOfX] = tf.tidy(() => {
      const x = tf.tensor4d(xv, [n, h, w, c]);
      const y = tf.tensor4d(yv, [n, h + padding.top + padding.bottom, w + padding.left + padding.right, c]);
      const px = circularPad2d(x, padding);
      const ay = circularPad2dAdjoint(y, padding);
      const gPad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(circularPad2d(t as tf.Tensor4D, padding), y)))(x);
      const gAdj = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(circularPad2dAdjoint(t as tf.Tensor4D, padding), x)))(y);
      return [tf.sum(tf.mul(px, y)), tf.sum(tf.mul(x, ay)), gPad, gAdj, ay, circularPad2d(x, padding)].map((t) =>
        t.dataSync().slice(),
      );
    });
    expect(Math.abs(lhs![0]! - rhs![0]!)).toBeLessThan(1e-4); // ⟨pad x, y⟩ = ⟨x, padᵀ y⟩
    expect(maxRelativeError(gradPad!, adjointOfY!)).toBeLessThan(1e-6); // d⟨pad x, y⟩/dx = padᵀ y
    expect(maxRelativeError(gradAdjoint!, padOfX!)).toBeLessThan(1e-6); // d⟨padᵀ y, x⟩/dy = pad x
  });

  it.each(CASES)('forward matches the float64 brute force: x $x k $k s $s', ({ x, k, s }) => {
    const xv = seededValues(
      x.reduce((a, b) => a * b),
      1,
    );
    const kv = seededValues(
      k.reduce((a, b) => a * b),
      2,
    );
    const g = circularGeometry(x, k, s);
    const y = tf.tidy(() => circularConv2d(tf.tensor4d(xv, x), tf.tensor4d(kv, k), s));
    expect(y.shape).toEqual([x[0], g.outH, g.outW, k[3]]);
    expect(maxRelativeError(y.dataSync(), convForward(g, xv, kv))).toBeLessThan(1e-5);
    y.dispose();
  });

  it.each(CASES)('gradients match the float64 brute force: x $x k $k s $s', ({ x, k, s }) => {
    const xv = seededValues(
      x.reduce((a, b) => a * b),
      3,
    );
    const kv = seededValues(
      k.reduce((a, b) => a * b),
      4,
    );
    const g = circularGeometry(x, k, s);
    const wv = seededValues(x[0] * g.outH * g.outW * k[3], 5);
    const [dx, dk] = tf.tidy(() => {
      const weights = tf.tensor4d(wv, [x[0], g.outH, g.outW, k[3]]);
      const f = (xt: tf.Tensor, kt: tf.Tensor) =>
        tf.sum(tf.mul(circularConv2d(xt as tf.Tensor4D, kt as tf.Tensor4D, s), weights));
      return tf.grads(f)([tf.tensor4d(xv, x), tf.tensor4d(kv, k)]);
    });
    const ref = convGradients(g, xv, kv, wv);
    expect(maxRelativeError(dx!.dataSync(), ref.dx)).toBeLessThan(1e-5);
    expect(maxRelativeError(dk!.dataSync(), ref.dk)).toBeLessThan(1e-5);
    tf.dispose([dx!, dk!]);
  });

  it('accepts a 3-D HWC input and returns 3-D', () => {
    const y = tf.tidy(() => circularConv2d(tf.ones([4, 4, 2]) as tf.Tensor3D, tf.ones([3, 3, 2, 1]) as tf.Tensor4D));
    expect(y.shape).toEqual([4, 4, 1]);
    expect(Array.from(y.dataSync()).every((v) => v === 18)).toBe(true);
    y.dispose();
  });

  it('rejects bad input with WasmKernelError naming the argument', () => {
    tf.tidy(() => {
      const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
      expect(() => circularConv2d(x, tf.zeros([3, 3, 3, 1]) as tf.Tensor4D)).toThrow(/kernel: Cin = 3/);
      expect(() => circularConv2d(x, tf.zeros([3, 3, 2, 1]) as tf.Tensor4D, 0)).toThrow(WasmKernelError);
      expect(() =>
        circularConv2d(tf.zeros([4, 2]) as unknown as tf.Tensor4D, tf.zeros([3, 3, 2, 1]) as tf.Tensor4D),
      ).toThrow(/^x: /);
    });
  });

  it('leaks no tensors over 100 SGD training steps of a circular conv net', async () => {
    const k1 = tf.variable(tf.tensor4d(seededValues(3 * 3 * 2 * 4, 7), [3, 3, 2, 4]));
    const k2 = tf.variable(tf.tensor4d(seededValues(2 * 2 * 4 * 3, 8), [2, 2, 4, 3]));
    const x = tf.tensor4d(seededValues(2 * 6 * 6 * 2, 9), [2, 6, 6, 2]);
    const opt = tf.train.sgd(0.01);
    const losses: number[] = [];
    const step = () => {
      const loss = opt.minimize(
        () => tf.mean(tf.square(circularConv2d(tf.relu(circularConv2d(x, k1, 2)), k2))) as tf.Scalar,
        true,
      );
      losses.push(loss!.dataSync()[0]!);
      loss!.dispose();
    };
    const counts = await tensorCountsOver(step, 100);
    expect(new Set(counts).size).toBe(1);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!); // it does train
    opt.dispose();
    tf.dispose([k1, k2, x]);
  });
});
