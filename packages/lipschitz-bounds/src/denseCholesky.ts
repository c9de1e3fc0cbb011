/**
 * Dense float64 kernels of the interior-point solver: Cholesky factorisation, inverses and products with a symmetric
 * right factor. Row-major n×n Float64Arrays throughout. Internal (not exported from the package index).
 */

/**
 * In-place Cholesky A = L Lᵀ (Cholesky–Crout, row-major inner products). On success the lower triangle holds L and the
 * strict upper triangle is zeroed; returns false (leaving `a` partly overwritten) if a pivot is ≤ 0 or not finite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) d -= a[rj + k]! * a[rj + k]!;
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = s / ljj;
    }
    for (let i = j + 1; i < n; i++) a[rj + i] = 0;
  }
  return true;
}

/** Solves L Lᵀ x = b in place (b overwritten by x) for a lower-triangular factor L. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/** L⁻¹ of a lower-triangular L (row-major, lower triangle), as a new lower-triangular matrix. */
export function lowerTriangularInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    inv[j * n + j] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s -= l[ri + k]! * inv[k * n + j]!;
      inv[ri + j] = s / l[ri + i]!;
    }
  }
  return inv;
}

/**
 * out = A Bᵀ for row-major n×n A, B (so out = A B when B is symmetric). 2×2 register blocking over contiguous rows:
 * this form runs several times faster in V8 than the textbook i-k-j loop.
 */
export function multiplyTransposed(
  a: Float64Array,
  b: Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n * n),
): Float64Array {
  const n2 = n - (n % 2);
  for (let i = 0; i < n2; i += 2) {
    const a0 = i * n;
    const a1 = a0 + n;
    for (let j = 0; j < n2; j += 2) {
      const b0 = j * n;
      const b1 = b0 + n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < n; k++) {
        const x0 = a[a0 + k]!;
        const x1 = a[a1 + k]!;
        const y0 = b[b0 + k]!;
        const y1 = b[b1 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      out[a0 + j] = s00;
      out[a0 + j + 1] = s01;
      out[a1 + j] = s10;
      out[a1 + j + 1] = s11;
    }
  }
  // Odd remainder row/column.
  for (let i = 0; i < n; i++) {
    for (let j = i < n2 ? n2 : 0; j < n; j++) {
      let s = 0;
      const ai = i * n;
      const bj = j * n;
      for (let k = 0; k < n; k++) s += a[ai + k]! * b[bj + k]!;
      out[ai + j] = s;
    }
  }
  return out;
}

/** Symmetric inverse from a Cholesky factor: A⁻¹ = L⁻ᵀ L⁻¹. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const inv = lowerTriangularInverse(l, n);
  // (L⁻ᵀ L⁻¹)[i][j] = Σ_k inv[k][i] inv[k][j]: multiply the transpose by itself via A Bᵀ with A = B = inv ᵀ.
  const invT = transpose(inv, n);
  return multiplyTransposed(invT, invT, n);
}

/** Row-major transpose of an n×n matrix. */
export function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
}
