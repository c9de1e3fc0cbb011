import FFT from 'fft.js';
import { complexFourierTransform, createSeededRandom, gaussianArray } from '../src/index.js';
import { type BenchRow, medianTiming } from './benchTiming.js';

/** 1-D complex FFTs: ours (radix-2 / direct DFT / Bluestein) vs fft.js (radix-4, powers of two only). */
export function fftBenchmark(): BenchRow[] {
  const rows: BenchRow[] = [];
  const random = createSeededRandom(5);
  for (const [n, count] of [
    [16, 200_000],
    [32, 100_000],
    [1024, 3_000],
    [28, 100_000],
  ] as const) {
    const re = gaussianArray(random, n);
    const im = gaussianArray(random, n);
    const plan = complexFourierTransform(n);
    rows.push({
      task: `${count} complex FFTs of length ${n}`,
      method: 'complexFourierTransform (fft.js for 2^k, direct DFT, Bluestein)',
      timing: medianTiming(() => {
        for (let k = 0; k < count; k++) plan.transform(re, im, false);
      }, 3),
    });
    if ((n & (n - 1)) !== 0) {
      rows.push({
        task: `${count} complex FFTs of length ${n}`,
        method: 'fft.js',
        timing: { wallMs: 0, cpuMs: 0 },
        note: 'unsupported (not a power of two)',
      });
      continue;
    }
    const fft = new FFT(n);
    const input = fft.createComplexArray();
    const output = fft.createComplexArray();
    for (let k = 0; k < n; k++) {
      input[2 * k] = re[k]!;
      input[2 * k + 1] = im[k]!;
    }
    rows.push({
      task: `${count} complex FFTs of length ${n}`,
      method: 'fft.js 4.0.4',
      timing: medianTiming(() => {
        for (let k = 0; k < count; k++) fft.transform(output, input);
      }, 3),
    });
  }
  return rows;
}
