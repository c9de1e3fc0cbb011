import { convKernel, createSeededRandom, gaussianArray, spectralNormExactCircular } from '../src/index.js';
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
  return rows;
}
