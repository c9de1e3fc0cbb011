/** A rigorous upper bound on the spectral norm of a conv2d operator (zero or circular padding, any stride). */
import type { Conv2dGeometry, ConvKernel } from './conv2dOperator.js';
import { spectralNormExactCircular } from './convSpectrum.js';
import type { NormBound } from './layerOperator.js';

/**
 * σ_max of a conv layer, bounded through the exact circular spectrum (Sedghi, Gupta & Long 2019):
 * - zero padding: the stride-1 conv is a restriction of the circular conv on the padded (H+pt+pb)×(W+pl+pr) grid
 *   (embed x with zeros, convolve circularly, keep the outputs whose window does not wrap), and striding only drops
 *   rows, so ‖A‖ ≤ σ_max(circular conv on the padded grid);
 * - circular padding: the stride-1 output rows are rows of the circular conv on the H×W grid, repeated
 *   ⌈H₁/H⌉·⌈W₁/W⌉ times at most (H₁ = stride-1 output height), so ‖A‖ ≤ √(⌈H₁/H⌉⌈W₁/W⌉)·σ_max(circular on H×W).
 * The result is multiplied by (1 + 1e-12) to cover the eigensolver's float64 rounding.
 */
export function convSpectralNormUpperBound(kernel: ConvKernel, g: Conv2dGeometry): NormBound {
  const safety = 1 + 1e-12;
  if (g.paddingMode === 'zeros') {
    const height = g.inputHeight + g.padTop + g.padBottom;
    const width = g.inputWidth + g.padLeft + g.padRight;
    const s = spectralNormExactCircular(kernel, height, width, { padding: [0, 0] });
    return { value: s.value * safety, method: 'fft-padded-grid' };
  }
  const h1 = g.inputHeight + g.padTop + g.padBottom - g.kernelHeight + 1;
  const w1 = g.inputWidth + g.padLeft + g.padRight - g.kernelWidth + 1;
  const repeats = Math.ceil(h1 / g.inputHeight) * Math.ceil(w1 / g.inputWidth);
  const s = spectralNormExactCircular(kernel, g.inputHeight, g.inputWidth, { padding: [g.padTop, g.padLeft] });
  return { value: Math.sqrt(repeats) * s.value * safety, method: 'fft-padded-grid' };
}
