/** Spec §10's brute-force checks (Thm 1, Prop 4, Thm 3/Prop 5, power iteration vs SVD, row norms). */
import { describe, expect, it } from 'vitest';
import {
  conv2dGeometry,
  convKernel,
  createSeededRandom,
  denseMatrix,
  denseMatrixOfConv2d,
  localLipschitzBound,
  maskedOperatorNorm,
  networkOutput,
  prepareNetwork,
  singularValues,
} from '../src/index.js';

const relu = (v: number) => Math.max(v, 0);

describe('§10.1 scalar ReLU (Thm 1)', () => {
  it('the sup over a set is attained at its maximum ȳ', () => {
    const rng = createSeededRandom(1);
    const lip = (y0: number, y: number) => Math.abs(relu(y) - relu(y0)) / Math.abs(y - y0);
    for (let t = 0; t < 10000; t++) {
      const y0 = rng.uniform() * 2 - 1;
      const ys = Array.from({ length: 7 }, () => rng.uniform() * 2 - 1);
      const ybar = Math.max(...ys);
      expect(lip(y0, ybar)).toBeCloseTo(Math.max(...ys.map((y) => lip(y0, y))), 12);
    }
  });
});

describe('§10.2–10.3 affine-ReLU on a dense layer (Prop 4, Thm 2)', () => {
  it('the one-layer local bound is ≥ every sampled ratio', () => {
    const rng = createSeededRandom(2);
    for (let t = 0; t < 200; t++) {
      const w = Array.from({ length: 12 }, () => rng.uniform() * 2 - 1);
      const b = Array.from({ length: 4 }, () => rng.uniform() * 2 - 1);
      const net = prepareNetwork({
        format: 'lipkit-network',
        version: 1,
        inputShape: [3],
        layers: [
          { type: 'dense', weight: { shape: [4, 3], data: w }, bias: { shape: [4], data: b } },
          { type: 'relu' },
        ],
      });
      const x0 = [0, 0, 0].map(() => rng.uniform() * 2 - 1);
      const eps = 0.1 + rng.uniform() * 0.9;
      const bound = localLipschitzBound(net, x0, eps, { mode: 'certified' }).value;
      const y0 = networkOutput(net, x0);
      let brute = 0;
      for (let s = 0; s < 500; s++) {
        const g = [rng.normal(), rng.normal(), rng.normal()];
        const scale = (eps * rng.uniform() ** (1 / 3)) / Math.hypot(...g);
        const x = x0.map((v, i) => v + scale * (g[i] as number));
        const y = networkOutput(net, x);
        brute = Math.max(
          brute,
          Math.hypot(...y.map((v, i) => v - (y0[i] as number))) / Math.hypot(...g.map((v) => v * scale)),
        );
      }
      expect(bound).toBeGreaterThanOrEqual(brute * (1 - 1e-12));
    }
  });
});

describe('§10.4 max pooling (Thm 3 / Prop 5)', () => {
  for (const [name, size, k, s] of [
    ['small', 4, 2, 1],
    ['paper', 7, 3, 2],
  ] as const) {
    it(`${name}: brute-force ratio ≤ √(n_max) = 2, attained by the crafted pair`, () => {
      const net = prepareNetwork({
        format: 'lipkit-network',
        version: 1,
        inputShape: [1, size, size],
        layers: [{ type: 'maxpool2d', kernel: [k, k], stride: [s, s], padding: [0, 0] }],
      });
      const lip = localLipschitzBound(net, new Float64Array(size * size), 1).value;
      expect(lip).toBe(2);
      const rng = createSeededRandom(4);
      const ratio = (a: Float64Array, b: Float64Array) => {
        const ya = networkOutput(net, a);
        const yb = networkOutput(net, b);
        return (
          Math.hypot(...ya.map((v, i) => v - (yb[i] as number))) / Math.hypot(...a.map((v, i) => v - (b[i] as number)))
        );
      };
      for (let t = 0; t < 5000; t++) {
        const a = Float64Array.from({ length: size * size }, () => rng.uniform());
        const b = Float64Array.from({ length: size * size }, () => rng.uniform());
        expect(ratio(a, b)).toBeLessThanOrEqual(2);
      }
      const pos = name === 'small' ? 1 * size + 1 : 4 * size + 4;
      const a = new Float64Array(size * size);
      const b = new Float64Array(size * size);
      a[pos] = 1;
      b[pos] = 0.5;
      expect(ratio(a, b)).toBeCloseTo(2, 12);
    });
  }
});

describe('§10.6 ‖R A D‖ of a strided padded conv against the SVD of the dense matrix', () => {
  const rng = createSeededRandom(9);
  const kernel = convKernel(
    [5, 3, 5, 5],
    Array.from({ length: 375 }, () => (rng.uniform() - 0.5) * 4),
  );
  for (const [stride, padding, mode, size] of [
    [3, 2, 'zeros', 16],
    [1, 2, 'circular', 9],
    [2, 1, 'zeros', 10],
  ] as const) {
    it(`stride ${stride}, padding ${padding} ${mode}, input ${size}×${size}`, () => {
      const g = conv2dGeometry(kernel.shape, [3, size, size], { stride, padding, paddingMode: mode });
      const net = prepareNetwork({
        format: 'lipkit-network',
        version: 1,
        inputShape: [3, size, size],
        layers: [
          {
            type: 'conv2d',
            weight: { shape: [5, 3, 5, 5], data: kernel.data },
            stride: [stride, stride],
            padding: [padding, padding],
            paddingMode: mode,
          },
        ],
      });
      const layer = net.layers[0];
      if (layer?.kind !== 'affine') throw new Error('expected an affine layer');
      const dense = denseMatrixOfConv2d(kernel, g);
      const rows = dense.rows;
      const cols = dense.cols;
      const r = Float64Array.from({ length: rows }, () => rng.uniform());
      const d = Uint8Array.from({ length: cols }, () => (rng.uniform() < 0.5 ? 1 : 0));
      const m = dense.data.map((v, idx) => v * (r[Math.floor(idx / cols)] as number) * (d[idx % cols] as number));
      const exact = singularValues(denseMatrix(rows, cols, m))[0] as number;
      const exactA = singularValues(dense)[0] as number;
      const certified = maskedOperatorNorm(layer.operator, r, d, { mode: 'certified' });
      expect(certified.kind).toBe('upper bound');
      expect(certified.value).toBeGreaterThanOrEqual(exact);
      expect(certified.value).toBeLessThan(exact * (1 + 1e-7));
      expect(maskedOperatorNorm(layer.operator, r, d, { mode: 'converged' }).value).toBeCloseTo(exact, 6);
      const repo = maskedOperatorNorm(layer.operator, r, d, { mode: 'repo' }).value;
      expect(repo).toBeLessThanOrEqual(exact * (1 + 1e-12));
      expect(repo).toBeGreaterThan(exact * 0.95);
      // The FFT bound of the whole operator is an upper bound; the row-norm shortcut equals the basis method.
      const fft = layer.operator.normUpperBound();
      expect(fft.value).toBeGreaterThanOrEqual(exactA);
      const l2 = layer.operator.rowNormsSquared(d);
      for (let j = 0; j < rows; j += 7) {
        let s = 0;
        for (let c = 0; c < cols; c++) if (d[c]) s += (dense.data[j * cols + c] as number) ** 2;
        expect(l2[j]).toBeCloseTo(s, 10);
      }
    });
  }
});

describe('converged (Lanczos) estimates stay below the exact norm', () => {
  it('on low-rank R A D (36 rows, 108 columns), where the Krylov space becomes invariant', () => {
    const rng = createSeededRandom(21);
    for (let t = 0; t < 10; t++) {
      const kernel = convKernel(
        [4, 3, 2, 2],
        Array.from({ length: 48 }, () => rng.uniform() * 2 - 1),
      );
      const g = conv2dGeometry(kernel.shape, [3, 6, 6], { stride: 2 });
      const net = prepareNetwork({
        format: 'lipkit-network',
        version: 1,
        inputShape: [3, 6, 6],
        layers: [
          {
            type: 'conv2d',
            weight: { shape: [4, 3, 2, 2], data: kernel.data },
            stride: [2, 2],
            padding: [0, 0],
            paddingMode: 'zeros',
          },
        ],
      });
      const layer = net.layers[0];
      if (layer?.kind !== 'affine') throw new Error('expected an affine layer');
      const dense = denseMatrixOfConv2d(kernel, g);
      const r = Float64Array.from({ length: dense.rows }, () => 0.99 + 0.01 * rng.uniform());
      const m = dense.data.map((v, idx) => v * (r[Math.floor(idx / dense.cols)] as number));
      const exact = singularValues(denseMatrix(dense.rows, dense.cols, m))[0] as number;
      const converged = maskedOperatorNorm(layer.operator, r, null, { mode: 'converged' }).value;
      expect(converged).toBeLessThanOrEqual(exact * (1 + 1e-12));
      expect(converged).toBeGreaterThan(exact * (1 - 1e-8));
    }
  });
});
