import { assertLength, assertPositiveInteger, NumericCoreError } from './numericCoreError.js';

/**
 * Eigen-decomposition of a complex Hermitian matrix in float64.
 * `values` are in decreasing order; when vectors were requested, row k of (`vectorsRe`, `vectorsIm`) (n×n row-major)
 * is a unit eigenvector for `values[k]`.
 */
export interface HermitianEigenDecomposition {
  readonly values: Float64Array;
  readonly vectorsRe?: Float64Array;
  readonly vectorsIm?: Float64Array;
}

/** The Householder reduction A = Q·S·T·Sᴴ·Qᴴ of a Hermitian matrix to a real symmetric tridiagonal T. */
interface Tridiagonal {
  readonly n: number;
  readonly diagonal: Float64Array;
  /** offDiagonal[k] = T[k+1, k] ≥ 0 (length n; the last entry is 0). */
  readonly offDiagonal: Float64Array;
  /** Reflector k (k = 0..n−3) acts on indices k+1..n−1: H_k = I − τ_k v vᴴ, v stored from index k+1 of row k. */
  readonly reflectorRe: Float64Array;
  readonly reflectorIm: Float64Array;
  readonly tau: Float64Array;
  /** The diagonal unitary S (phases) that makes the tridiagonal real. */
  readonly phaseRe: Float64Array;
  readonly phaseIm: Float64Array;
}

/**
 * Householder tridiagonalisation of a Hermitian matrix, in place (`re`, `im`, n×n row-major; only the lower
 * triangle is read; destroyed). Step k reflects column k below the diagonal onto −e^{iθ}‖x‖·e₁ with the Hermitian reflector
 * H = I − τ v vᴴ, v = x + e^{iθ}‖x‖e₁, τ = 1/(‖x‖(‖x‖ + |x₀|)), and updates the trailing block by the rank-2 form
 * A ← A − v qᴴ − q vᴴ, p = τ A v, q = p − (τ vᴴp / 2) v (Golub & Van Loan, Matrix Computations, §8.3.1).
 * A final diagonal phase matrix S makes the sub-diagonal real and non-negative.
 */
function tridiagonalise(re: Float64Array, im: Float64Array, n: number): Tridiagonal {
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  const reflectorRe = new Float64Array(n * n);
  const reflectorIm = new Float64Array(n * n);
  const tau = new Float64Array(n);
  const subRe = new Float64Array(n);
  const subIm = new Float64Array(n);
  const pRe = new Float64Array(n);
  const pIm = new Float64Array(n);
  // Only the lower triangle (j ≤ i) is read and updated: the Hermitian structure gives the rest.
  for (let k = 0; k < n - 2; k++) {
    let tailNorm2 = 0;
    for (let i = k + 2; i < n; i++) tailNorm2 += re[i * n + k]! ** 2 + im[i * n + k]! ** 2;
    const x0Re = re[(k + 1) * n + k]!;
    const x0Im = im[(k + 1) * n + k]!;
    if (tailNorm2 === 0) {
      subRe[k] = x0Re;
      subIm[k] = x0Im;
      tau[k] = 0;
      continue;
    }
    const x0Abs = Math.sqrt(x0Re * x0Re + x0Im * x0Im);
    const norm = Math.sqrt(tailNorm2 + x0Abs * x0Abs);
    const phRe = x0Abs === 0 ? 1 : x0Re / x0Abs;
    const phIm = x0Abs === 0 ? 0 : x0Im / x0Abs;
    subRe[k] = -phRe * norm;
    subIm[k] = -phIm * norm;
    const t = 1 / (norm * (norm + x0Abs));
    tau[k] = t;
    const vBase = k * n;
    reflectorRe[vBase + k + 1] = x0Re + phRe * norm;
    reflectorIm[vBase + k + 1] = x0Im + phIm * norm;
    for (let i = k + 2; i < n; i++) {
      reflectorRe[vBase + i] = re[i * n + k]!;
      reflectorIm[vBase + i] = im[i * n + k]!;
    }
    // p = τ A22 v from the lower triangle: row i gives Σ_{j<i} a_ij v_j to p_i and conj(a_ij) v_i to p_j.
    pRe.fill(0, k + 1);
    pIm.fill(0, k + 1);
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const viRe = reflectorRe[vBase + i]!;
      const viIm = reflectorIm[vBase + i]!;
      let sRe = re[row + i]! * viRe;
      let sIm = re[row + i]! * viIm;
      for (let j = k + 1; j < i; j++) {
        const aRe = re[row + j]!;
        const aIm = im[row + j]!;
        const vRe = reflectorRe[vBase + j]!;
        const vIm = reflectorIm[vBase + j]!;
        sRe += aRe * vRe - aIm * vIm;
        sIm += aRe * vIm + aIm * vRe;
        pRe[j]! += aRe * viRe + aIm * viIm;
        pIm[j]! += aRe * viIm - aIm * viRe;
      }
      pRe[i]! += sRe;
      pIm[i]! += sIm;
    }
    let vhpRe = 0;
    for (let i = k + 1; i < n; i++) {
      pRe[i]! *= t;
      pIm[i]! *= t;
      vhpRe += reflectorRe[vBase + i]! * pRe[i]! + reflectorIm[vBase + i]! * pIm[i]!;
    }
    const half = (t * vhpRe) / 2;
    for (let i = k + 1; i < n; i++) {
      pRe[i]! -= half * reflectorRe[vBase + i]!;
      pIm[i]! -= half * reflectorIm[vBase + i]!;
    }
    // A22 ← A22 − v qᴴ − q vᴴ on the lower triangle (q is stored in p).
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const viRe = reflectorRe[vBase + i]!;
      const viIm = reflectorIm[vBase + i]!;
      const qiRe = pRe[i]!;
      const qiIm = pIm[i]!;
      for (let j = k + 1; j <= i; j++) {
        const vjRe = reflectorRe[vBase + j]!;
        const vjIm = reflectorIm[vBase + j]!;
        const qjRe = pRe[j]!;
        const qjIm = pIm[j]!;
        re[row + j]! -= viRe * qjRe + viIm * qjIm + qiRe * vjRe + qiIm * vjIm;
        im[row + j]! -= viIm * qjRe - viRe * qjIm + qiIm * vjRe - qiRe * vjIm;
      }
    }
  }
  if (n >= 2) {
    subRe[n - 2] = re[(n - 1) * n + n - 2]!;
    subIm[n - 2] = im[(n - 1) * n + n - 2]!;
  }
  for (let i = 0; i < n; i++) diagonal[i] = re[i * n + i]!;
  const phaseRe = new Float64Array(n);
  const phaseIm = new Float64Array(n);
  phaseRe[0] = 1;
  for (let k = 0; k < n - 1; k++) {
    const magnitude = Math.sqrt(subRe[k]! ** 2 + subIm[k]! ** 2);
    offDiagonal[k] = magnitude;
    const uRe = magnitude === 0 ? 1 : subRe[k]! / magnitude;
    const uIm = magnitude === 0 ? 0 : subIm[k]! / magnitude;
    phaseRe[k + 1] = phaseRe[k]! * uRe - phaseIm[k]! * uIm;
    phaseIm[k + 1] = phaseRe[k]! * uIm + phaseIm[k]! * uRe;
  }
  return { n, diagonal, offDiagonal, reflectorRe, reflectorIm, tau, phaseRe, phaseIm };
}

/**
 * Eigenvalues (in `d`, unsorted) of the real symmetric tridiagonal (d, e) by the implicit QL method with Wilkinson
 * shifts (Bowdler, Martin, Reinsch & Wilkinson 1968, "tql2"); `e` is destroyed. When `z` is given (n×n, rows =
 * vectors), the rotations are applied to its rows, so starting from I its row k ends as the eigenvector of d[k].
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, n: number, z: Float64Array | null): void {
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iterations++ === 100) {
          throw new NumericCoreError('matrix', 'the QL iteration did not converge', 'a finite Hermitian matrix');
        }
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.sqrt(g * g + 1);
        g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        let underflow = false;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          r = Math.sqrt(f * f + g * g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1]! -= p;
            e[m] = 0;
            underflow = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          if (z !== null) {
            const rowI = i * n;
            const rowNext = rowI + n;
            for (let k = 0; k < n; k++) {
              const zNext = z[rowNext + k]!;
              const zI = z[rowI + k]!;
              z[rowNext + k] = s * zI + c * zNext;
              z[rowI + k] = c * zI - s * zNext;
            }
          }
        }
        if (underflow) continue;
        d[l]! -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
}

/** All eigenpairs of the tridiagonal (d, e) by QL with rotations: values decreasing, row k of z the vector. */
function tridiagonalEigenvectors(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
  n: number,
): { values: Float64Array; z: Float64Array } {
  const d = Float64Array.from(diagonal);
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  tridiagonalQl(d, Float64Array.from(offDiagonal), n, z);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[b]! - d[a]!);
  const sorted = new Float64Array(n * n);
  order.forEach((source, target) => {
    sorted.set(z.subarray(source * n, source * n + n), target * n);
  });
  return { values: Float64Array.from(order, (i) => d[i]!), z: sorted };
}

/**
 * Eigenvectors of the symmetric tridiagonal (d, e) for the first `count` of the given (decreasing, accurate)
 * eigenvalues by inverse iteration (Wilkinson; as LAPACK `dstein`): solve (T − λI)x = b by Gaussian elimination
 * with partial pivoting (tiny pivots replaced by ε‖T‖), four steps from a fixed pseudo-random start; eigenvalues
 * closer than 1e-3‖T‖ form a cluster whose vectors are re-orthogonalised (Gram–Schmidt) at every step, and equal
 * ones are separated by 10ε‖T‖ first. Row k of the result is the unit vector of values[k].
 */
function tridiagonalInverseIteration(
  d: Float64Array,
  e: Float64Array,
  n: number,
  values: Float64Array,
  count: number,
): Float64Array {
  let norm = 0;
  for (let i = 0; i < n; i++)
    norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const tiny = Number.EPSILON * Math.max(norm, Number.MIN_VALUE);
  const clusterTolerance = 1e-3 * norm;
  const z = new Float64Array(count * n);
  const u0 = new Float64Array(n);
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const multiplier = new Float64Array(n);
  const swapped = new Uint8Array(n);
  const x = new Float64Array(n);
  let seed = 12345;
  let clusterStart = 0;
  let previousShift = Number.POSITIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    let lambda = values[k]!;
    if (k > 0 && values[k - 1]! - lambda > clusterTolerance) clusterStart = k;
    // Separate (near-)equal eigenvalues so that the solves differ.
    if (k > clusterStart && previousShift - lambda < 10 * tiny) lambda = previousShift - 10 * tiny;
    previousShift = lambda;
    // LU of T − λI with partial pivoting: U has diagonals u0, u1, u2.
    let p = d[0]! - lambda;
    let q = n > 1 ? e[0]! : 0;
    let r = 0;
    for (let i = 0; i < n - 1; i++) {
      const sub = e[i]!;
      const nextDiagonal = d[i + 1]! - lambda;
      const nextSuper = i + 1 < n - 1 ? e[i + 1]! : 0;
      if (Math.abs(p) >= Math.abs(sub)) {
        if (p === 0) p = tiny;
        const m = sub / p;
        u0[i] = p;
        u1[i] = q;
        u2[i] = r;
        multiplier[i] = m;
        swapped[i] = 0;
        p = nextDiagonal - m * q;
        q = nextSuper - m * r;
      } else {
        const m = p / sub;
        u0[i] = sub;
        u1[i] = nextDiagonal;
        u2[i] = nextSuper;
        multiplier[i] = m;
        swapped[i] = 1;
        p = q - m * nextDiagonal;
        q = r - m * nextSuper;
      }
      r = 0;
    }
    u0[n - 1] = p === 0 ? tiny : p;
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      x[i] = seed / 4294967296 - 0.5;
    }
    for (let step = 0; step < 4; step++) {
      for (let i = 0; i < n - 1; i++) {
        if (swapped[i] === 1) {
          const t = x[i]!;
          x[i] = x[i + 1]!;
          x[i + 1] = t;
        }
        x[i + 1]! -= multiplier[i]! * x[i]!;
      }
      for (let i = n - 1; i >= 0; i--) {
        let value = x[i]!;
        if (i + 1 < n) value -= u1[i]! * x[i + 1]!;
        if (i + 2 < n) value -= u2[i]! * x[i + 2]!;
        const pivot = Math.abs(u0[i]!) < tiny ? (u0[i]! < 0 ? -tiny : tiny) : u0[i]!;
        x[i] = value / pivot;
      }
      for (let j = clusterStart; j < k; j++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i]! * z[j * n + i]!;
        for (let i = 0; i < n; i++) x[i]! -= dot * z[j * n + i]!;
      }
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i]! * x[i]!;
      const scale = 1 / Math.sqrt(sum);
      for (let i = 0; i < n; i++) x[i]! *= scale;
    }
    z.set(x, k * n);
  }
  return z;
}

/** Reusable workspace-free core: eigenvalues (decreasing) and, for the requested ones, eigenvectors. */
function decompose(
  re: Float64Array,
  im: Float64Array,
  n: number,
  vectorsFor: ((value: number) => boolean) | null,
): { values: Float64Array; count: number; vectorsRe: Float64Array; vectorsIm: Float64Array } {
  const tri = tridiagonalise(re, im, n);
  // Eigenvalues first (O(n²)); the O(n³) vector work is done only when some eigenvalue is wanted, and the
  // back-transformation only for those (e.g. the singular values above a clipping limit).
  const d = Float64Array.from(tri.diagonal);
  tridiagonalQl(d, Float64Array.from(tri.offDiagonal), n, null);
  const sortedValues = Float64Array.from(d).sort().reverse();
  if (vectorsFor === null || !vectorsFor(sortedValues[0]!)) {
    return { values: sortedValues, count: 0, vectorsRe: new Float64Array(0), vectorsIm: new Float64Array(0) };
  }
  let count = 0;
  while (count < n && vectorsFor(sortedValues[count]!)) count++;
  // Few wanted vectors: inverse iteration on T (O(n) per solve); many: QL with accumulated rotations (O(n³)).
  const { values, z } =
    count <= n / 4
      ? { values: sortedValues, z: tridiagonalInverseIteration(tri.diagonal, tri.offDiagonal, n, sortedValues, count) }
      : tridiagonalEigenvectors(tri.diagonal, tri.offDiagonal, n);
  const vectorsRe = new Float64Array(count * n);
  const vectorsIm = new Float64Array(count * n);
  for (let k = 0; k < count; k++) {
    const base = k * n;
    // w = S z, then w ← H_0 ⋯ H_{n−3} w (apply the last reflector first).
    for (let i = 0; i < n; i++) {
      vectorsRe[base + i] = tri.phaseRe[i]! * z[base + i]!;
      vectorsIm[base + i] = tri.phaseIm[i]! * z[base + i]!;
    }
    for (let r = n - 3; r >= 0; r--) {
      const t = tri.tau[r]!;
      if (t === 0) continue;
      const vBase = r * n;
      let sRe = 0;
      let sIm = 0;
      for (let i = r + 1; i < n; i++) {
        const vRe = tri.reflectorRe[vBase + i]!;
        const vIm = tri.reflectorIm[vBase + i]!;
        const wRe = vectorsRe[base + i]!;
        const wIm = vectorsIm[base + i]!;
        sRe += vRe * wRe + vIm * wIm;
        sIm += vRe * wIm - vIm * wRe;
      }
      sRe *= t;
      sIm *= t;
      for (let i = r + 1; i < n; i++) {
        const vRe = tri.reflectorRe[vBase + i]!;
        const vIm = tri.reflectorIm[vBase + i]!;
        vectorsRe[base + i]! -= vRe * sRe - vIm * sIm;
        vectorsIm[base + i]! -= vRe * sIm + vIm * sRe;
      }
    }
  }
  return { values, count, vectorsRe, vectorsIm };
}

/**
 * Eigenvalues of a complex Hermitian n×n matrix (row-major `re`, `im`; both triangles stored; the input is
 * destroyed), decreasing, and the eigenvectors of the leading eigenvalues for which `wantVector(value)` holds
 * (all of them when it always returns true). Householder tridiagonalisation then implicit QL: backward stable,
 * eigenvalue errors ≲ c·n·ε·‖A‖₂. Used per frequency on the Gram matrices of conv spectra. Internal: no validation.
 */
export function hermitianEigenInPlace(
  re: Float64Array,
  im: Float64Array,
  n: number,
  wantVector: ((value: number) => boolean) | null,
): { values: Float64Array; count: number; vectorsRe: Float64Array; vectorsIm: Float64Array } {
  return decompose(re, im, n, wantVector);
}

/**
 * Eigen-decomposition of a complex Hermitian matrix in float64 (Householder tridiagonalisation + implicit QL).
 *
 * @param re real parts, n×n row-major (not modified).
 * @param im imaginary parts, n×n row-major; omit for a real symmetric matrix.
 * @param options.vectors also return all eigenvectors (default false).
 * @throws NumericCoreError for bad sizes, non-finite entries, or a matrix that is not Hermitian to 1e-12 relative.
 */
export function hermitianEigenDecomposition(
  n: number,
  re: ArrayLike<number>,
  im?: ArrayLike<number>,
  options: { vectors?: boolean } = {},
): HermitianEigenDecomposition {
  assertPositiveInteger('n', n);
  assertLength('re', re, n * n);
  const a = Float64Array.from(re);
  const b = im === undefined ? new Float64Array(n * n) : Float64Array.from(im);
  if (im !== undefined) assertLength('im', im, n * n);
  let scale = 0;
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!)) {
      throw new NumericCoreError('matrix', `entry ${i} is not finite`, 'finite numbers');
    }
    scale = Math.max(scale, Math.abs(a[i]!), Math.abs(b[i]!));
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const gap = Math.abs(a[i * n + j]! - a[j * n + i]!) + Math.abs(b[i * n + j]! + b[j * n + i]!);
      if (gap > 1e-12 * scale) throw new NumericCoreError('matrix', `is not Hermitian at (${i}, ${j})`, 'A = Aᴴ');
    }
  const result = decompose(a, b, n, options.vectors === true ? () => true : null);
  return options.vectors === true
    ? { values: result.values, vectorsRe: result.vectorsRe, vectorsIm: result.vectorsIm }
    : { values: result.values };
}
