import { describe, expect, it } from 'vitest';
import {
  type Conv2dOptions,
  circularSamePadding,
  conv2dGeometry,
  conv2dPowerIteration,
  conv2dSpectralNormUpperBound,
  convKernel,
  createSeededRandom,
  denseMatrixOfConv2d,
  denseMatrixOperator,
  gaussianArray,
  NumericCoreError,
  powerIterationSpectralNorm,
  singularValues,
  spectralNormExactCircular,
  spectralNormGramIteration,
} from '../src/index.js';
import { matrixWithSingularValues } from './testHelpers.js';

const geometries: [number[], number[], Conv2dOptions][] = [
  [[3, 2, 3, 3], [2, 6, 6], { padding: 1 }],
  [[3, 2, 3, 3], [2, 7, 6], { padding: 1, stride: 2 }],
  [[2, 3, 2, 2], [3, 5, 5], { padding: [1, 0, 1, 0] }],
  [[2, 2, 4, 4], [2, 6, 6], { padding: 2, stride: [2, 1] }],
  [[4, 2, 5, 3], [2, 7, 5], { padding: [2, 1] }],
  [[3, 2, 3, 3], [2, 6, 6], { padding: circularSamePadding(3, 3), paddingMode: 'circular' }],
  [[3, 2, 2, 2], [2, 6, 6], { padding: circularSamePadding(2, 2), paddingMode: 'circular', stride: 2 }],
  [[2, 2, 3, 3], [2, 5, 5], { padding: 1, paddingMode: 'circular', stride: 2 }],
  [[2, 2, 1, 1], [2, 3, 3], { padding: 2, paddingMode: 'circular' }],
];

describe('norm methods agree with the dense oracle', () => {
  geometries.forEach(([kernelShape, inputShape, options], index) => {
    it(`geometry ${index}: power iteration ≈ σ from below, upper bounds ≥ σ (${options.paddingMode ?? 'zeros'})`, () => {
      const random = createSeededRandom(50 + index);
      const kernel = convKernel(
        kernelShape,
        gaussianArray(
          random,
          kernelShape.reduce((a, b) => a * b),
        ),
      );
      const geometry = conv2dGeometry(kernelShape, inputShape, options);
      const sigma = singularValues(denseMatrixOfConv2d(kernel, geometry))[0]!;
      const estimate = conv2dPowerIteration(kernel, geometry, { iterations: 3000, tolerance: 1e-15 });
      expect(estimate.kind).toBe('estimate');
      expect(estimate.value).toBeLessThanOrEqual(sigma * (1 + 1e-12));
      // Convergence depends on the spectral gap; 3000 steps reach 1e-4 on all these tiny cases.
      expect(estimate.value).toBeGreaterThan(sigma * (1 - 1e-4));
      for (const method of ['fft', 'gram'] as const) {
        const bound = conv2dSpectralNormUpperBound(kernel, geometry, { method });
        expect(bound.kind).toBe('upperBound');
        expect(bound.value).toBeGreaterThanOrEqual(sigma);
      }
    });
  });

  it('wrap-around circular padding repeats rows and the bound accounts for it', () => {
    const kernel = convKernel([1, 1, 1, 1], [1]);
    const geometry = conv2dGeometry([1, 1, 1, 1], [1, 3, 3], { padding: 2, paddingMode: 'circular' });
    const sigma = singularValues(denseMatrixOfConv2d(kernel, geometry))[0]!;
    expect(sigma).toBeGreaterThan(1.5); // 7×7 output over a 3×3 torus: rows repeat
    expect(conv2dSpectralNormUpperBound(kernel, geometry).value).toBeGreaterThanOrEqual(sigma);
  });

  it('warm start: 5 iterations from a converged vector, 100 from cold by default', () => {
    const random = createSeededRandom(9);
    const kernel = convKernel([4, 3, 3, 3], gaussianArray(random, 108));
    const geometry = conv2dGeometry(kernel.shape, [3, 8, 8], { padding: 1, stride: 2 });
    const cold = conv2dPowerIteration(kernel, geometry);
    expect(cold.iterations).toBe(100);
    const warm = conv2dPowerIteration(kernel, geometry, { start: cold.rightVector });
    expect(warm.iterations).toBe(5);
    expect(warm.value).toBeGreaterThanOrEqual(cold.value * (1 - 1e-9));
  });

  it('strided circular: power iteration on the true operator matches the exact strided FFT norm, not the stride-1 proxy', () => {
    const random = createSeededRandom(12);
    const kernel = convKernel([4, 4, 3, 3], gaussianArray(random, 144));
    const geometry = conv2dGeometry(kernel.shape, [4, 8, 8], {
      padding: circularSamePadding(3, 3),
      paddingMode: 'circular',
      stride: 2,
    });
    const exact = spectralNormExactCircular(kernel, 8, 8, { stride: 2 }).value;
    const strideOne = spectralNormExactCircular(kernel, 8, 8).value;
    const estimate = conv2dPowerIteration(kernel, geometry, { iterations: 2000, tolerance: 1e-15 }).value;
    expect(Math.abs(estimate - exact)).toBeLessThan(1e-6 * exact);
    expect(strideOne).toBeGreaterThan(exact);
  });

  it('Gram iteration bounds the circular norm from above and converges to it', () => {
    const random = createSeededRandom(13);
    for (const [cout, cin] of [
      [5, 3],
      [3, 5],
    ] as const) {
      const kernel = convKernel([cout, cin, 3, 3], gaussianArray(random, cout * cin * 9));
      const exact = spectralNormExactCircular(kernel, 6, 6).value;
      const loose = spectralNormGramIteration(kernel, 6, 6, { iterations: 2 }).value;
      const tight = spectralNormGramIteration(kernel, 6, 6).value;
      expect(loose).toBeGreaterThanOrEqual(tight);
      expect(tight).toBeGreaterThanOrEqual(exact);
      expect(tight).toBeLessThan(exact * 1.01);
    }
  });

  it('dense operator power iteration matches the SVD; bad options throw typed errors', () => {
    const matrix = matrixWithSingularValues(6, 4, [3, 1, 0.5, 0.1], 3);
    expect(powerIterationSpectralNorm(denseMatrixOperator(matrix), { iterations: 200 }).value).toBeCloseTo(3, 12);
    expect(() => powerIterationSpectralNorm(denseMatrixOperator(matrix), { iterations: 0 })).toThrow(NumericCoreError);
    expect(() => powerIterationSpectralNorm(denseMatrixOperator(matrix), { start: new Float64Array(3) })).toThrow(
      NumericCoreError,
    );
    expect(() => powerIterationSpectralNorm(denseMatrixOperator(matrix), { start: new Float64Array(4) })).toThrow(
      NumericCoreError,
    );
  });
});
