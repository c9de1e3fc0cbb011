import { describe, expect, it } from 'vitest';
import {
  circularSamePadding,
  conv2dGeometry,
  convKernel,
  createSeededRandom,
  denseMatrixOfConv2d,
  embedKernelInPlane,
  frequencyMatricesToPlane,
  gaussianArray,
  kernelFrequencyMatrices,
  NumericCoreError,
  planeFrequencyMatrices,
  singularValues,
  spectralNormExactCircular,
} from '../src/index.js';
import { maxAbsDifference } from './testHelpers.js';

const configurations: [number, number, number, number, number, number, [number, number]][] = [
  // cout, cin, kh, kw, H, W, stride
  [3, 2, 3, 3, 6, 6, [1, 1]],
  [2, 3, 3, 3, 4, 6, [1, 1]],
  [2, 2, 2, 2, 4, 4, [1, 1]],
  [3, 2, 4, 4, 5, 6, [1, 1]],
  [2, 1, 1, 1, 3, 5, [1, 1]],
  [3, 2, 3, 3, 6, 6, [2, 2]],
  [2, 3, 3, 3, 4, 6, [2, 3]],
  [4, 1, 2, 3, 4, 6, [2, 1]],
  [1, 3, 3, 3, 8, 4, [2, 2]],
];

describe('spectralNormExactCircular', () => {
  for (const [cout, cin, kh, kw, h, w, stride] of configurations) {
    it(`equals the dense oracle's SVD for ${cout}→${cin}... ${kh}×${kw} on ${h}×${w}, stride ${stride}`, () => {
      const random = createSeededRandom(cout * 100 + h * 10 + kh + stride[0]);
      const kernel = convKernel([cout, cin, kh, kw], gaussianArray(random, cout * cin * kh * kw));
      const geometry = conv2dGeometry(kernel.shape, [cin, h, w], {
        stride,
        padding: circularSamePadding(kh, kw),
        paddingMode: 'circular',
      });
      const dense = singularValues(denseMatrixOfConv2d(kernel, geometry));
      const result = spectralNormExactCircular(kernel, h, w, { stride, allSingularValues: true });
      expect(result.kind).toBe('exact');
      expect(Math.abs(result.value - dense[0]!)).toBeLessThan(1e-12 * dense[0]!);
      const all = Array.from(result.singularValues!).sort((a, b) => b - a);
      expect(all.length).toBeGreaterThanOrEqual(dense.length);
      // The dense matrix is (Cout·H'·W')×(Cin·H·W): its min(…) singular values are the blocks' values (rest zero).
      expect(maxAbsDifference(all.slice(0, dense.length), dense)).toBeLessThan(1e-7 * dense[0]!);
    });
  }

  it('planeFrequencyMatrices and frequencyMatricesToPlane are inverse', () => {
    const random = createSeededRandom(4);
    const kernel = convKernel([2, 3, 3, 3], gaussianArray(random, 54));
    const plane = embedKernelInPlane(kernel, 7, 5);
    const { re, im } = planeFrequencyMatrices(plane, 2, 3, 7, 5);
    expect(maxAbsDifference(frequencyMatricesToPlane(re, im, 2, 3, 7, 5), plane)).toBeLessThan(1e-14);
  });

  it('kernelFrequencyMatrices equals the FFT of the embedded kernel, any offset', () => {
    const random = createSeededRandom(8);
    const kernel = convKernel([2, 3, 3, 2], gaussianArray(random, 36));
    for (const offset of [
      [0, 0],
      [1, 1],
      [2, 5],
    ] as [number, number][]) {
      const fft = planeFrequencyMatrices(embedKernelInPlane(kernel, 6, 7, offset), 2, 3, 6, 7);
      const direct = kernelFrequencyMatrices(kernel, 6, 7, offset);
      expect(maxAbsDifference(direct.re, fft.re)).toBeLessThan(1e-13);
      expect(maxAbsDifference(direct.im, fft.im)).toBeLessThan(1e-13);
    }
  });

  it('rejects a kernel larger than the grid and a stride that does not divide it', () => {
    const kernel = convKernel([1, 1, 3, 3], new Float64Array(9).fill(1));
    expect(() => spectralNormExactCircular(kernel, 2, 2)).toThrow(NumericCoreError);
    expect(() => spectralNormExactCircular(kernel, 5, 6, { stride: 2 })).toThrow(NumericCoreError);
    expect(() => spectralNormExactCircular(convKernel([1, 1, 1, 1], [Number.NaN]), 3, 3)).toThrow(NumericCoreError);
  });
});
