/**
 * Dense float64 kernels of the interior-point solver: Cholesky factorisation, inverses and products with a symmetric
 * right factor. Row-major n×n Float64Arrays throughout. Internal (not exported from the package index).
 */

/**
 * In-place Cholesky A = L Lᵀ (left-looking Cholesky–Crout on 2×2 blocks of rows/columns, so each inner loop carries
 * four independent dot products: several times faster in V8 than the scalar form). On success the lower triangle holds
 * L and the strict upper triangle is zeroed; returns false if a pivot is ≤ 0 or not finite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j += 2) {
    const two = j + 1 < n;
    const rj = j * n;
    const rj1 = rj + n;
    // Diagonal block.
    let d0 = a[rj + j]!;
    for (let k = 0; k < j; k++) d0 -= a[rj + k]! * a[rj + k]!;
    if (!(d0 > 0) || !Number.isFinite(d0)) return false;
    const l00 = Math.sqrt(d0);
    a[rj + j] = l00;
    let l10 = 0;
    let l11 = 1;
    if (two) {
      let s = a[rj1 + j]!;
      let d1 = a[rj1 + j + 1]!;
      for (let k = 0; k < j; k++) {
        s -= a[rj1 + k]! * a[rj + k]!;
        d1 -= a[rj1 + k]! * a[rj1 + k]!;
      }
      l10 = s / l00;
      d1 -= l10 * l10;
      if (!(d1 > 0) || !Number.isFinite(d1)) return false;
      l11 = Math.sqrt(d1);
      a[rj1 + j] = l10;
      a[rj1 + j + 1] = l11;
    }
    // Rows below, two at a time.
    const first = j + (two ? 2 : 1);
    let i = first;
    for (; i + 1 < n; i += 2) {
      const ri = i * n;
      const ri1 = ri + n;
      let s00 = a[ri + j]!;
      let s10 = a[ri1 + j]!;
      let s01 = two ? a[ri + j + 1]! : 0;
      let s11 = two ? a[ri1 + j + 1]! : 0;
      if (two) {
        for (let k = 0; k < j; k++) {
          const x0 = a[ri + k]!;
          const x1 = a[ri1 + k]!;
          const y0 = a[rj + k]!;
          const y1 = a[rj1 + k]!;
          s00 -= x0 * y0;
          s01 -= x0 * y1;
          s10 -= x1 * y0;
          s11 -= x1 * y1;
        }
      } else {
        for (let k = 0; k < j; k++) {
          s00 -= a[ri + k]! * a[rj + k]!;
          s10 -= a[ri1 + k]! * a[rj + k]!;
        }
      }
      const li0 = s00 / l00;
      const li10 = s10 / l00;
      a[ri + j] = li0;
      a[ri1 + j] = li10;
      if (two) {
        a[ri + j + 1] = (s01 - li0 * l10) / l11;
        a[ri1 + j + 1] = (s11 - li10 * l10) / l11;
      }
    }
    for (; i < n; i++) {
      const ri = i * n;
      let s00 = a[ri + j]!;
      let s01 = two ? a[ri + j + 1]! : 0;
      for (let k = 0; k < j; k++) {
        s00 -= a[ri + k]! * a[rj + k]!;
        if (two) s01 -= a[ri + k]! * a[rj1 + k]!;
      }
      const li0 = s00 / l00;
      a[ri + j] = li0;
      if (two) a[ri + j + 1] = (s01 - li0 * l10) / l11;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
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
