import { describe, expect, it } from 'vitest';
import {
  createSeededRandom,
  denseMatrix,
  globalLipschitzBound,
  localLipschitzBound,
  networkOutput,
  prepareNetwork,
  singularValues,
} from '../src/index.js';
import { fixtureInput, fixtureNetwork, randomDenseNetwork, randomMixedNetwork } from './fixtureNetworks.js';

describe('tiny network (spec §11)', () => {
  const net = fixtureNetwork('tiny');
  const x0 = fixtureInput('tiny-x0');
  const grid = Array.from({ length: 30 }, (_, i) => 0.1 + (9.9 * i) / 29);
  for (const mode of ['repo', 'converged', 'certified'] as const) {
    it(`reproduces the saved local curve and global bound in ${mode} mode`, () => {
      const curve = grid.map((eps) => localLipschitzBound(net, x0, eps, { mode }).value);
      // data/tiny/local.npz: 7.538264 for eps ≤ 1.81, 8.561141 at eps = 10 (float32 in the original).
      for (let i = 0; i < 6; i++) expect(curve[i]).toBeCloseTo(7.538264, 6);
      expect(curve[6]).toBeGreaterThan(7.54);
      expect(curve[29]).toBeCloseTo(8.561141, 6);
      expect(globalLipschitzBound(net, { mode }).value).toBeCloseTo(9.101114273, 6);
    });
  }
  it('labels only certified mode as an upper bound', () => {
    expect(localLipschitzBound(net, x0, 1, { mode: 'certified' }).kind).toBe('upper bound');
    expect(localLipschitzBound(net, x0, 1, { mode: 'repo' }).kind).toBe('estimate');
    expect(localLipschitzBound(net, x0, 1, { mode: 'converged' }).kind).toBe('estimate');
  });
  it('gives 0 at eps = 0 (spec pitfall 4) and rejects a negative eps', () => {
    expect(localLipschitzBound(net, x0, 0).value).toBe(0);
    expect(() => localLipschitzBound(net, x0, -1)).toThrow(/eps/);
  });
});

/** Spec §10.7 "manual method": the local bound recomputed with dense matrices and SVDs, independently. */
function denseLocalBound(weights: { w: number[][]; b: number[] }[], x0: number[], eps: number): number {
  let z = x0;
  let free = z.map(() => true);
  let bound = 1;
  let radius = eps;
  weights.forEach(({ w, b }, k) => {
    const last = k === weights.length - 1;
    const y0 = w.map((row, i) => row.reduce((s, a, j) => s + a * (z[j] as number), b[i] as number));
    const l = w.map((row) => Math.sqrt(row.reduce((s, a, j) => s + (free[j] ? a * a : 0), 0)));
    const ybar = y0.map((y, i) => y + radius * (l[i] as number));
    const r = last
      ? y0.map(() => 1)
      : y0.map((y, i) => {
          const yb = ybar[i] as number;
          return yb === y ? 0 : (Math.max(yb, 0) - Math.max(y, 0)) / (yb - y);
        });
    const m = w.flatMap((row, i) => row.map((a, j) => (free[j] ? a * (r[i] as number) : 0)));
    const sigma = singularValues(denseMatrix(w.length, (w[0] as number[]).length, m))[0] as number;
    bound *= sigma;
    radius *= sigma;
    free = ybar.map((v, i) => v > 0 && (l[i] as number) > 0);
    z = y0.map((v) => Math.max(v, 0));
  });
  return bound;
}

describe('compnet (spec §10.7 manual method)', () => {
  const net = fixtureNetwork('compnet');
  const desc = net.description;
  const weights = desc.layers
    .filter((l) => l.type === 'dense')
    .map((l) => {
      if (l.type !== 'dense') throw new Error('unreachable');
      const [o, i] = l.weight.shape as [number, number];
      const data = Array.from(l.weight.data);
      return {
        w: Array.from({ length: o }, (_, r) => data.slice(r * i, (r + 1) * i)),
        b: Array.from(l.bias?.data ?? new Array(o).fill(0)),
      };
    });
  for (const eps of [0.01, 0.1, 1]) {
    it(`equals the dense recomputation at eps = ${eps}`, () => {
      const ref = denseLocalBound(weights, new Array(7).fill(0), eps);
      const cert = localLipschitzBound(net, new Float64Array(7), eps, { mode: 'certified' }).value;
      const conv = localLipschitzBound(net, new Float64Array(7), eps, { mode: 'converged' }).value;
      expect(cert).toBeGreaterThanOrEqual(ref * (1 - 1e-12));
      expect(cert).toBeLessThan(ref * (1 + 1e-8));
      expect(conv).toBeCloseTo(ref, 8);
    });
  }
});

describe('MNIST LeNet (spec §11 reference numbers)', () => {
  const net = fixtureNetwork('mnist-lenet');
  const x0 = fixtureInput('mnist-8-x0');
  it('matches the saved local bounds at eps_min and eps_max and the global bound', () => {
    const repoLow = localLipschitzBound(net, x0, 0.001, { mode: 'repo' }).value;
    expect(repoLow).toBeCloseTo(361.51, 1);
    const certLow = localLipschitzBound(net, x0, 0.001, { mode: 'certified' });
    expect(certLow.kind).toBe('upper bound');
    expect(certLow.value).toBeGreaterThanOrEqual(repoLow);
    const certHigh = localLipschitzBound(net, x0, 7, { mode: 'certified' }).value;
    // The original's power-iteration values are estimates from below (≤ 1.6% low).
    expect(certHigh).toBeGreaterThan(90817.89);
    expect(certHigh).toBeLessThan(90817.89 * 1.02);
    const global = globalLipschitzBound(net).value;
    expect(global).toBeGreaterThan(103820.96);
    expect(global).toBeLessThan(103820.96 * 1.01);
    expect(certHigh).toBeLessThanOrEqual(global);
  });
});

describe('properties', () => {
  it('is non-decreasing in eps and below the global bound (mixed layer types)', () => {
    const rng = createSeededRandom(3);
    for (let trial = 0; trial < 5; trial++) {
      const net = prepareNetwork(randomMixedNetwork(rng));
      const x0 = Float64Array.from({ length: 72 }, () => rng.uniform() * 2 - 1);
      const global = globalLipschitzBound(net).value;
      let previous = 0;
      for (const eps of [1e-3, 0.01, 0.1, 1, 10, 100]) {
        const b = localLipschitzBound(net, x0, eps, { mode: 'certified' });
        expect(b.value).toBeGreaterThanOrEqual(previous * (1 - 1e-9));
        expect(b.value).toBeLessThanOrEqual(global * (1 + 1e-9));
        previous = b.value;
      }
    }
  });

  it('bounds every sampled ratio ‖f(x) − f(x0)‖/‖x − x0‖ in the ball (random dense and mixed networks)', () => {
    const rng = createSeededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const mixed = trial % 2 === 0;
      const net = prepareNetwork(mixed ? randomMixedNetwork(rng) : randomDenseNetwork(rng, [3, 5, 4, 2]));
      const n = net.sizes[0] as number;
      const x0 = Float64Array.from({ length: n }, () => rng.uniform() * 2 - 1);
      const eps = 0.05 + rng.uniform() * 2;
      const bound = localLipschitzBound(net, x0, eps, { mode: 'certified' }).value;
      const y0 = networkOutput(net, x0);
      for (let s = 0; s < 300; s++) {
        const d = Float64Array.from({ length: n }, () => rng.normal());
        const norm = Math.hypot(...d);
        const t = (eps * rng.uniform() ** (1 / n)) / norm;
        const x = x0.map((v, i) => v + t * (d[i] as number));
        const y = networkOutput(net, x);
        const ratio = Math.hypot(...y.map((v, i) => v - (y0[i] as number))) / (t * norm);
        expect(ratio).toBeLessThanOrEqual(bound * (1 + 1e-9));
      }
    }
  });
});
