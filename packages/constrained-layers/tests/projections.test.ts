import {
  type ConvKernel,
  conv2dGeometry,
  convKernel,
  createSeededRandom,
  type DenseMatrix,
  denseMatrixOfConv2d,
  gaussianArray,
  NumericCoreError,
  singularValues,
  spectralNormExactCircular,
} from '@lipkit/lipschitz-bounds';
import { describe, expect, it } from 'vitest';
import {
  cropKernel,
  dykstraProjection,
  embedKernel,
  groupNormDistance,
  maskKernelSupport,
  projectConvKernelConstraints,
  projectDenseConstraints,
  projectDenseSpectralBall,
  projectGroupNormBall,
  projectSpectralBall,
} from '../src/index.js';

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** The operator matrix of an H×W plane kernel as a stride-1 circular conv with the top-left embedding. */
function planeOperator(plane: ConvKernel): DenseMatrix {
  const [, cin, h, w] = plane.shape;
  const geometry = conv2dGeometry(plane.shape, [cin, h, w], { padding: [0, h - 1, 0, w - 1], paddingMode: 'circular' });
  return denseMatrixOfConv2d(plane, geometry);
}

function randomKernel(shape: [number, number, number, number], seed: number, scale = 1): ConvKernel {
  const random = createSeededRandom(seed);
  return convKernel(
    shape,
    gaussianArray(
      random,
      shape.reduce((a, b) => a * b),
    ).map((x) => x * scale),
  );
}

describe('projectSpectralBall (orthogonal) equals SVD clipping of the dense operator', () => {
  const cases: [string, ConvKernel, [number, number], number][] = [
    ['3→2 3×3 on 4×5 (autocorrelation Gram, Cout > Cin)', randomKernel([2, 3, 3, 3], 1), [4, 5], 1.5],
    ['2→3 3×3 on 5×4 (Cout > Cin)', randomKernel([3, 2, 3, 3], 2), [5, 4], 1.2],
    ['full 3×2 plane on 4×4 (direct Gram)', randomKernel([3, 2, 4, 4], 3), [4, 4], 2],
    ['2×2 kernel on 2×2', randomKernel([2, 2, 2, 2], 4), [2, 2], 0.7],
    ['1×1 kernel, 4→3 on 1×1', randomKernel([3, 4, 1, 1], 5), [1, 1], 0.5],
  ];
  for (const [name, kernel, grid, limit] of cases) {
    it(name, () => {
      const plane = embedKernel(kernel, grid);
      const projected = projectSpectralBall(kernel, limit, { grid });
      expect(projected.shape).toEqual(plane.shape);
      const expected = projectDenseSpectralBall(planeOperator(plane), limit);
      expect(maxAbsDifference(planeOperator(projected).data, expected.data)).toBeLessThan(1e-12);
      const sigma = spectralNormExactCircular(projected, grid[0], grid[1]).value;
      expect(sigma).toBeLessThanOrEqual(limit + 1e-12);
      // Idempotent: a second projection changes nothing.
      expect(maxAbsDifference(projectSpectralBall(projected, limit, { grid }).data, projected.data)).toBeLessThan(
        1e-12,
      );
    });
  }

  it('radial mode rescales by limit/σ_max and is the identity inside; ∞ is the identity', () => {
    const kernel = randomKernel([3, 2, 3, 3], 6);
    const sigma = spectralNormExactCircular(kernel, 6, 6).value;
    const radial = projectSpectralBall(kernel, sigma / 2, { grid: [6, 6], mode: 'radial' });
    expect(
      maxAbsDifference(
        radial.data,
        embedKernel(kernel, [6, 6]).data.map((x) => x / 2),
      ),
    ).toBeLessThan(1e-12);
    const inside = projectSpectralBall(kernel, sigma * 2, { grid: [6, 6], mode: 'radial' });
    expect(maxAbsDifference(inside.data, embedKernel(kernel, [6, 6]).data)).toBe(0);
    const orthogonalInside = projectSpectralBall(kernel, sigma * 1.01, { grid: [6, 6] });
    expect(maxAbsDifference(orthogonalInside.data, embedKernel(kernel, [6, 6]).data)).toBe(0);
    expect(projectSpectralBall(kernel, Number.POSITIVE_INFINITY).data).toEqual(kernel.data);
  });

  it('rejects bad limits and kernels larger than the grid', () => {
    const kernel = randomKernel([1, 1, 3, 3], 7);
    expect(() => projectSpectralBall(kernel, Number.NaN)).toThrow(NumericCoreError);
    expect(() => projectSpectralBall(kernel, -1)).toThrow(NumericCoreError);
    expect(() => projectSpectralBall(kernel, 1, { grid: [2, 2] })).toThrow(NumericCoreError);
  });
});

describe('projectDenseSpectralBall', () => {
  it('clips only the singular values above the limit', () => {
    const random = createSeededRandom(8);
    const matrix = { rows: 7, cols: 5, data: gaussianArray(random, 35) };
    const before = singularValues(matrix);
    const after = singularValues(projectDenseSpectralBall(matrix, 2));
    expect(
      maxAbsDifference(
        after,
        before.map((s) => Math.min(s, 2)),
      ),
    ).toBeLessThan(1e-12);
    const radial = projectDenseSpectralBall(matrix, 1, { mode: 'radial' });
    expect(singularValues(radial)[0]).toBeCloseTo(1, 12);
  });
});

/** Independent λ by bisection (60 steps) for the group soft-threshold. */
function bisectThreshold(norms: number[], radius: number): number {
  let lo = 0;
  let hi = Math.max(...norms);
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    const total = norms.reduce((s, n) => s + Math.max(n - mid, 0), 0);
    if (total > radius) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('projectGroupNormBall', () => {
  it('groups follow spec §1: rows for dense, (o, a, b) over input channels for conv', () => {
    // Conv [2, 3, 1, 2]: groups (o, b) with the norm over c.
    // Index ((o·3 + c)·1 + a)·2 + b: 3 and 4 share the group (o=0, b=0) (norm 5), 2 is in (o=0, b=1).
    const values = [3, 2, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0];
    expect(groupNormDistance(values, undefined, [2, 3, 1, 2])).toBeCloseTo(7, 14);
    expect(groupNormDistance([3, 4, 0, 5], undefined, [2, 2])).toBeCloseTo(10, 14);
  });

  it('is the exact projection: distance = r, threshold matches bisection, variational inequality holds', () => {
    const random = createSeededRandom(9);
    const shape = [4, 3, 2, 2];
    const center = gaussianArray(random, 48);
    const x = gaussianArray(random, 48).map((v, i) => v * 2 + center[i]!);
    x.fill(0, 0, 0);
    // Make one group exactly zero relative to the centre: (o=0, a=0, b=0) over c.
    for (let c = 0; c < 3; c++) x[c * 4] = center[c * 4]!;
    const radius = 3;
    const p = projectGroupNormBall(x, center, shape, radius);
    expect(groupNormDistance(p, center, shape)).toBeCloseTo(radius, 10);
    for (let c = 0; c < 3; c++) expect(p[c * 4]).toBe(center[c * 4]);
    // Threshold check: every group is scaled by max(0, 1 − λ/n_g) with λ from an independent bisection.
    const norms: number[] = [];
    for (let o = 0; o < 4; o++)
      for (let r = 0; r < 4; r++) {
        let s = 0;
        for (let c = 0; c < 3; c++) s += (x[(o * 3 + c) * 4 + r]! - center[(o * 3 + c) * 4 + r]!) ** 2;
        norms.push(Math.sqrt(s));
      }
    const lambda = bisectThreshold(norms, radius);
    for (let o = 0; o < 4; o++)
      for (let r = 0; r < 4; r++) {
        const n = norms[o * 4 + r]!;
        const factor = n > lambda ? 1 - lambda / n : 0;
        for (let c = 0; c < 3; c++) {
          const i = (o * 3 + c) * 4 + r;
          expect(p[i]! - center[i]!).toBeCloseTo(factor * (x[i]! - center[i]!), 9);
        }
      }
    // ⟨x − P(x), z − P(x)⟩ ≤ 0 for feasible z (random points of the ball).
    for (let trial = 0; trial < 200; trial++) {
      const delta = gaussianArray(random, 48);
      const d = groupNormDistance(delta, undefined, shape);
      const z = delta.map((v, i) => center[i]! + (v * radius * random.uniform()) / d);
      let inner = 0;
      for (let i = 0; i < 48; i++) inner += (x[i]! - p[i]!) * (z[i]! - p[i]!);
      expect(inner).toBeLessThanOrEqual(1e-9);
    }
    expect(maxAbsDifference(projectGroupNormBall(p, center, shape, radius), p)).toBeLessThan(1e-12);
  });

  it('closed forms: inside unchanged, single group radial, r = 0 gives the centre, radial mode', () => {
    expect(Array.from(projectGroupNormBall([1, 0, 0, 0], undefined, [2, 2], 2))).toEqual([1, 0, 0, 0]);
    const single = projectGroupNormBall([3, 4, 0, 0], undefined, [2, 2], 1);
    expect(maxAbsDifference(single, [0.6, 0.8, 0, 0])).toBeLessThan(1e-15);
    expect(Array.from(projectGroupNormBall([3, 4, 1, 2], [1, 1, 1, 1], [2, 2], 0))).toEqual([1, 1, 1, 1]);
    const radial = projectGroupNormBall([3, 4, 0, 5], undefined, [2, 2], 5, { mode: 'radial' });
    expect(maxAbsDifference(radial, [1.5, 2, 0, 2.5])).toBeLessThan(1e-15);
    expect(() => projectGroupNormBall([1, 2], undefined, [2, 1], Number.NaN)).toThrow(NumericCoreError);
    expect(() => projectGroupNormBall([1, 2], undefined, [3, 1], 1)).toThrow(NumericCoreError);
    expect(() => projectGroupNormBall([1, 2], [1], [2, 1], 1)).toThrow(NumericCoreError);
  });
});

describe('support mask and Dykstra', () => {
  it('mask keeps the top-left block; crop/embed invert each other', () => {
    const kernel = randomKernel([2, 2, 3, 3], 10);
    const plane = embedKernel(kernel, [5, 5]);
    expect(cropKernel(plane, 3, 3).data).toEqual(kernel.data);
    expect(maskKernelSupport(plane, 3, 3).data).toEqual(plane.data);
    const full = randomKernel([2, 2, 5, 5], 11);
    const masked = maskKernelSupport(full, 3, 3);
    expect(maskKernelSupport(masked, 3, 3).data).toEqual(masked.data);
    expect(masked.data[4]).toBe(0);
  });

  it('one round is the sequential composition of the projections', () => {
    const halve = (x: Float64Array) => x.map((v) => v / 2);
    const clip = (x: Float64Array) => x.map((v) => Math.min(v, 1));
    const x = Float64Array.from([4, 1, -2]);
    expect(Array.from(dykstraProjection(x, [halve, clip], 1))).toEqual([1, 0.5, -1]);
    // Two half-planes: Dykstra converges to the projection of (2, 2) onto {x ≤ 1} ∩ {y ≤ 1}.
    const px = (v: Float64Array) => Float64Array.from([Math.min(v[0]!, 1), v[1]!]);
    const py = (v: Float64Array) => Float64Array.from([v[0]!, Math.min(v[1]!, 1)]);
    expect(Array.from(dykstraProjection(Float64Array.from([2, 2]), [px, py], 5))).toEqual([1, 1]);
  });

  it('conv: one round leaves σ above lipCond (reported); feasible mode guarantees both constraints', () => {
    // A PyTorch-like init U(±1/√27) for 3→8 3×3, trained away from its init.
    const random = createSeededRandom(12);
    const bound = 1 / Math.sqrt(27);
    const init = convKernel(
      [8, 3, 3, 3],
      Float64Array.from({ length: 216 }, () => (2 * random.uniform() - 1) * bound),
    );
    const kernel = convKernel(
      init.shape,
      init.data.map((v) => v * 3 + 0.3 * random.normal()),
    );
    const sigmaInit = spectralNormExactCircular(init, 8, 8).value;
    const lipCond = 0.8 * Math.max(sigmaInit, 1);
    const scaledInit = convKernel(
      init.shape,
      init.data.map((v) => (v * 0.9 * lipCond) / sigmaInit),
    );
    const options = { lipCond, distCond: 2 };
    const plain = projectConvKernelConstraints(kernel, scaledInit, [8, 8], options);
    expect(plain.report!.lipExcess).toBeGreaterThan(0);
    expect(plain.report!.lip).toBeCloseTo(spectralNormExactCircular(plain.kernel, 8, 8).value, 12);
    const feasible = projectConvKernelConstraints(kernel, scaledInit, [8, 8], { ...options, guarantee: 'feasible' });
    expect(feasible.report!.lip).toBeLessThanOrEqual(lipCond + 1e-6);
    expect(feasible.report!.dist).toBeLessThanOrEqual(2 + 1e-6);
    expect(feasible.report!.lipExcess).toBe(0);
    expect(feasible.report!.distExcess).toBe(0);
    const again = projectConvKernelConstraints(feasible.kernel, scaledInit, [8, 8], {
      ...options,
      guarantee: 'feasible',
    });
    expect(maxAbsDifference(again.kernel.data, feasible.kernel.data)).toBeLessThan(1e-6);
  });

  it('conv: many Dykstra rounds approach the intersection', () => {
    const random = createSeededRandom(13);
    const init = convKernel(
      [4, 3, 3, 3],
      Float64Array.from({ length: 108 }, () => 0.1 * random.normal()),
    );
    const kernel = convKernel(
      init.shape,
      init.data.map((v) => v + 0.2 * random.normal()),
    );
    const sigma0 = spectralNormExactCircular(kernel, 6, 6).value;
    const options = { lipCond: 0.8 * sigma0, distCond: 1.5 };
    const one = projectConvKernelConstraints(kernel, init, [6, 6], { ...options, rounds: 1 }).report!;
    const many = projectConvKernelConstraints(kernel, init, [6, 6], { ...options, rounds: 200 }).report!;
    expect(many.lipExcess).toBeLessThanOrEqual(one.lipExcess);
    expect(many.lipExcess).toBeLessThan(1e-3);
    expect(many.distExcess).toBeLessThan(1e-6);
  });

  it('dense: the SVD clip is last (σ ≤ lipCond), feasible mode also bounds the distance', () => {
    const random = createSeededRandom(14);
    const init = { rows: 6, cols: 8, data: gaussianArray(random, 48).map((v) => v * 0.1) };
    const matrix = { rows: 6, cols: 8, data: init.data.map((v) => v + random.normal()) };
    const options = { lipCond: 0.9, distCond: 1 };
    const plain = projectDenseConstraints(matrix, init, options);
    expect(plain.report!.lip).toBeLessThanOrEqual(0.9 + 1e-12);
    const feasible = projectDenseConstraints(matrix, init, { ...options, guarantee: 'feasible' });
    expect(feasible.report!.lip).toBeLessThanOrEqual(0.9 + 1e-6);
    expect(feasible.report!.dist).toBeLessThanOrEqual(1 + 1e-6);
    const many = projectDenseConstraints(matrix, init, { ...options, rounds: 300 }).report!;
    expect(many.lip).toBeLessThanOrEqual(0.9 + 1e-12);
    expect(many.dist).toBeLessThanOrEqual(1 + 1e-6);
    expect(() => projectDenseConstraints(matrix, { rows: 8, cols: 6, data: init.data }, options)).toThrow(
      NumericCoreError,
    );
    expect(() => projectDenseConstraints(matrix, init, { lipCond: -1 })).toThrow(NumericCoreError);
  });
});
