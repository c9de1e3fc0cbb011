import {
  type ConvKernel,
  conjugateFrequency,
  type DenseMatrix,
  frequencyGramMatrices,
  frequencyMatricesToPlane,
  hermitianEigenInPlace,
  NumericCoreError,
  planeFrequencyMatrices,
  singularValueDecomposition,
  singularValues,
} from '@lipkit/lipschitz-bounds';
import { cropKernel, embedKernel } from './kernelSupportMask.js';
import { assertProjectionLimit, assertProjectionMode, type ProjectionMode } from './projectionLimits.js';

/** Options of {@link projectSpectralBall}. */
export interface SpectralBallOptions {
  /**
   * The layer's input grid [H, W] on which the conv is a stride-1 circular conv (default: the kernel's own size).
   * The kernel is embedded at the top-left of H×W planes first.
   */
  grid?: readonly [number, number];
  /** `orthogonal` (default): per-frequency singular-value clipping; `radial`: rescale by limit/σ_max if above. */
  mode?: ProjectionMode;
}

/** Rows of the smaller side of the top-left (eh × ew) support where the plane is non-zero. */
function supportExtent(plane: ConvKernel): [number, number] {
  const [cout, cin, h, w] = plane.shape;
  let rows = 0;
  let cols = 0;
  for (let p = 0; p < cout * cin; p++)
    for (let a = 0; a < h; a++)
      for (let b = 0; b < w; b++)
        if (plane.data[(p * h + a) * w + b] !== 0) {
          rows = Math.max(rows, a + 1);
          cols = Math.max(cols, b + 1);
        }
  return [Math.max(rows, 1), Math.max(cols, 1)];
}

/**
 * Projection of a conv kernel onto the spectral-norm ball {K : σ_max(circular conv of K on the H×W grid) ≤ limit}
 * (excess-capacity spec §4.1), float64, for kernels in PyTorch layout [Cout, Cin, kh, kw].
 *
 * `orthogonal`: the exact Frobenius-orthogonal projection (Sedghi, Gupta & Long 2019, §4): with F(ω) the Cout×Cin
 * DFT matrices of the embedded kernel, F'(ω) = F(ω) − Σ_{σ_i > limit} (σ_i − limit)·u_i v_iᴴ at every frequency,
 * then the real inverse DFT. Only the singular values above the limit are touched: the per-frequency Gram matrix
 * G = N·Nᴴ (N = F or Fᵀ, whichever has fewer rows) is eigen-decomposed for values first, and eigenvectors w_i are
 * computed only when some σ_i² = λ_i exceeds limit²; then N ← N − Σ_i (1 − limit/σ_i)·w_i(w_iᴴN), a rank-k
 * correction. Frequencies already inside the ball cost one tridiagonalisation; F(−ω) = conj F(ω) halves the work.
 * When the plane is supported on a small top-left block, G comes from the kernel autocorrelation instead of N·Nᴴ.
 * The result is a full [Cout, Cin, H, W] plane (mask it with {@link maskKernelSupport} to get back a kh×kw kernel).
 * The stride is ignored, as in the original: the stride-1 norm bounds the strided layer's norm from above.
 *
 * `radial`: K·limit/σ_max when σ_max > limit, with the exact σ_max (the original uses a 10-step warm-started power
 * iteration, an estimate from below, so its radial projection can land slightly outside the ball).
 *
 * `limit = Infinity` returns the embedded kernel unchanged without any spectral work.
 * @throws NumericCoreError for a NaN/negative limit, a kernel larger than the grid, or non-finite entries.
 */
export function projectSpectralBall(kernel: ConvKernel, limit: number, options: SpectralBallOptions = {}): ConvKernel {
  assertProjectionLimit('limit', limit);
  const mode = options.mode ?? 'orthogonal';
  assertProjectionMode(mode);
  const [cout, cin, kh, kw] = kernel.shape;
  const [height, width] = options.grid ?? [kh, kw];
  const plane = embedKernel(kernel, [height, width]);
  for (let i = 0; i < plane.data.length; i++) {
    if (!Number.isFinite(plane.data[i]!))
      throw new NumericCoreError('kernel.data', `entry ${i} is not finite`, 'finite numbers');
  }
  if (limit === Number.POSITIVE_INFINITY) return plane;
  const transposed = cout > cin;
  const n = transposed ? cin : cout;
  const len = transposed ? cout : cin;
  const pairs = cout * cin;
  const [eh, ew] = supportExtent(plane);
  const gram =
    (2 * eh - 1) * (2 * ew - 1) < 2 * len ? frequencyGramMatrices(cropKernel(plane, eh, ew), height, width) : null;
  const spectrum =
    gram === null || mode === 'orthogonal' ? planeFrequencyMatrices(plane.data, cout, cin, height, width) : null;
  const limitSquared = limit * limit;
  const gRe = new Float64Array(n * n);
  const gIm = new Float64Array(n * n);
  const nRe = new Float64Array(n * len);
  const nIm = new Float64Array(n * len);
  const yRe = new Float64Array(len);
  const yIm = new Float64Array(len);
  let sigmaMax = 0;
  let clipped = false;
  for (let u = 0; u < height; u++)
    for (let v = 0; v < width; v++) {
      const f = u * width + v;
      const mirror = conjugateFrequency(u, v, height, width);
      if (mirror < f) continue;
      if (spectrum !== null) {
        for (let o = 0; o < cout; o++)
          for (let c = 0; c < cin; c++) {
            const target = transposed ? c * len + o : o * len + c;
            nRe[target] = spectrum.re[f * pairs + o * cin + c]!;
            nIm[target] = spectrum.im[f * pairs + o * cin + c]!;
          }
      }
      if (gram !== null) {
        const g = gram.at(u, v);
        gRe.set(g.re);
        gIm.set(g.im);
      } else {
        // Lower triangle of N·Nᴴ (all the eigensolver reads).
        for (let i = 0; i < n; i++)
          for (let j = 0; j <= i; j++) {
            let sRe = 0;
            let sIm = 0;
            for (let k = 0; k < len; k++) {
              const ar = nRe[i * len + k]!;
              const ai = nIm[i * len + k]!;
              const br = nRe[j * len + k]!;
              const bi = nIm[j * len + k]!;
              sRe += ar * br + ai * bi;
              sIm += ai * br - ar * bi;
            }
            gRe[i * n + j] = sRe;
            gIm[i * n + j] = sIm;
          }
      }
      const eigen = hermitianEigenInPlace(
        gRe,
        gIm,
        n,
        mode === 'orthogonal' ? (lambda) => lambda > limitSquared : null,
      );
      sigmaMax = Math.max(sigmaMax, Math.sqrt(Math.max(eigen.values[0]!, 0)));
      if (eigen.count === 0 || spectrum === null) continue;
      clipped = true;
      for (let e = 0; e < eigen.count; e++) {
        const shrink = 1 - limit / Math.sqrt(eigen.values[e]!);
        const w = e * n;
        yRe.fill(0);
        yIm.fill(0);
        for (let r = 0; r < n; r++) {
          const wr = eigen.vectorsRe[w + r]!;
          const wi = eigen.vectorsIm[w + r]!;
          for (let j = 0; j < len; j++) {
            const ar = nRe[r * len + j]!;
            const ai = nIm[r * len + j]!;
            yRe[j]! += wr * ar + wi * ai;
            yIm[j]! += wr * ai - wi * ar;
          }
        }
        for (let r = 0; r < n; r++) {
          const wr = shrink * eigen.vectorsRe[w + r]!;
          const wi = shrink * eigen.vectorsIm[w + r]!;
          for (let j = 0; j < len; j++) {
            nRe[r * len + j]! -= wr * yRe[j]! - wi * yIm[j]!;
            nIm[r * len + j]! -= wr * yIm[j]! + wi * yRe[j]!;
          }
        }
      }
      for (let o = 0; o < cout; o++)
        for (let c = 0; c < cin; c++) {
          const source = transposed ? c * len + o : o * len + c;
          spectrum.re[f * pairs + o * cin + c] = nRe[source]!;
          spectrum.im[f * pairs + o * cin + c] = nIm[source]!;
          spectrum.re[mirror * pairs + o * cin + c] = nRe[source]!;
          spectrum.im[mirror * pairs + o * cin + c] = -nIm[source]!;
        }
    }
  if (mode === 'radial') {
    if (sigmaMax <= limit) return plane;
    const scale = limit / sigmaMax;
    return { shape: plane.shape, data: plane.data.map((x) => x * scale) };
  }
  if (!clipped || spectrum === null) return plane;
  return {
    shape: plane.shape,
    data: frequencyMatricesToPlane(spectrum.re, spectrum.im, cout, cin, height, width),
  };
}

/**
 * Projection of a dense weight [out, in] onto {A : σ_max(A) ≤ limit} (spec §4.1, fc): `orthogonal` clips the
 * singular values above the limit, A − Σ_{σ_i > limit} (σ_i − limit)·u_i v_iᵀ (one-sided Jacobi SVD, float64);
 * `radial` rescales by limit/σ_max with the exact σ_max. `Infinity` returns a copy.
 * @throws NumericCoreError for a NaN/negative limit or a bad matrix.
 */
export function projectDenseSpectralBall(
  matrix: DenseMatrix,
  limit: number,
  options: { mode?: ProjectionMode } = {},
): DenseMatrix {
  assertProjectionLimit('limit', limit);
  const mode = options.mode ?? 'orthogonal';
  assertProjectionMode(mode);
  const data = Float64Array.from(matrix.data);
  if (limit === Number.POSITIVE_INFINITY) return { rows: matrix.rows, cols: matrix.cols, data };
  if (mode === 'radial') {
    const sigma = singularValues(matrix)[0]!;
    if (sigma > limit) for (let i = 0; i < data.length; i++) data[i]! *= limit / sigma;
    return { rows: matrix.rows, cols: matrix.cols, data };
  }
  const { u, s, v } = singularValueDecomposition(matrix);
  for (let k = 0; k < s.length && s[k]! > limit; k++) {
    const excess = s[k]! - limit;
    for (let i = 0; i < matrix.rows; i++) {
      const ui = excess * u.data[i * u.cols + k]!;
      for (let j = 0; j < matrix.cols; j++) data[i * matrix.cols + j]! -= ui * v.data[j * v.cols + k]!;
    }
  }
  return { rows: matrix.rows, cols: matrix.cols, data };
}
