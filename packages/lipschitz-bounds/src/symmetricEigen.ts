/**
 * Dense symmetric eigendecomposition in float64: Householder reduction to tridiagonal form, then the implicit
 * symmetric QR algorithm with Wilkinson shifts (Golub & Van Loan, "Matrix Computations", 4th ed., Alg. 8.3.1 and
 * 8.3.3). Backward stable: the computed eigenvalues are exact for a matrix within ~n·ε·‖A‖₂ of the input.
 */

/** Bad input to {@link symmetricEigen}. */
export class SymmetricEigenError extends Error {
  /** The argument that is wrong. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'SymmetricEigenError';
    this.argument = argument;
  }
}

/** Eigenvalues (ascending) and, if asked for, orthonormal eigenvectors. */
export interface SymmetricEigenResult {
  /** Ascending eigenvalues, length n. */
  values: Float64Array;
  /** n×n row-major; column i is the unit eigenvector of `values[i]`. Absent when `vectors: false`. */
  vectors?: Float64Array;
}

/**
 * Eigen-decomposition A = V diag(λ) Vᵀ of a symmetric n×n matrix (row-major; only the lower triangle is read).
 * Cost ≈ (4/3)n³ flops for the values, ≈ 9n³ with the vectors. Throws {@link SymmetricEigenError} on a wrong size or a
 * non-finite entry.
 */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  n: number,
  options: { vectors?: boolean } = {},
): SymmetricEigenResult {
  if (!Number.isInteger(n) || n < 0) throw new SymmetricEigenError('n', `${n}; allowed: a non-negative integer`);
  if (matrix.length !== n * n)
    throw new SymmetricEigenError('matrix', `length ${matrix.length}; allowed: n² = ${n * n}`);
  const wantVectors = options.vectors ?? true;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = matrix[i * n + j] as number;
      if (!Number.isFinite(v)) throw new SymmetricEigenError('matrix', `entry (${i}, ${j}) is ${v}; allowed: finite`);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(0, n - 1));
  const reflectors: Array<{ k: number; v: Float64Array; beta: number }> = [];
  const p = new Float64Array(n);

  // Householder: zero A[k+2.., k] with a reflector acting on rows/columns k+1..n-1.
  for (let k = 0; k < n - 2; k++) {
    const len = n - k - 1;
    const v = new Float64Array(len);
    let norm2 = 0;
    for (let i = 0; i < len; i++) {
      v[i] = a[(k + 1 + i) * n + k]!;
      norm2 += v[i]! * v[i]!;
    }
    const x0 = v[0]!;
    const tail2 = norm2 - x0 * x0;
    if (tail2 <= 0) continue; // already tridiagonal in this column
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    v[0] = x0 - alpha;
    const vv = v[0]! * v[0]! + tail2;
    const beta = 2 / vv;
    // p = β A22 v; w = p − (β pᵀv / 2) v; A22 −= v wᵀ + w vᵀ.
    let pv = 0;
    for (let i = 0; i < len; i++) {
      const row = (k + 1 + i) * n + k + 1;
      let s = 0;
      for (let j = 0; j < len; j++) s += a[row + j]! * v[j]!;
      p[i] = beta * s;
      pv += p[i]! * v[i]!;
    }
    const kk = (beta * pv) / 2;
    for (let i = 0; i < len; i++) p[i]! -= kk * v[i]!;
    for (let i = 0; i < len; i++) {
      const row = (k + 1 + i) * n + k + 1;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = 0; j < len; j++) a[row + j]! -= vi * p[j]! + wi * v[j]!;
    }
    a[(k + 1) * n + k] = alpha;
    a[k * n + k + 1] = alpha;
    for (let i = 1; i < len; i++) {
      a[(k + 1 + i) * n + k] = 0;
      a[k * n + k + 1 + i] = 0;
    }
    if (wantVectors) reflectors.push({ k, v, beta });
  }
  for (let i = 0; i < n; i++) diag[i] = a[i * n + i]!;
  for (let i = 0; i < n - 1; i++) off[i] = a[(i + 1) * n + i]!;

  let z: Float64Array | undefined;
  if (wantVectors) {
    // Q = H_0 H_1 … applied to I from the last reflector backwards.
    z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    const t = new Float64Array(n);
    for (let r = reflectors.length - 1; r >= 0; r--) {
      const { k, v, beta } = reflectors[r]!;
      const len = v.length;
      t.fill(0);
      for (let i = 0; i < len; i++) {
        const vi = v[i]!;
        if (vi === 0) continue;
        const row = (k + 1 + i) * n;
        for (let j = 0; j < n; j++) t[j]! += vi * z[row + j]!;
      }
      for (let i = 0; i < len; i++) {
        const f = beta * v[i]!;
        if (f === 0) continue;
        const row = (k + 1 + i) * n;
        for (let j = 0; j < n; j++) z[row + j]! -= f * t[j]!;
      }
    }
  }

  tridiagonalQr(diag, off, z, n);

  // Sort ascending (and the vectors with them).
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diag[i]! - diag[j]!);
  const values = Float64Array.from(order, (i) => diag[i]!);
  if (!z) return { values };
  const vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    for (let r = 0; r < n; r++) vectors[r * n + c] = z[r * n + src]!;
  }
  return { values, vectors };
}

/** Implicit symmetric QR with Wilkinson shifts on (diag, off); rotations accumulated into the columns of z. */
function tridiagonalQr(d: Float64Array, e: Float64Array, z: Float64Array | undefined, n: number): void {
  let q = n - 1;
  let iterations = 0;
  const maxIterations = 50 * Math.max(1, n);
  while (q > 0) {
    if (Math.abs(e[q - 1]!) <= Number.EPSILON * (Math.abs(d[q - 1]!) + Math.abs(d[q]!))) {
      e[q - 1] = 0;
      q--;
      continue;
    }
    let p = q - 1;
    while (p > 0 && Math.abs(e[p - 1]!) > Number.EPSILON * (Math.abs(d[p - 1]!) + Math.abs(d[p]!))) p--;
    if (++iterations > maxIterations) throw new SymmetricEigenError('matrix', 'QR iteration did not converge');
    const half = (d[q - 1]! - d[q]!) / 2;
    const bq = e[q - 1]!;
    const mu = d[q]! - (bq * bq) / (half + (half >= 0 ? 1 : -1) * Math.hypot(half, bq));
    let x = d[p]! - mu;
    let y = e[p]!;
    for (let k = p; k < q; k++) {
      const r = Math.hypot(x, y);
      const c = r === 0 ? 1 : x / r;
      const s = r === 0 ? 0 : -y / r;
      if (k > p) e[k - 1] = r;
      const ak = d[k]!;
      const ak1 = d[k + 1]!;
      const bk = e[k]!;
      d[k] = c * c * ak - 2 * c * s * bk + s * s * ak1;
      d[k + 1] = s * s * ak + 2 * c * s * bk + c * c * ak1;
      e[k] = c * s * (ak - ak1) + (c * c - s * s) * bk;
      if (k < q - 1) {
        y = -s * e[k + 1]!;
        e[k + 1] = c * e[k + 1]!;
      }
      x = e[k]!;
      if (z) {
        for (let i = 0; i < n; i++) {
          const row = i * n;
          const zk = z[row + k]!;
          const zk1 = z[row + k + 1]!;
          z[row + k] = c * zk - s * zk1;
          z[row + k + 1] = s * zk + c * zk1;
        }
      }
    }
  }
}
