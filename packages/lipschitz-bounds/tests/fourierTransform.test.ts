import { describe, expect, it } from 'vitest';
import { complexFourierTransform, createSeededRandom, fourierTransform2d, gaussianArray } from '../src/index.js';
import { maxAbsDifference } from './testHelpers.js';

function naiveDft(re: Float64Array, im: Float64Array, sign: number): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++) {
      const angle = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      outRe[k]! += re[j]! * Math.cos(angle) - im[j]! * Math.sin(angle);
      outIm[k]! += re[j]! * Math.sin(angle) + im[j]! * Math.cos(angle);
    }
  return [outRe, outIm];
}

describe('complexFourierTransform', () => {
  for (const n of [1, 2, 3, 7, 8, 28, 32, 65, 100, 128]) {
    it(`matches the naive DFT and inverts (n=${n})`, () => {
      const random = createSeededRandom(n);
      const re = gaussianArray(random, n);
      const im = gaussianArray(random, n);
      const [refRe, refIm] = naiveDft(re, im, -1);
      const outRe = Float64Array.from(re);
      const outIm = Float64Array.from(im);
      const plan = complexFourierTransform(n);
      plan.transform(outRe, outIm, false);
      expect(maxAbsDifference(outRe, refRe)).toBeLessThan(1e-11 * n);
      expect(maxAbsDifference(outIm, refIm)).toBeLessThan(1e-11 * n);
      plan.transform(outRe, outIm, true);
      expect(maxAbsDifference(outRe, re)).toBeLessThan(1e-12 * n);
      expect(maxAbsDifference(outIm, im)).toBeLessThan(1e-12 * n);
    });
  }

  it('2-D transform of a single impulse is a plane wave', () => {
    const h = 6;
    const w = 5;
    const re = new Float64Array(h * w);
    const im = new Float64Array(h * w);
    re[1 * w + 2] = 1;
    fourierTransform2d(re, im, 1, h, w, false);
    for (let u = 0; u < h; u++)
      for (let v = 0; v < w; v++) {
        const angle = -2 * Math.PI * (u / h + (2 * v) / w);
        expect(re[u * w + v]).toBeCloseTo(Math.cos(angle), 13);
        expect(im[u * w + v]).toBeCloseTo(Math.sin(angle), 13);
      }
  });
});
