/**
 * Dense float64 kernels of the interior-point solver: Cholesky factorisation, inverses and products with a symmetric
 * right factor. Row-major n×n Float64Arrays throughout. Internal (not exported from the package index).
 */

/**
 * In-place Cholesky A = L Lᵀ (left-looking Cholesky–Crout on pairs of columns, the rows below four at a time through
 * {@link dotBlock2x4}: eight independent dot products per inner loop, several times faster in V8 than the scalar
 * form). On success the lower triangle holds
 * L and the strict upper triangle is zeroed; returns false if a pivot is ≤ 0 or not finite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  const sums = new Float64Array(8);
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
    const first = j + (two ? 2 : 1);
    // Rows below, four at a time (a row pair j, j+1 always exists here: with one column left there are no rows below).
    let i = first;
    for (; i + 3 < n; i += 4) {
      dotBlock2x4(a, j, a, i, n, 0, j, sums);
      for (let t = 0; t < 4; t++) {
        const ri = (i + t) * n;
        const li0 = (a[ri + j]! - sums[t]!) / l00;
        a[ri + j] = li0;
        a[ri + j + 1] = (a[ri + j + 1]! - sums[4 + t]! - li0 * l10) / l11;
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

/** Solves L x = b in place (b overwritten by x) for a lower-triangular row-major L: contiguous row dot products. */
export function solveLowerInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
}

/**
 * Solves Lᵀ x = b in place for a lower-triangular row-major L, column-oriented (x_i fixed, then row i of L is
 * subtracted from the unknowns above it), so that L is read by contiguous rows rather than by strided columns.
 */
export function solveLowerTransposedInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = b[i]! / l[ri + i]!;
    b[i] = xi;
    for (let k = 0; k < i; k++) b[k]! -= l[ri + k]! * xi;
  }
}

/** Solves L Lᵀ x = b in place (b overwritten by x) for a lower-triangular factor L. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  solveLowerInPlace(l, n, b);
  solveLowerTransposedInPlace(l, n, b);
}

/**
 * L⁻¹ of a lower-triangular L (row-major, lower triangle), as a new lower-triangular matrix. Row i of L⁻¹ is
 * (e_i − Σ_{k<i} L_ik · row k of L⁻¹) / L_ii: contiguous row updates (n³/6 multiply-adds), not strided column sums.
 */
export function lowerTriangularInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    inv[ri + i] = 1;
    for (let k = 0; k < i; k++) {
      const f = l[ri + k]!;
      if (f === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) inv[ri + j]! -= f * inv[rk + j]!;
    }
    const d = 1 / l[ri + i]!;
    for (let j = 0; j <= i; j++) inv[ri + j]! *= d;
  }
  return inv;
}

/**
 * The eight dot products of rows i, i+1 of A with rows j..j+3 of B (row-major, row length n) over k ∈ [from, to),
 * written to `sums` (row i's four first). 2×4 register blocking over contiguous rows: eight independent dot products
 * per inner loop, six loads per eight multiply-adds; in V8 about 1.5× faster than 2×2 blocking and several times
 * faster than the textbook i-k-j loop.
 */
function dotBlock2x4(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  n: number,
  from: number,
  to: number,
  sums: Float64Array,
): void {
  const a0 = i * n;
  const a1 = a0 + n;
  const b0 = j * n;
  const b1 = b0 + n;
  const b2 = b1 + n;
  const b3 = b2 + n;
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  for (let k = from; k < to; k++) {
    const x0 = a[a0 + k]!;
    const x1 = a[a1 + k]!;
    const y0 = b[b0 + k]!;
    const y1 = b[b1 + k]!;
    const y2 = b[b2 + k]!;
    const y3 = b[b3 + k]!;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s02 += x0 * y2;
    s03 += x0 * y3;
    s10 += x1 * y0;
    s11 += x1 * y1;
    s12 += x1 * y2;
    s13 += x1 * y3;
  }
  sums[0] = s00;
  sums[1] = s01;
  sums[2] = s02;
  sums[3] = s03;
  sums[4] = s10;
  sums[5] = s11;
  sums[6] = s12;
  sums[7] = s13;
}

/** out = A Bᵀ for row-major n×n A, B (so out = A B when B is symmetric), by {@link dotBlock2x4} blocks. */
export function multiplyTransposed(
  a: Float64Array,
  b: Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n * n),
): Float64Array {
  const n2 = n - (n % 2);
  const n4 = n - (n % 4);
  const sums = new Float64Array(8);
  for (let i = 0; i < n2; i += 2) {
    for (let j = 0; j < n4; j += 4) {
      dotBlock2x4(a, i, b, j, n, 0, n, sums);
      for (let t = 0; t < 4; t++) {
        out[i * n + j + t] = sums[t]!;
        out[(i + 1) * n + j + t] = sums[4 + t]!;
      }
    }
  }
  // Remainders: the last row when n is odd (every column), and the last n mod 4 columns of the other rows.
  for (let i = 0; i < n; i++) {
    const ai = i * n;
    for (let j = i < n2 ? n4 : 0; j < n; j++) {
      let s = 0;
      const bj = j * n;
      for (let k = 0; k < n; k++) s += a[ai + k]! * b[bj + k]!;
      out[ai + j] = s;
    }
  }
  return out;
}

/**
 * Symmetric inverse from a Cholesky factor: A⁻¹ = L⁻ᵀ L⁻¹, whose (i, j) entry is the dot product of columns i and j of
 * L⁻¹ over rows k ≥ max(i, j) (the entries above are zero). Computed on the transposed inverse, so the dot products
 * run over contiguous rows, for 2×4 blocks on or above the diagonal only, then mirrored: about n³/6 + n³/6
 * multiply-adds instead of n³/6 + n³.
 */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const invT = transpose(lowerTriangularInverse(l, n), n);
  const out = new Float64Array(n * n);
  const entry = (i: number, j: number) => {
    let s = 0;
    for (let k = Math.max(i, j); k < n; k++) s += invT[i * n + k]! * invT[j * n + k]!;
    out[i * n + j] = s;
    out[j * n + i] = s;
  };
  const n2 = n - (n % 2);
  const n4 = n - (n % 4);
  const sums = new Float64Array(8);
  for (let i = 0; i < n2; i += 2) {
    const jFirst = i - (i % 4);
    for (let j = jFirst; j < n4; j += 4) {
      // Every entry of the block vanishes below row max(i, j) of L⁻¹.
      dotBlock2x4(invT, i, invT, j, n, Math.max(i, j), n, sums);
      for (let t = 0; t < 8; t++) {
        const row = t < 4 ? i : i + 1;
        const col = j + (t % 4);
        out[row * n + col] = sums[t]!;
        out[col * n + row] = sums[t]!;
      }
    }
    for (let j = Math.max(n4, jFirst); j < n; j++) {
      entry(i, j);
      entry(i + 1, j);
    }
  }
  if (n2 < n) entry(n - 1, n - 1);
  return out;
}

/** Row-major transpose of an n×n matrix. */
export function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
}
