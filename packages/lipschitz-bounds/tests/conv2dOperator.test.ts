import { describe, expect, it } from 'vitest';
import {
  type Conv2dOptions,
  circularSamePadding,
  conv2dAdjoint,
  conv2dForward,
  conv2dGeometry,
  convKernel,
  createSeededRandom,
  denseMatrixOfConv2d,
  denseMatrixVectorProduct,
  gaussianArray,
  NumericCoreError,
} from '../src/index.js';
import { dot, maxAbsDifference } from './testHelpers.js';

/** Independent reference: materialise the padded input, then a valid cross-correlation with a stride. */
function referenceConv(
  kernelShape: [number, number, number, number],
  k: Float64Array,
  h: number,
  w: number,
  x: Float64Array,
  stride: [number, number],
  pad: [number, number, number, number],
  circular: boolean,
): Float64Array {
  const [co, ci, kh, kw] = kernelShape;
  const ph = h + pad[0] + pad[1];
  const pw = w + pad[2] + pad[3];
  const padded = new Float64Array(ci * ph * pw);
  for (let c = 0; c < ci; c++)
    for (let r = 0; r < ph; r++)
      for (let s = 0; s < pw; s++) {
        let sr = r - pad[0];
        let ss = s - pad[2];
        if (circular) {
          sr = ((sr % h) + h) % h;
          ss = ((ss % w) + w) % w;
        } else if (sr < 0 || sr >= h || ss < 0 || ss >= w) continue;
        padded[(c * ph + r) * pw + s] = x[(c * h + sr) * w + ss]!;
      }
  const ho = Math.floor((ph - kh) / stride[0]) + 1;
  const wo = Math.floor((pw - kw) / stride[1]) + 1;
  const y = new Float64Array(co * ho * wo);
  for (let o = 0; o < co; o++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        let sum = 0;
        for (let c = 0; c < ci; c++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++)
              sum +=
                k[((o * ci + c) * kh + a) * kw + b]! * padded[(c * ph + i * stride[0] + a) * pw + j * stride[1] + b]!;
        y[(o * ho + i) * wo + j] = sum;
      }
  return y;
}

interface Case {
  kernel: [number, number, number, number];
  input: [number, number, number];
  stride: [number, number];
  pad: [number, number, number, number];
  mode: 'zeros' | 'circular';
}

const cases: Case[] = [];
for (const mode of ['zeros', 'circular'] as const)
  for (const [kh, kw] of [
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [5, 5],
    [2, 3],
  ] as const)
    for (const stride of [
      [1, 1],
      [2, 2],
      [3, 2],
    ] as [number, number][])
      for (const pad of [[0, 0, 0, 0], [1, 1, 1, 1], [2, 0, 1, 2], circularSamePadding(kh, kw)] as [
        number,
        number,
        number,
        number,
      ][])
        cases.push({ kernel: [3, 2, kh, kw], input: [2, 7, 6], stride, pad, mode });

describe('conv2dForward / conv2dAdjoint', () => {
  it('matches an explicit-padding reference for every configuration', () => {
    const random = createSeededRandom(1);
    for (const c of cases) {
      const kernel = convKernel(
        c.kernel,
        gaussianArray(
          random,
          c.kernel.reduce((a, b) => a * b),
        ),
      );
      const g = conv2dGeometry(c.kernel, c.input, { stride: c.stride, padding: c.pad, paddingMode: c.mode });
      const x = gaussianArray(random, c.input[0] * c.input[1] * c.input[2]);
      const y = conv2dForward(kernel, x, g);
      const ref = referenceConv(
        c.kernel,
        kernel.data,
        c.input[1],
        c.input[2],
        x,
        c.stride,
        c.pad,
        c.mode === 'circular',
      );
      expect(y.length).toBe(ref.length);
      expect(maxAbsDifference(y, ref)).toBeLessThan(1e-12);
    }
  });

  it('is exactly adjoint: <Ax, y> = <x, Aᵀy> for every stride, padding and even/odd kernel', () => {
    const random = createSeededRandom(2);
    for (const c of cases) {
      const kernel = convKernel(
        c.kernel,
        gaussianArray(
          random,
          c.kernel.reduce((a, b) => a * b),
        ),
      );
      const g = conv2dGeometry(c.kernel, c.input, { stride: c.stride, padding: c.pad, paddingMode: c.mode });
      const x = gaussianArray(random, c.input[0] * c.input[1] * c.input[2]);
      const y = gaussianArray(random, g.outChannels * g.outputHeight * g.outputWidth);
      const lhs = dot(conv2dForward(kernel, x, g), y);
      const rhs = dot(x, conv2dAdjoint(kernel, y, g));
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lhs)));
    }
  });

  it('the dense oracle reproduces the forward pass', () => {
    const random = createSeededRandom(3);
    for (const c of cases.filter((_, i) => i % 3 === 0)) {
      const kernel = convKernel(
        c.kernel,
        gaussianArray(
          random,
          c.kernel.reduce((a, b) => a * b),
        ),
      );
      const g = conv2dGeometry(c.kernel, c.input, { stride: c.stride, padding: c.pad, paddingMode: c.mode });
      const x = gaussianArray(random, c.input[0] * c.input[1] * c.input[2]);
      const dense = denseMatrixOfConv2d(kernel, g);
      expect(maxAbsDifference(denseMatrixVectorProduct(dense, x), conv2dForward(kernel, x, g))).toBeLessThan(1e-12);
    }
  });

  it('computes a hand-checked 2×2 ones kernel on a 3×3 input', () => {
    const kernel = convKernel([1, 1, 2, 2], [1, 1, 1, 1]);
    const g = conv2dGeometry([1, 1, 2, 2], [1, 3, 3]);
    const y = conv2dForward(kernel, Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), g);
    expect(Array.from(y)).toEqual([12, 16, 24, 28]);
    // Circular same padding of an even kernel pads top/left only: y[i,j] = x[i−1,j−1]+x[i−1,j]+x[i,j−1]+x[i,j].
    const gc = conv2dGeometry([1, 1, 2, 2], [1, 3, 3], { padding: circularSamePadding(2, 2), paddingMode: 'circular' });
    const yc = conv2dForward(kernel, Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), gc);
    expect(yc[0]).toBe(9 + 7 + 3 + 1);
    expect(yc[4]).toBe(1 + 2 + 4 + 5);
  });

  it('circular same padding keeps the size at stride 1 and gives ⌈H/s⌉ at stride s', () => {
    for (const k of [1, 2, 3, 4, 5])
      for (const s of [1, 2, 3]) {
        const g = conv2dGeometry([1, 1, k, k], [1, 8, 7], {
          stride: s,
          padding: circularSamePadding(k, k),
          paddingMode: 'circular',
        });
        expect([g.outputHeight, g.outputWidth]).toEqual([Math.ceil(8 / s), Math.ceil(7 / s)]);
      }
  });

  it('rejects bad geometry with a typed error naming the argument', () => {
    const bad: [number[], number[], Conv2dOptions, string][] = [
      [[1, 2, 3, 3], [3, 5, 5], {}, 'inputShape[0]'],
      [[1, 1, 7, 7], [1, 5, 5], {}, 'kernel.shape'],
      [[1, 1, 3, 3], [1, 5, 5], { stride: 0 }, 'stride'],
      [[1, 1, 3, 3], [1, 5, 5], { padding: -1 }, 'padding'],
      [[1, 1, 3], [1, 5, 5], {}, 'kernel.shape'],
      [[1, 1, 3, 3], [1, 5.5, 5], {}, 'inputShape[1]'],
    ];
    for (const [kernelShape, inputShape, options, argument] of bad) {
      let thrown: unknown;
      try {
        conv2dGeometry(kernelShape, inputShape, options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NumericCoreError);
      expect((thrown as NumericCoreError).argument).toBe(argument);
    }
    const g = conv2dGeometry([1, 1, 3, 3], [1, 5, 5]);
    expect(() => conv2dForward(convKernel([1, 1, 3, 3], new Float64Array(9)), new Float64Array(24), g)).toThrow(
      NumericCoreError,
    );
    expect(() => convKernel([1, 1, 3, 3], new Float64Array(8))).toThrow(NumericCoreError);
  });
});
