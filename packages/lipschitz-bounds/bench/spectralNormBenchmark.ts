import {
  conv2dGeometry,
  conv2dPowerIteration,
  conv2dSpectralNormUpperBound,
  convKernel,
  createSeededRandom,
  gaussianArray,
  spectralNormExactCircular,
  spectralNormGramIteration,
} from '../src/index.js';
import { type BenchRow, medianMs } from './benchTiming.js';

/** Exact circular spectral norm (FFT + per-frequency Gram eigenvalues), the 64→64 3×3 on 32×32 case. */
export function spectralNormBenchmark(): BenchRow[] {
  const random = createSeededRandom(3);
  const rows: BenchRow[] = [];
  for (const [channels, size] of [
    [64, 32],
    [128, 16],
    [64, 28],
  ] as const) {
    const bound = 1 / Math.sqrt(channels * 9);
    const kernel = convKernel(
      [channels, channels, 3, 3],
      gaussianArray(random, channels * channels * 9).map((x) => x * bound),
    );
    let value = 0;
    const ms = medianMs(() => {
      value = spectralNormExactCircular(kernel, size, size).value;
    }, 3);
    rows.push({
      task: `σ_max ${channels}→${channels} 3×3 on ${size}×${size}`,
      method: 'spectralNormExactCircular',
      medianMs: ms,
      note: `σ = ${value.toFixed(4)}${channels === 64 && size === 32 ? '; PyTorch/LAPACK 1.24 s, target ≤ 1.86 s' : ''}`,
    });
  }
  const channels = 64;
  const kernel = convKernel(
    [channels, channels, 3, 3],
    gaussianArray(random, channels * channels * 9).map((x) => x / 24),
  );
  const exact = spectralNormExactCircular(kernel, 32, 32).value;
  let gram = 0;
  rows.push({
    task: '64→64 3×3 on 32×32',
    method: 'spectralNormGramIteration (8 it., upper bound)',
    medianMs: medianMs(() => {
      gram = spectralNormGramIteration(kernel, 32, 32).value;
    }, 1),
    note: `bound/exact − 1 = ${(gram / exact - 1).toExponential(1)}`,
  });
  const geometry = conv2dGeometry(kernel.shape, [channels, 32, 32], { padding: 1 });
  let estimate = 0;
  rows.push({
    task: '64→64 3×3 on 32×32, zero pad',
    method: 'conv2dPowerIteration (100 it., estimate)',
    medianMs: medianMs(() => {
      estimate = conv2dPowerIteration(kernel, geometry).value;
    }, 1),
    note: `estimate ${estimate.toFixed(4)}`,
  });
  let bound = 0;
  rows.push({
    task: '64→64 3×3 on 32×32, zero pad',
    method: 'conv2dSpectralNormUpperBound (FFT on 34×34)',
    medianMs: medianMs(() => {
      bound = conv2dSpectralNormUpperBound(kernel, geometry).value;
    }, 1),
    note: `upper bound ${bound.toFixed(4)}`,
  });
  return rows;
}
