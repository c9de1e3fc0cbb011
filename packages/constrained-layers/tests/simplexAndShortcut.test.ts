import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  ConstrainedLayersError,
  PoolingShortcut,
  regularSimplexPrototypes,
  SimplexClassifier,
  SymmetricPaddedMaxPool2d,
} from '../src/index.js';
import { sigmaMaxByPowerIteration } from './oracles.js';

describe('regularSimplexPrototypes (spec §6.3)', () => {
  for (const [C, d] of [
    [2, 1],
    [3, 2],
    [10, 9],
    [10, 128],
    [7, 30],
  ] as const) {
    it(`C=${C}, d=${d}: unit rows, Gram off-diagonal −1/(C−1), σ_max = √(C/(C−1))`, () => {
      const p = regularSimplexPrototypes(C, d);
      for (let i = 0; i < C; i++) {
        for (let j = 0; j < C; j++) {
          let dot = 0;
          for (let k = 0; k < d; k++) dot += (p[i * d + k] as number) * (p[j * d + k] as number);
          expect(dot).toBeCloseTo(i === j ? 1 : -1 / (C - 1), 12);
        }
      }
      expect(sigmaMaxByPowerIteration(p, C, d)).toBeCloseTo(Math.sqrt(C / (C - 1)), 9);
    });
  }
  it('C=10 has σ_max 1.0540926 (spec §11.3)', () => {
    expect(sigmaMaxByPowerIteration(regularSimplexPrototypes(10, 16), 10, 16)).toBeCloseTo(1.0540926, 6);
  });
  it('d < C−1 → typed error naming dim', () => {
    expect(() => regularSimplexPrototypes(10, 8)).toThrowError(ConstrainedLayersError);
    expect(() => regularSimplexPrototypes(10, 8)).toThrowError(/^dim: /);
    expect(() => regularSimplexPrototypes(1, 8)).toThrowError(/^numClasses: /);
  });
});

describeEachBackend('SimplexClassifier', () => {
  it('is frozen, has σ = min(lipCond, κ_s), and rejects d < C−1', () => {
    const layer = new SimplexClassifier({ units: 10, lipCond: 0.5 });
    const x = tf.eye(12) as tf.Tensor2D;
    const y = layer.apply(x) as tf.Tensor2D; // rows of W = P·K/κ_s, 12×10
    expect(layer.trainableWeights.length).toBe(0);
    expect(layer.lip()).toBe(0.5);
    expect(sigmaMaxByPowerIteration(y.dataSync(), 12, 10)).toBeCloseTo(0.5, 5);
    expect(new SimplexClassifier({ units: 10, lipCond: 5 }).lip()).toBeCloseTo(Math.sqrt(10 / 9), 12);
    expect(() => new SimplexClassifier({ units: 10 }).apply(tf.zeros([1, 8]))).toThrowError(/^inputShape: /);
    expect(() => new SimplexClassifier({ units: 10, lipCond: -1 })).toThrowError(/^lipCond: /);
    expect(() => new SimplexClassifier({ units: 10, lipCond: Number.NaN })).toThrowError(ConstrainedLayersError);
    tf.dispose([x, y]);
  });
});

describeEachBackend('PoolingShortcut (spec §6.4)', () => {
  it('8×8 → 4×4 with 2C channels; b = max over the window shifted by −1 (clipped)', () => {
    const H = 8;
    const C = 2;
    const values = Array.from({ length: H * H * C }, (_, i) => Math.sin(1.7 * i) * 3 - 1);
    const x = tf.tensor4d(values, [1, H, H, C]);
    const layer = new PoolingShortcut();
    const y = layer.apply(x) as tf.Tensor4D;
    expect(y.shape).toEqual([1, 4, 4, 2 * C]);
    const got = y.arraySync()[0] as number[][][];
    const at = (r: number, c: number, ch: number) => values[(r * H + c) * C + ch] as number;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        for (let ch = 0; ch < C; ch++) {
          const a = Math.max(
            at(2 * i, 2 * j, ch),
            at(2 * i + 1, 2 * j, ch),
            at(2 * i, 2 * j + 1, ch),
            at(2 * i + 1, 2 * j + 1, ch),
          );
          let b = Number.NEGATIVE_INFINITY;
          for (const r of [2 * i - 1, 2 * i])
            for (const c of [2 * j - 1, 2 * j]) if (r >= 0 && c >= 0) b = Math.max(b, at(r, c, ch));
          expect(got[i]?.[j]?.[ch]).toBeCloseTo(a, 5);
          expect(got[i]?.[j]?.[C + ch]).toBeCloseTo(b, 5);
        }
      }
    }
    const one = layer.apply(tf.ones([1, 1, 1, 3])) as tf.Tensor;
    expect(one.shape).toEqual([1, 1, 1, 6]);
    expect(layer.lip()).toBeCloseTo(Math.SQRT2, 15);
    tf.dispose([x, y, one]);
  });
  it('odd or non-square inputs → typed error naming inputShape', () => {
    expect(() => new PoolingShortcut().apply(tf.zeros([1, 5, 5, 1]))).toThrowError(/^inputShape: /);
    expect(() => new PoolingShortcut().apply(tf.zeros([1, 4, 6, 1]))).toThrowError(ConstrainedLayersError);
  });
});

describeEachBackend('SymmetricPaddedMaxPool2d', () => {
  it('matches PyTorch MaxPool2d(3, 2, 1) by brute force, no tensor leak', async () => {
    const H = 6;
    const values = Array.from({ length: H * H }, (_, i) => Math.cos(2.3 * i) - 0.5);
    const x = tf.tensor4d(values, [1, H, H, 1]);
    const layer = new SymmetricPaddedMaxPool2d({ poolSize: 3, strides: 2, padding: 1 });
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 3, 3, 1]);
    const got = y.dataSync();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let m = Number.NEGATIVE_INFINITY;
        for (let r = 2 * i - 1; r <= 2 * i + 1; r++) {
          for (let c = 2 * j - 1; c <= 2 * j + 1; c++)
            if (r >= 0 && c >= 0 && r < H && c < H) m = Math.max(m, values[r * H + c] as number);
        }
        expect(got[i * 3 + j]).toBeCloseTo(m, 6);
      }
    }
    const counts = await tensorCountsOver(() => {
      tf.dispose(layer.apply(x) as tf.Tensor);
    }, 5);
    expect(new Set(counts).size).toBe(1);
    tf.dispose([x, y]);
  });
});

describe('serialisation of the parameter-free layers', () => {
  it('round-trips through a functional model config', async () => {
    const input = tfl.input({ shape: [4, 4, 2] });
    const pooled = new SymmetricPaddedMaxPool2d({ poolSize: 3, strides: 2, padding: 1 }).apply(
      input,
    ) as tfl.SymbolicTensor;
    const sc = new PoolingShortcut().apply(pooled) as tfl.SymbolicTensor;
    const flat = tfl.layers.flatten().apply(sc) as tfl.SymbolicTensor;
    const out = new SimplexClassifier({ units: 3, lipCond: 0.7 }).apply(flat) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const json = JSON.stringify(model.toJSON(null, false));
    const copy = await tfl.models.modelFromJSON(JSON.parse(json));
    copy.setWeights(model.getWeights());
    const x = tf.randomNormal([2, 4, 4, 2]);
    const a = model.predict(x) as tf.Tensor;
    const b = copy.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect((copy.layers[copy.layers.length - 1] as SimplexClassifier).lip()).toBe(0.7);
    tf.dispose([x, a, b]);
  });
});

/** Gradient of Σ_windows w·max(window) by brute force: each window's weight goes to its arg-max cell. */
function maxPoolGradientByHand(
  x: ArrayLike<number>,
  h: number,
  c: number,
  windows: { rows: number[]; cols: number[]; out: number }[][],
  weights: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(h * h * c);
  for (let ch = 0; ch < c; ch++) {
    for (const list of windows) {
      for (const win of list) {
        let best = -1;
        for (const r of win.rows) {
          for (const q of win.cols) {
            if (r < 0 || q < 0 || r >= h || q >= h) continue;
            const i = (r * h + q) * c + ch;
            if (best < 0 || (x[i] as number) > (x[best] as number)) best = i;
          }
        }
        g[best] = (g[best] as number) + (weights[win.out * c + ch] as number);
      }
    }
  }
  return g;
}

describeEachBackend('max-pool gradients on all-negative windows (tfjs wasm MaxPoolGrad is wrong there)', () => {
  it('SymmetricPaddedMaxPool2d(3, 2, 1) and PoolingShortcut match a brute-force gradient', () => {
    const [H, C] = [6, 2];
    const x = tf.randomNormal([1, H, H, C], -3, 1, 'float32', 5);
    const xv = x.dataSync();
    const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
    const pool = new SymmetricPaddedMaxPool2d({ poolSize: 3, strides: 2, padding: 1 });
    const w1 = tf.tensor4d(range(1, 18), [1, 3, 3, C]);
    const g1 = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(pool.apply(y) as tf.Tensor, w1)))(x);
    const windows1 = range(0, 9).map((o) => [
      { rows: range(2 * Math.floor(o / 3) - 1, 3), cols: range(2 * (o % 3) - 1, 3), out: o },
    ]);
    const want1 = maxPoolGradientByHand(xv, H, C, windows1, w1.dataSync());
    Array.from(g1.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(want1[i] as number, 5);
    });
    const shortcut = new PoolingShortcut();
    const w2 = tf.tensor4d(range(1, 36), [1, 3, 3, 2 * C]);
    const g2 = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(shortcut.apply(y) as tf.Tensor, w2)))(x);
    // output channel ch: branch a (window rows 2i..2i+1), channel C + ch: branch b (rows 2i−1..2i)
    const w2v = w2.dataSync();
    const wa = new Float64Array(9 * C);
    const wb = new Float64Array(9 * C);
    for (let o = 0; o < 9; o++) {
      for (let ch = 0; ch < C; ch++) {
        wa[o * C + ch] = w2v[o * 2 * C + ch] as number;
        wb[o * C + ch] = w2v[o * 2 * C + C + ch] as number;
      }
    }
    const at = (o: number, shift: number) => ({
      rows: range(2 * Math.floor(o / 3) - shift, 2),
      cols: range(2 * (o % 3) - shift, 2),
      out: o,
    });
    const ga = maxPoolGradientByHand(
      xv,
      H,
      C,
      range(0, 9).map((o) => [at(o, 0)]),
      wa,
    );
    const gb = maxPoolGradientByHand(
      xv,
      H,
      C,
      range(0, 9).map((o) => [at(o, 1)]),
      wb,
    );
    Array.from(g2.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo((ga[i] as number) + (gb[i] as number), 5);
    });
    tf.dispose([x, w1, g1, w2, g2]);
  });
});
