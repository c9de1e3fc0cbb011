import { describeEachBackend, type TestBackendName, useBackend } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  circularConv2d,
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  WasmKernelError,
} from '../src/index.js';
import { convForward, convGradients, maxRelativeError, seededValues, zeroPadGeometry } from './convReference.js';

beforeAll(() => {
  registerWasmTrainingKernels();
});

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number, number, number];
  s: [number, number];
  pad: 'same' | 'valid';
}

// strides 1/2, same/valid, odd/even kernels, batch 1 and 2 — tiny shapes: the cpu conv backward is very slow.
const CASES: ConvCase[] = [];
for (const pad of ['same', 'valid'] as const) {
  for (const s of [
    [1, 1],
    [2, 2],
  ] as [number, number][]) {
    CASES.push({ x: [2, 6, 5, 3], k: [3, 3, 3, 4], s, pad });
    CASES.push({ x: [1, 7, 6, 2], k: [2, 2, 2, 3], s, pad });
    CASES.push({ x: [2, 5, 6, 2], k: [4, 1, 2, 2], s, pad });
  }
}
CASES.push({ x: [1, 9, 8, 2], k: [3, 2, 2, 2], s: [3, 2], pad: 'same' });
CASES.push({ x: [1, 3, 3, 2], k: [1, 1, 2, 3], s: [2, 2], pad: 'valid' }); // stride > kernel: empty phases

/** conv2d output and its (dx, dk) under L = Σ y ⊙ w, as plain arrays. */
function conv2dWithGradients(c: ConvCase, xv: Float32Array, kv: Float32Array, wv: Float32Array) {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const k = tf.tensor4d(kv, c.k);
    const y = tf.conv2d(x, k, c.s, c.pad);
    const w = tf.tensor(wv, y.shape);
    const [dx, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), w)),
    )([x, k]);
    return { y: y.dataSync().slice(), dx: dx!.dataSync().slice(), dk: dk!.dataSync().slice() };
  });
}

/** Runs `f` on the cpu backend, then switches back to `backend`. */
async function onCpu<T>(backend: TestBackendName, f: () => T): Promise<T> {
  await useBackend('cpu');
  try {
    return f();
  } finally {
    await useBackend(backend);
  }
}

describeEachBackend('wasm training kernels', (backend) => {
  it.each(CASES)('conv2d forward and gradients: x $x k $k s $s $pad', async (c) => {
    const g = zeroPadGeometry(c.x, c.k, c.s, c.pad);
    const xv = seededValues(
      c.x.reduce((a, b) => a * b),
      11,
    );
    const kv = seededValues(
      c.k.reduce((a, b) => a * b),
      12,
    );
    const wv = seededValues(g.n * g.outH * g.outW * g.cout, 13);
    const got = conv2dWithGradients(c, xv, kv, wv);
    // Independent float64 brute force.
    const ref = convGradients(g, xv, kv, wv);
    expect(maxRelativeError(got.y, convForward(g, xv, kv))).toBeLessThan(1e-5);
    expect(maxRelativeError(got.dx, ref.dx)).toBeLessThan(1e-5);
    expect(maxRelativeError(got.dk, ref.dk)).toBeLessThan(1e-5);
    // The cpu backend's result (tfjs's reference kernels).
    if (backend !== 'cpu') {
      const cpu = await onCpu(backend, () => conv2dWithGradients(c, xv, kv, wv));
      expect(maxRelativeError(got.dx, cpu.dx)).toBeLessThan(1e-5);
      expect(maxRelativeError(got.dk, cpu.dk)).toBeLessThan(1e-5);
    }
  });

  it('conv2dTranspose (the Conv2DBackpropInput kernel as a forward op) matches the cpu backend', async () => {
    const dyv = seededValues(2 * 4 * 4 * 3, 21);
    const kv = seededValues(3 * 3 * 2 * 3, 22);
    const run = () =>
      tf.tidy(() =>
        tf
          .conv2dTranspose(tf.tensor4d(dyv, [2, 4, 4, 3]), tf.tensor4d(kv, [3, 3, 2, 3]), [2, 8, 8, 2], 2, 'same')
          .dataSync()
          .slice(),
      );
    const got = run();
    const cpu = await onCpu(backend, run);
    expect(got.length).toBe(2 * 8 * 8 * 2);
    expect(maxRelativeError(got, cpu)).toBeLessThan(1e-5);
  });

  it.each([
    { x: [1, 5, 6, 2], k: [4, 1], s: 2 },
    { x: [2, 1, 2, 2], k: [2, 1], s: 2 },
    { x: [1, 6, 6, 2], k: [1, 2], s: 3 },
    { x: [2, 8, 8, 2], k: [3, 3], s: 2 },
  ])("'same' conv, fused conv and depthwise conv match the cpu backend: x $x k $k s $s", async ({ x, k, s }) => {
    const xv = seededValues(
      x.reduce((a, b) => a * b),
      51,
    );
    const kv = seededValues(k[0]! * k[1]! * 2 * 2, 52);
    const run = () =>
      tf.tidy(() => {
        const xt = tf.tensor4d(xv, x as [number, number, number, number]);
        const kt = tf.tensor4d(kv, [k[0]!, k[1]!, 2, 2]);
        const fused = tf.fused.conv2d({
          x: xt,
          filter: kt,
          strides: s,
          pad: 'same',
          bias: tf.ones([2]),
          activation: 'relu',
        });
        return [tf.conv2d(xt, kt, s, 'same'), fused, tf.depthwiseConv2d(xt, kt, s, 'same')].map((t) =>
          t.dataSync().slice(),
        );
      });
    const got = run();
    const cpu = await onCpu(backend, run);
    for (let i = 0; i < got.length; i++) expect(maxRelativeError(got[i]!, cpu[i]!)).toBeLessThan(1e-5);
  });

  it("passes tfjs's per-kernel leak check (IS_TEST) in conv, circular conv and gather gradients", () => {
    const wasTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true);
    try {
      tf.tidy(() => {
        const x = tf.tensor4d(seededValues(2 * 6 * 6 * 3, 71), [2, 6, 6, 3]);
        const k = tf.tensor4d(seededValues(3 * 3 * 3 * 4, 72), [3, 3, 3, 4]);
        const sum = (y: tf.Tensor) => tf.sum(y);
        tf.grads((a: tf.Tensor, b: tf.Tensor) => sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, k]);
        tf.grads((a: tf.Tensor, b: tf.Tensor) => sum(circularConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2)))([x, k]);
        tf.grad((a: tf.Tensor) => sum(tf.gather(a, tf.tensor1d([1, 1, 0], 'int32'))))(tf.ones([3, 2]));
      });
    } finally {
      tf.env().set('IS_TEST', wasTest);
    }
  });

  it('unsortedSegmentSum matches a brute force (duplicates, empty segments, 2-D ids)', () => {
    const xv = seededValues(2 * 3 * 4, 31);
    const ids = [2, 0, 2, 4, 4, 4];
    const out = tf.tidy(() =>
      tf
        .unsortedSegmentSum(tf.tensor3d(xv, [2, 3, 4]), tf.tensor1d(ids.slice(0, 2), 'int32'), 5)
        .dataSync()
        .slice(),
    );
    const ref = new Float64Array(5 * 3 * 4);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 12; j++) ref[ids[i]! * 12 + j]! += xv[i * 12 + j]!;
    expect(maxRelativeError(out, ref)).toBeLessThan(1e-6);
    const ints = tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4, 5, 6], 'int32'), tf.tensor1d(ids, 'int32'), 5).arraySync(),
    );
    expect(ints).toEqual([2, 0, 4, 0, 15]);
  });

  it('gather has a gradient (axis 0 and 1, repeated indices)', () => {
    const xv = seededValues(4 * 3, 41);
    const [g0, g1] = tf.tidy(() => {
      const x = tf.tensor2d(xv, [4, 3]);
      const idx = tf.tensor1d([3, 1, 3, 3], 'int32');
      const d0 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx, 0), tf.reshape(tf.range(1, 13), [4, 3]))))(
        x,
      );
      const d1 = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([2, 2, 0], 'int32'), 1)))(x);
      return [d0.arraySync(), d1.arraySync()];
    });
    // Row 3 was gathered at positions 0, 2, 3 with weights rows [1 2 3], [7 8 9], [10 11 12]; row 1 at position 1.
    expect(g0).toEqual([
      [0, 0, 0],
      [4, 5, 6],
      [0, 0, 0],
      [18, 21, 24],
    ]);
    expect(g1).toEqual(Array.from({ length: 4 }, () => [1, 0, 2]));
  });
});

describe('registerWasmTrainingKernels', () => {
  it('is idempotent: a second call installs nothing', () => {
    registerWasmTrainingKernels();
    const again = registerWasmTrainingKernels();
    expect(again).toEqual({ installed: [], replaced: [] });
    expect(tf.getKernelsForBackend('wasm').filter((k) => k.kernelName === 'Conv2DBackpropInput')).toHaveLength(1);
  });

  it('refuses another backend with a typed error naming backendName', () => {
    expect(() => registerWasmTrainingKernels('cpu')).toThrow(WasmKernelError);
    expect(() => registerWasmTrainingKernels('cpu')).toThrow(/^backendName: /);
  });

  it('unregister restores the shipped kernels; registering again replaces them again', () => {
    const ours = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
    const all = [
      'LipkitCircularPad2D',
      'LipkitCircularPad2DAdjoint',
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'UnsortedSegmentSum',
      'Conv2D',
      'FusedConv2D',
      'DepthwiseConv2dNative',
      'FusedDepthwiseConv2D',
    ];
    expect(unregisterWasmTrainingKernels()).toEqual(all);
    const shipped = tf.getKernel('Conv2DBackpropInput', 'wasm');
    expect(shipped).toBeDefined();
    expect(shipped!.kernelFunc).not.toBe(ours.kernelFunc);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(unregisterWasmTrainingKernels()).toEqual([]);
    const again = registerWasmTrainingKernels();
    expect(again.installed).toEqual(all);
    expect(again.replaced).toEqual([
      'Conv2DBackpropInput',
      'Conv2D',
      'FusedConv2D',
      'DepthwiseConv2dNative',
      'FusedDepthwiseConv2D',
    ]);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).toBe(ours.kernelFunc);
  });
});
