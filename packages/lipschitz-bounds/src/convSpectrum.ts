import type { ConvKernel } from './conv2dOperator.js';
import { fourierTransform2d } from './fourierTransform.js';
import { hermitianEigenInPlace } from './hermitianEigen.js';
import { assertLength, assertPositiveInteger, NumericCoreError } from './numericCoreError.js';

/**
 * Checks that the kernel's data matches its shape and that a kh×kw kernel fits the H×W grid; returns the shape.
 * @throws NumericCoreError otherwise (the excess-capacity layers apply their kernel surgery first, spec §6.2).
 */
export function assertKernelFitsGrid(
  kernel: ConvKernel,
  height: number,
  width: number,
): readonly [number, number, number, number] {
  assertPositiveInteger('height', height);
  assertPositiveInteger('width', width);
  const [cout, cin, kh, kw] = kernel.shape;
  assertLength('kernel.data', kernel.data, cout * cin * kh * kw);
  if (kh > height || kw > width) {
    throw new NumericCoreError(
      'kernel.shape',
      `kernel ${kh}×${kw} is larger than the ${height}×${width} grid`,
      'a kernel no larger than the input grid (apply the kernel surgery first)',
    );
  }
  return kernel.shape;
}

/**
 * Places a `[Cout, Cin, kh, kw]` kernel into zero `Cout×Cin×H×W` planes, tap (a, b) at plane position
 * `((a − top) mod H, (b − left) mod W)`. With `(top, left)` the conv's top/left padding this plane is the exact
 * stride-1 circular cross-correlation `z[i] = Σ_t plane[t]·x[i + t]`; `(0, 0)` (the default) is the top-left
 * embedding of the excess-capacity code (spec §4.3), which differs only by a phase per frequency.
 *
 * @throws NumericCoreError when the kernel is larger than the H×W grid or the sizes are invalid.
 */
export function embedKernelInPlane(
  kernel: ConvKernel,
  height: number,
  width: number,
  offset: readonly [number, number] = [0, 0],
): Float64Array {
  const [cout, cin, kh, kw] = assertKernelFitsGrid(kernel, height, width);
  const [top, left] = offset;
  const plane = new Float64Array(cout * cin * height * width);
  for (let p = 0; p < cout * cin; p++)
    for (let a = 0; a < kh; a++) {
      const r = (((a - top) % height) + height) % height;
      for (let b = 0; b < kw; b++) {
        const s = (((b - left) % width) + width) % width;
        plane[(p * height + r) * width + s] = kernel.data[(p * kh + a) * kw + b]!;
      }
    }
  return plane;
}

/**
 * The 2-D DFT of every (o, c) plane of a real `Cout×Cin×H×W` array, rearranged frequency-major: the complex
 * Cout×Cin matrix of frequency (u, v) is `re/im[((u·W + v)·Cout + o)·Cin + c]` (Sedghi, Gupta & Long 2019,
 * "The singular values of convolutional layers", ICLR: the stride-1 circular conv is unitarily similar to the
 * block-diagonal matrix of these H·W matrices).
 */
export function planeFrequencyMatrices(
  plane: Float64Array,
  cout: number,
  cin: number,
  height: number,
  width: number,
): { re: Float64Array; im: Float64Array } {
  const size = height * width;
  assertLength('plane', plane, cout * cin * size);
  const re = Float64Array.from(plane);
  const im = new Float64Array(plane.length);
  fourierTransform2d(re, im, cout * cin, height, width, false);
  const outRe = new Float64Array(plane.length);
  const outIm = new Float64Array(plane.length);
  const pairs = cout * cin;
  for (let p = 0; p < pairs; p++)
    for (let f = 0; f < size; f++) {
      outRe[f * pairs + p] = re[p * size + f]!;
      outIm[f * pairs + p] = im[p * size + f]!;
    }
  return { re: outRe, im: outIm };
}

/**
 * Inverse of {@link planeFrequencyMatrices}: frequency-major complex matrices back to a real `Cout×Cin×H×W` plane
 * (the real part of the inverse 2-D DFT; exact when the matrices are conjugate-symmetric, F(−ω) = conj F(ω)).
 */
export function frequencyMatricesToPlane(
  re: Float64Array,
  im: Float64Array,
  cout: number,
  cin: number,
  height: number,
  width: number,
): Float64Array {
  const size = height * width;
  const pairs = cout * cin;
  assertLength('re', re, pairs * size);
  assertLength('im', im, pairs * size);
  const planeRe = new Float64Array(pairs * size);
  const planeIm = new Float64Array(pairs * size);
  for (let p = 0; p < pairs; p++)
    for (let f = 0; f < size; f++) {
      planeRe[p * size + f] = re[f * pairs + p]!;
      planeIm[p * size + f] = im[f * pairs + p]!;
    }
  fourierTransform2d(planeRe, planeIm, pairs, height, width, true);
  return planeRe;
}

/** Index of the frequency −(u, v) on an H×W grid. */
export function conjugateFrequency(u: number, v: number, height: number, width: number): number {
  return ((height - u) % height) * width + ((width - v) % width);
}

/** Result of {@link spectralNormExactCircular}. */
export interface CircularSpectralNorm {
  /** σ_max of the circular conv operator on the H×W grid (float64). */
  readonly value: number;
  /**
   * `exact`: computed, not estimated, up to float64 rounding (Householder + QL are backward stable; relative error
   * ≲ n·1e-15 of σ_max). Not an estimate from below like the power iteration.
   */
  readonly kind: 'exact';
  /** Output-grid frequency (u, v) where the maximum is attained. */
  readonly frequency: readonly [number, number];
  /** Number of frequency blocks (H·W/(sh·sw)); each block has `blockSize` singular values. */
  readonly frequencyCount: number;
  readonly blockSize: number;
  /**
   * With `allSingularValues`: every singular value of the operator, block-major (block f = u·W' + v on the output
   * grid), decreasing within a block. They come from the Gram matrix, so values far below σ_max carry an absolute
   * error of about ε·σ_max²/σ (use {@link singularValues} on the dense matrix for high relative accuracy).
   */
  readonly singularValues?: Float64Array;
}

/** Options of {@link spectralNormExactCircular}. */
export interface CircularSpectralNormOptions {
  /** Stride s or [sh, sw] (default 1); must divide H and W. */
  stride?: number | readonly [number, number];
  /** Top/left padding of the circular conv (default ⌊kh/2⌋, ⌊kw/2⌋). It matters only for strides > 1. */
  padding?: readonly [number, number];
  /** Also return every singular value (default false). */
  allSingularValues?: boolean;
}

/**
 * Exact spectral norm (largest singular value) of the circular convolution
 * `y[o,i,j] = Σ_{c,a,b} K[o,c,a,b] · x[c, (i·sh + a − top) mod H, (j·sw + b − left) mod W]` on an H×W grid, in float64.
 *
 * Stride 1 (Sedghi, Gupta & Long 2019, Thm 6): σ_max = max over the H·W frequencies ω of σ_max(F(ω)), F(ω) the
 * Cout×Cin matrix of 2-D DFTs of the embedded kernel. Stride s (s | H, s | W): subsampling aliases the input
 * frequencies ω' + m·(H/sh, W/sw), so the operator is block-diagonal with the Cout×(Cin·sh·sw) blocks
 * (1/√(sh·sw))·[F(ω' + m)]_m, one per output frequency ω' (this is the true strided operator, unlike the stride-1
 * proxy of the original code, spec §2.3). Each block's singular values are the square roots of the eigenvalues of its
 * Gram matrix on the smaller side, by Householder tridiagonalisation + implicit QL. Real kernels give
 * F(−ω) = conj F(ω), so only half of the blocks are decomposed.
 *
 * @throws NumericCoreError when the kernel is larger than the grid or the stride does not divide H and W.
 */
export function spectralNormExactCircular(
  kernel: ConvKernel,
  height: number,
  width: number,
  options: CircularSpectralNormOptions = {},
): CircularSpectralNorm {
  const [, , kh, kw] = kernel.shape;
  const [sh, sw] = typeof options.stride === 'object' ? options.stride : [options.stride ?? 1, options.stride ?? 1];
  assertPositiveInteger('stride', sh);
  assertPositiveInteger('stride', sw);
  assertPositiveInteger('height', height);
  assertPositiveInteger('width', width);
  if (height % sh !== 0 || width % sw !== 0) {
    throw new NumericCoreError(
      'stride',
      `[${sh}, ${sw}] does not divide the ${height}×${width} grid`,
      'strides dividing H and W (the stride-1 norm is an upper bound otherwise)',
    );
  }
  for (let i = 0; i < kernel.data.length; i++) {
    if (!Number.isFinite(kernel.data[i]!)) {
      throw new NumericCoreError('kernel.data', `entry ${i} is not finite`, 'finite numbers');
    }
  }
  assertKernelFitsGrid(kernel, height, width);
  const padding = options.padding ?? [Math.floor(kh / 2), Math.floor(kw / 2)];
  const blocks = (height / sh) * (width / sw);
  const gram =
    sh === 1 && sw === 1
      ? frequencyGramMatrices(kernel, height, width)
      : stridedBlockGram(kernel, height, width, sh, sw, padding);
  const side = gram.side;
  const all = options.allSingularValues === true ? new Float64Array(blocks * side) : undefined;
  const outW = width / sw;
  let best = -1;
  let bestBlock = 0;
  for (let block = 0; block < blocks; block++) {
    const u = Math.floor(block / outW);
    const v = block % outW;
    const mirror = conjugateFrequency(u, v, height / sh, outW);
    if (mirror < block) continue;
    const { re, im } = gram.at(u, v);
    const { values } = hermitianEigenInPlace(re, im, side, null);
    const top = Math.sqrt(Math.max(values[0]!, 0));
    if (top > best) {
      best = top;
      bestBlock = block;
    }
    if (all !== undefined) {
      for (let k = 0; k < side; k++) {
        const sigma = Math.sqrt(Math.max(values[k]!, 0));
        all[block * side + k] = sigma;
        all[mirror * side + k] = sigma;
      }
    }
  }
  return {
    value: best,
    kind: 'exact',
    frequency: [Math.floor(bestBlock / outW), bestBlock % outW],
    frequencyCount: blocks,
    blockSize: side,
    ...(all === undefined ? {} : { singularValues: all }),
  };
}

/** Per-frequency Gram matrices (n×n Hermitian, both triangles) whose eigenvalues are the blocks' σ². */
export interface FrequencyGram {
  readonly side: number;
  /** The Gram matrix of output frequency (u, v), in reused buffers (valid until the next call). */
  at(u: number, v: number): { re: Float64Array; im: Float64Array };
}

/**
 * Stride 1: G(ω) = F(ω)F(ω)ᴴ = Σ_Δ R[Δ]·e^{−2πi(u·Δa/H + v·Δb/W)} with the real kernel autocorrelation
 * R[Δ] = Σ_{t − t' = Δ} K_t K_{t'}ᵀ over the (2kh−1)(2kw−1) tap offsets Δ (K_t the Cout×Cin tap matrix). Costs
 * (2kh−1)(2kw−1)·n² per frequency instead of the n³ of forming F·Fᴴ, and needs no FFT. On the smaller side:
 * for Cout > Cin the transposed kernel is used (Fᴴ F = conj(Fᵀ conj(F)) has the same eigenvalues).
 */
export function frequencyGramMatrices(kernel: ConvKernel, height: number, width: number): FrequencyGram {
  assertKernelFitsGrid(kernel, height, width);
  const [cout, cin, kh, kw] = kernel.shape;
  const transposed = cout > cin;
  const n = transposed ? cin : cout;
  const inner = transposed ? cout : cin;
  const taps = kh * kw;
  // tapMatrices[t] is n×inner: K_t (or K_tᵀ).
  const tapMatrices = new Float64Array(taps * n * inner);
  for (let o = 0; o < cout; o++)
    for (let c = 0; c < cin; c++)
      for (let t = 0; t < taps; t++) {
        const value = kernel.data[(o * cin + c) * taps + t]!;
        const [i, k] = transposed ? [c, o] : [o, c];
        tapMatrices[(t * n + i) * inner + k] = value;
      }
  const offsetsH = 2 * kh - 1;
  const offsetsW = 2 * kw - 1;
  const correlation = new Float64Array(offsetsH * offsetsW * n * n);
  const offsetCount = offsetsH * offsetsW;
  const centre = (offsetCount - 1) / 2;
  // R[−Δ] = R[Δ]ᵀ: accumulate the offsets Δ ≥ 0 (in offset order) only, then mirror.
  for (let t = 0; t < taps; t++)
    for (let t2 = 0; t2 < taps; t2++) {
      const da = Math.floor(t / kw) - Math.floor(t2 / kw) + kh - 1;
      const db = (t % kw) - (t2 % kw) + kw - 1;
      const offset = da * offsetsW + db;
      if (offset < centre) continue;
      const base = offset * n * n;
      for (let i = 0; i < n; i++) {
        const rowI = (t * n + i) * inner;
        for (let j = 0; j < n; j++) {
          const rowJ = (t2 * n + j) * inner;
          let sum = 0;
          for (let k = 0; k < inner; k++) sum += tapMatrices[rowI + k]! * tapMatrices[rowJ + k]!;
          correlation[base + i * n + j]! += sum;
        }
      }
    }
  for (let offset = 0; offset < centre; offset++) {
    const target = offset * n * n;
    const source = (offsetCount - 1 - offset) * n * n;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) correlation[target + i * n + j] = correlation[source + j * n + i]!;
  }
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  return {
    side: n,
    at(u, v) {
      re.fill(0);
      im.fill(0);
      for (let da = 0; da < offsetsH; da++)
        for (let db = 0; db < offsetsW; db++) {
          const angle = -2 * Math.PI * ((u * (da - kh + 1)) / height + (v * (db - kw + 1)) / width);
          const c = Math.cos(angle);
          const s = Math.sin(angle);
          const base = (da * offsetsW + db) * n * n;
          for (let i = 0; i < n; i++) {
            const row = i * n;
            for (let j = 0; j <= i; j++) {
              const r = correlation[base + row + j]!;
              re[row + j]! += r * c;
              im[row + j]! += r * s;
            }
          }
        }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < i; j++) {
          re[j * n + i] = re[i * n + j]!;
          im[j * n + i] = -im[i * n + j]!;
        }
      return { re, im };
    },
  };
}

/**
 * Stride (sh, sw): the block of output frequency ω' is M = (1/√(sh·sw))·[F(ω' + m)]_m (Cout × Cin·sh·sw, the
 * aliased input frequencies ω' + (m1·H/sh, m2·W/sw)); its Gram on the smaller side is formed explicitly.
 */
function stridedBlockGram(
  kernel: ConvKernel,
  height: number,
  width: number,
  sh: number,
  sw: number,
  padding: readonly [number, number],
): FrequencyGram {
  const [cout, cin] = kernel.shape;
  const { re: fRe, im: fIm } = kernelFrequencyMatrices(kernel, height, width, padding);
  const outH = height / sh;
  const outW = width / sw;
  const aliases = sh * sw;
  const blockCols = cin * aliases;
  const side = Math.min(cout, blockCols);
  const len = Math.max(cout, blockCols);
  const scale = 1 / Math.sqrt(aliases);
  const nRe = new Float64Array(side * len);
  const nIm = new Float64Array(side * len);
  const gRe = new Float64Array(side * side);
  const gIm = new Float64Array(side * side);
  const pairs = cout * cin;
  return {
    side,
    at(u, v) {
      for (let m1 = 0; m1 < sh; m1++)
        for (let m2 = 0; m2 < sw; m2++) {
          const f = (u + m1 * outH) * width + (v + m2 * outW);
          const m = m1 * sw + m2;
          for (let o = 0; o < cout; o++)
            for (let c = 0; c < cin; c++) {
              const source = f * pairs + o * cin + c;
              const column = m * cin + c;
              const target = cout <= blockCols ? o * len + column : column * len + o;
              nRe[target] = scale * fRe[source]!;
              nIm[target] = scale * fIm[source]!;
            }
        }
      for (let i = 0; i < side; i++)
        for (let j = 0; j <= i; j++) {
          let sRe = 0;
          let sIm = 0;
          const bi = i * len;
          const bj = j * len;
          for (let k = 0; k < len; k++) {
            const ar = nRe[bi + k]!;
            const ai = nIm[bi + k]!;
            const br = nRe[bj + k]!;
            const bim = nIm[bj + k]!;
            sRe += ar * br + ai * bim;
            sIm += ai * br - ar * bim;
          }
          gRe[i * side + j] = sRe;
          gIm[i * side + j] = sIm;
          gRe[j * side + i] = sRe;
          gIm[j * side + i] = -sIm;
        }
      return { re: gRe, im: gIm };
    },
  };
}

/**
 * The frequency-major Cout×Cin matrices F(u, v) = Σ_{a,b} K[:,:,a,b]·e^{−2πi(u·r_a/H + v·s_b/W)} of a kernel whose
 * tap (a, b) sits at plane position (r_a, s_b) = ((a − top) mod H, (b − left) mod W) — the same numbers as
 * {@link planeFrequencyMatrices} of {@link embedKernelInPlane}, computed by a separable direct DFT over the kh·kw
 * taps only (O(Cout·Cin·H·W·kh) instead of an FFT of mostly-zero planes).
 */
export function kernelFrequencyMatrices(
  kernel: ConvKernel,
  height: number,
  width: number,
  offset: readonly [number, number] = [0, 0],
): { re: Float64Array; im: Float64Array } {
  const [cout, cin, kh, kw] = kernel.shape;
  assertKernelFitsGrid(kernel, height, width);
  const pairs = cout * cin;
  const re = new Float64Array(height * width * pairs);
  const im = new Float64Array(height * width * pairs);
  // Stage 1: rowsRe/Im[a][v] = Σ_b K[a,b]·e^{−2πi v s_b/W}; stage 2 sums over a with e^{−2πi u r_a/H}.
  const rowRe = new Float64Array(kh * width);
  const rowIm = new Float64Array(kh * width);
  const cosW = Float64Array.from({ length: width * kw }, (_, i) => {
    const s = (((i % kw) - offset[1]) % width) + width;
    return Math.cos((-2 * Math.PI * Math.floor(i / kw) * (s % width)) / width);
  });
  const sinW = Float64Array.from({ length: width * kw }, (_, i) => {
    const s = (((i % kw) - offset[1]) % width) + width;
    return Math.sin((-2 * Math.PI * Math.floor(i / kw) * (s % width)) / width);
  });
  const cosH = Float64Array.from({ length: height * kh }, (_, i) => {
    const r = (((i % kh) - offset[0]) % height) + height;
    return Math.cos((-2 * Math.PI * Math.floor(i / kh) * (r % height)) / height);
  });
  const sinH = Float64Array.from({ length: height * kh }, (_, i) => {
    const r = (((i % kh) - offset[0]) % height) + height;
    return Math.sin((-2 * Math.PI * Math.floor(i / kh) * (r % height)) / height);
  });
  for (let p = 0; p < pairs; p++) {
    const kBase = p * kh * kw;
    for (let a = 0; a < kh; a++)
      for (let v = 0; v < width; v++) {
        let sr = 0;
        let si = 0;
        for (let b = 0; b < kw; b++) {
          const value = kernel.data[kBase + a * kw + b]!;
          sr += value * cosW[v * kw + b]!;
          si += value * sinW[v * kw + b]!;
        }
        rowRe[a * width + v] = sr;
        rowIm[a * width + v] = si;
      }
    for (let u = 0; u < height; u++)
      for (let v = 0; v < width; v++) {
        let sr = 0;
        let si = 0;
        for (let a = 0; a < kh; a++) {
          const c = cosH[u * kh + a]!;
          const s = sinH[u * kh + a]!;
          const xr = rowRe[a * width + v]!;
          const xi = rowIm[a * width + v]!;
          sr += xr * c - xi * s;
          si += xr * s + xi * c;
        }
        re[(u * width + v) * pairs + p] = sr;
        im[(u * width + v) * pairs + p] = si;
      }
  }
  return { re, im };
}
