import { type Conv2dGeometry, type ConvKernel, conv2dInputSize, conv2dOutputSize } from './conv2dOperator.js';
import { conjugateFrequency, frequencyGramMatrices, spectralNormExactCircular } from './convSpectrum.js';
import { NumericCoreError } from './numericCoreError.js';

/**
 * Relative safety margin applied to computed upper bounds so that float64 rounding in the Frobenius norms, Gram
 * products and eigenvalues (relative errors ≲ n·1e-15 at the sizes used) cannot push a bound below the true value.
 */
export const upperBoundRoundingMargin = 1e-9;

/** A certified upper bound on a spectral norm. */
export interface SpectralNormUpperBound {
  readonly value: number;
  readonly kind: 'upperBound';
  /** How it was obtained, e.g. `gram-iteration`, `fft-padded-grid`, `fft-circular`. */
  readonly method: string;
}

/**
 * Certified upper bound on σ_max of the stride-1 circular convolution on an H×W grid by Gram iteration (Delattre,
 * Barthélemy, Araujo & Allauzen, ICML 2023, "Efficient bound of Lipschitz constant for convolutional layers by Gram
 * iteration", Alg. 1 + Thm 3), per frequency: G₁(ω) = F(ω)F(ω)ᴴ (formed from the kernel autocorrelation), then
 * G_{t+1} = (G_t/r_t)² with r_t = ‖G_t‖_F. Since σ₁(G_T) ≤ ‖G_T‖_F,
 * σ_max(F(ω)) ≤ (‖G_T‖_F · Π_t r_t^{2^{T−t}})^{1/2^T}, tracked in logarithms (no overflow). The bound decreases
 * to σ_max quadratically in T (bound/σ_max ≤ n^{1/2^{T+1}} for an n×n G₁). The maximum over frequencies is returned,
 * times (1 + {@link upperBoundRoundingMargin}).
 *
 * @param options.iterations T ≥ 1 (default 6: worst-case ratio n^{1/128}, 1.033 for n = 64 with a flat top spectrum; about
 *   1 + 1e-9 on random kernels, see the benchmark).
 */
export function spectralNormGramIteration(
  kernel: ConvKernel,
  height: number,
  width: number,
  options: { iterations?: number } = {},
): SpectralNormUpperBound {
  const iterations = options.iterations ?? 6;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new NumericCoreError('iterations', `got ${iterations}`, 'a positive integer');
  }
  const gram = frequencyGramMatrices(kernel, height, width);
  const n = gram.side;
  const squareRe = new Float64Array(n * n);
  const squareIm = new Float64Array(n * n);
  let best = 0;
  for (let u = 0; u < height; u++)
    for (let v = 0; v < width; v++) {
      if (conjugateFrequency(u, v, height, width) < u * width + v) continue;
      const { re, im } = gram.at(u, v);
      // log σ₁(F)² ≤ (log‖G_T‖_F + Σ_t 2^{T−t} log r_t) / 2^{T−1}, with G₁ = F Fᴴ.
      let logScale = 0;
      for (let t = 1; t < iterations; t++) {
        const r = frobeniusNorm(re, im);
        if (r === 0) break;
        for (let i = 0; i < n * n; i++) {
          re[i]! /= r;
          im[i]! /= r;
        }
        logScale = 2 * (logScale + Math.log(r));
        hermitianSquare(re, im, squareRe, squareIm, n);
        re.set(squareRe);
        im.set(squareIm);
      }
      const r = frobeniusNorm(re, im);
      if (r === 0) continue;
      const logSigmaSquared = (Math.log(r) + logScale) / 2 ** (iterations - 1);
      best = Math.max(best, Math.exp(logSigmaSquared / 2));
    }
  return { value: best * (1 + upperBoundRoundingMargin), kind: 'upperBound', method: 'gram-iteration' };
}

function frobeniusNorm(re: Float64Array, im: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < re.length; i++) sum += re[i]! * re[i]! + im[i]! * im[i]!;
  return Math.sqrt(sum);
}

/** out = G·G for Hermitian G (both triangles stored): (G²)_ij = Σ_k G_ik·conj(G_jk), lower triangle, mirrored. */
function hermitianSquare(
  re: Float64Array,
  im: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
  n: number,
): void {
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let sRe = 0;
      let sIm = 0;
      for (let k = 0; k < n; k++) {
        const ar = re[i * n + k]!;
        const ai = im[i * n + k]!;
        const br = re[j * n + k]!;
        const bi = im[j * n + k]!;
        sRe += ar * br + ai * bi;
        sIm += ai * br - ar * bi;
      }
      outRe[i * n + j] = sRe;
      outIm[i * n + j] = sIm;
      outRe[j * n + i] = sRe;
      outIm[j * n + i] = -sIm;
    }
}

/** Largest number of output indices i < outputSize that read the same torus row (i·stride + a − pad) mod size. */
function maxWrapMultiplicity(outputSize: number, stride: number, size: number): number {
  const counts = new Int32Array(size);
  let worst = 0;
  for (let i = 0; i < outputSize; i++) {
    const r = (i * stride) % size;
    counts[r]!++;
    worst = Math.max(worst, counts[r]!);
  }
  return worst;
}

/**
 * Certified upper bound on the spectral norm of any conv of {@link conv2dGeometry} (float64), via the exact
 * FFT spectrum (`method: 'fft'`, default) or Gram iteration (`'gram'`) of a circular conv that dominates it:
 * - zero padding: the conv is a restriction of the stride-1 circular conv on the padded
 *   (H + top + bottom)×(W + left + right) grid: y = S·C·E with E the isometric zero embedding of x into the padded
 *   torus (the wrapped reads land on padding zeros) and S a row selection (subsampling for strides, ‖S‖ ≤ 1), so
 *   ‖A‖ ≤ ‖C‖ (Delattre et al. 2024, "Spectral norm of convolutional layers with circular and zero paddings").
 * - circular padding: output row i reads torus row (i·sh + a − top) mod H, so A = S·C with C the stride-1 circular
 *   conv on the H×W torus and S a selection that may repeat a torus row m times when the output wraps around
 *   (large padding): ‖A‖ ≤ √(m_h·m_w)·‖C‖. For s | H and exact 'same' sizes prefer the exact strided
 *   {@link spectralNormExactCircular}.
 */
export function conv2dSpectralNormUpperBound(
  kernel: ConvKernel,
  geometry: Conv2dGeometry,
  options: { method?: 'fft' | 'gram'; iterations?: number } = {},
): SpectralNormUpperBound {
  const g = geometry;
  if (conv2dInputSize(g) === 0 || conv2dOutputSize(g) === 0)
    throw new NumericCoreError('geometry', 'is empty', 'a conv geometry');
  const method = options.method ?? 'fft';
  if (method !== 'fft' && method !== 'gram')
    throw new NumericCoreError('method', `got ${String(method)}`, "'fft' or 'gram'");
  const circularNorm = (h: number, w: number): number =>
    method === 'fft'
      ? spectralNormExactCircular(kernel, h, w).value * (1 + upperBoundRoundingMargin)
      : spectralNormGramIteration(
          kernel,
          h,
          w,
          options.iterations === undefined ? {} : { iterations: options.iterations },
        ).value;
  if (g.paddingMode === 'zeros') {
    const value = circularNorm(g.inputHeight + g.padTop + g.padBottom, g.inputWidth + g.padLeft + g.padRight);
    return { value, kind: 'upperBound', method: `${method === 'fft' ? 'fft' : 'gram-iteration'}-padded-grid` };
  }
  const multiplicity =
    maxWrapMultiplicity(g.outputHeight, g.strideHeight, g.inputHeight) *
    maxWrapMultiplicity(g.outputWidth, g.strideWidth, g.inputWidth);
  const value = circularNorm(g.inputHeight, g.inputWidth) * Math.sqrt(multiplicity);
  return { value, kind: 'upperBound', method: `${method === 'fft' ? 'fft' : 'gram-iteration'}-circular` };
}
