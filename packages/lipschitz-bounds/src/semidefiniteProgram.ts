/**
 * A small dense semidefinite-programming solver in float64: an infeasible primal-dual path-following interior-point
 * method with the HKM search direction (Helmberg–Rendl–Vanderbei–Wolkowicz 1996, Kojima–Shindoh–Hara 1997,
 * Monteiro 1997) and Mehrotra's predictor–corrector, as in SDPT3 (Toh, Todd & Tütüncü 1999) and CSDP
 * (Borchers 1999). HKM needs no eigendecomposition per iteration (unlike the Nesterov–Todd scaling); its Schur
 * complement M_kl = ⟨A_k, X A_l Z⁻¹⟩ is formed from low-rank/sparse constraint data, see {@link SdpBlockData}.
 *
 * LMI form (the "dual" of the standard pair), with a block-diagonal slack:
 *
 *   maximise bᵀy  subject to  S(y) = C − Σ_k y_k A_k ⪰ 0   (every block),
 *
 * and its dual  minimise ⟨C, X⟩ s.t. ⟨A_k, X⟩ = b_k, X ⪰ 0. Blocks are either `psd` (a symmetric n×n block) or
 * `nonneg` (a diagonal block, i.e. n linear inequalities).
 *
 * Stopping rule (default tolerance 1e-8): relative gap ⟨X, Z⟩ / (1 + |⟨C,X⟩| + |bᵀy|), primal infeasibility
 * ‖b − A(X)‖₂ / (1 + ‖b‖₂) and dual infeasibility ‖C − Z − Aᵀ(y)‖_F / (1 + ‖C‖_F) all ≤ tolerance.
 * Infeasibility: the LMI is reported `infeasible` when X/(−⟨C,X⟩) is an approximate certificate (‖A(X)‖/(−⟨C,X⟩) ≤
 * tolerance, X ⪰ 0), and `unbounded` when y/bᵀy is one (‖Aᵀ(y) + Z‖_F / bᵀy ≤ tolerance, bᵀy > 0).
 */

import {
  choleskyInPlace,
  choleskySolveInPlace,
  inverseFromCholesky,
  lowerTriangularInverse,
  multiplyTransposed,
  transpose,
} from './denseCholesky.js';
import { symmetricEigen } from './symmetricEigen.js';

/** Bad input to {@link solveSemidefiniteProgram}; `argument` names the offending field. */
export class SemidefiniteProgramError extends Error {
  /** The field that is wrong. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'SemidefiniteProgramError';
    this.argument = argument;
  }
}

/** A sparse vector of length n: `index[t]` → `value[t]`. */
export interface SparseVector {
  index: ArrayLike<number>;
  value: ArrayLike<number>;
}

/**
 * Constraint data of one block. For a `psd` block of size n, each A_k restricted to the block is V E_k Vᵀ with a
 * shared basis V (n×r, sparse columns; V = I when `basis` is absent, r = n) and sparse symmetric r×r matrices E_k given
 * as triplets (entries with row ≤ col; the mirror entry is implied). For a `nonneg` block, A_k is diagonal and the
 * triplets' row (= col) is the index. Expressing the constraints in a small shared basis is what makes the Schur
 * complement cheap: it is assembled from r×r Gram matrices VᵀXV and VᵀZ⁻¹V.
 */
export interface SdpBlockData {
  kind: 'psd' | 'nonneg';
  /** Block size n. */
  size: number;
  /** C restricted to the block: psd → n×n row-major symmetric; nonneg → length n. */
  c: ArrayLike<number>;
  /** The basis V (psd only): r sparse columns of length n. */
  basis?: ReadonlyArray<SparseVector>;
  /** Triplets (variable k, row, col, value) of the E_k. */
  entries: { variable: ArrayLike<number>; row: ArrayLike<number>; col: ArrayLike<number>; value: ArrayLike<number> };
}

/** maximise bᵀy s.t. C − Σ_k y_k A_k ⪰ 0 on every block. */
export interface SemidefiniteProgram {
  /** Objective, length m (the number of variables y). */
  b: ArrayLike<number>;
  blocks: ReadonlyArray<SdpBlockData>;
}

/** One row of the iteration log. */
export interface SdpIterationLog {
  iteration: number;
  /** ⟨C, X⟩. */
  primalObjective: number;
  /** bᵀy. */
  dualObjective: number;
  relativeGap: number;
  primalInfeasibility: number;
  dualInfeasibility: number;
  /** ⟨X, Z⟩ / Σ block sizes. */
  mu: number;
  /** Step lengths taken at the end of the iteration (0 before the first step). */
  stepPrimal: number;
  stepDual: number;
  /** Centring parameter of the corrector. */
  sigma: number;
}

/** Options of {@link solveSemidefiniteProgram}. */
export interface SdpOptions {
  /** Relative gap and feasibility tolerance of the stopping rule. Default 1e-8. */
  tolerance?: number;
  /** Default 100. */
  maxIterations?: number;
  /** Called after each iteration with its log row. */
  onIteration?: (row: SdpIterationLog) => void;
}

/** Solver outcome. `optimal` = the stopping rule was met. */
export type SdpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'max-iterations' | 'numerical-problems';

/** Result of {@link solveSemidefiniteProgram}: the last iterate, whatever the status. */
export interface SdpResult {
  status: SdpStatus;
  /** The LMI variables, length m. */
  y: Float64Array;
  /** bᵀy. */
  dualObjective: number;
  /** ⟨C, X⟩. */
  primalObjective: number;
  /** Primal matrices X per block (psd: n×n row-major; nonneg: length n). */
  x: Float64Array[];
  /** Dual slacks Z per block (the iterate; C − Aᵀ(y) differs from it by the dual residual). */
  z: Float64Array[];
  iterations: number;
  log: SdpIterationLog[];
}

interface PreparedBlock {
  kind: 'psd' | 'nonneg';
  n: number;
  r: number;
  c: Float64Array;
  basis: SparseVector[] | undefined;
  /** Per variable: full (both orientations) entries of E_k as parallel arrays, CSR by variable. */
  start: Int32Array;
  ea: Int32Array;
  eb: Int32Array;
  ev: Float64Array;
  cNorm: number;
}

function prepareBlocks(problem: SemidefiniteProgram, m: number): PreparedBlock[] {
  return problem.blocks.map((block, bi) => {
    const name = `blocks[${bi}]`;
    const n = block.size;
    if (!Number.isInteger(n) || n < 1)
      throw new SemidefiniteProgramError(`${name}.size`, `${n}; allowed: an integer ≥ 1`);
    if (block.kind !== 'psd' && block.kind !== 'nonneg') {
      throw new SemidefiniteProgramError(`${name}.kind`, `${String(block.kind)}; allowed: psd, nonneg`);
    }
    const cLen = block.kind === 'psd' ? n * n : n;
    if (block.c.length !== cLen)
      throw new SemidefiniteProgramError(`${name}.c`, `length ${block.c.length}; allowed: ${cLen}`);
    const c = Float64Array.from(block.c as ArrayLike<number>);
    if (c.some((v) => !Number.isFinite(v)))
      throw new SemidefiniteProgramError(`${name}.c`, 'non-finite entry; allowed: finite numbers');
    let basis: SparseVector[] | undefined;
    let r = n;
    if (block.kind === 'psd' && block.basis) {
      basis = block.basis.map((col, j) => {
        if (col.index.length !== col.value.length) {
          throw new SemidefiniteProgramError(`${name}.basis[${j}]`, 'index and value lengths differ');
        }
        for (let t = 0; t < col.index.length; t++) {
          const i = col.index[t] as number;
          if (!Number.isInteger(i) || i < 0 || i >= n) {
            throw new SemidefiniteProgramError(`${name}.basis[${j}].index`, `${i}; allowed: integers in [0, ${n})`);
          }
        }
        return col;
      });
      r = basis.length;
    }
    const { variable, row, col, value } = block.entries;
    const count = variable.length;
    if (row.length !== count || col.length !== count || value.length !== count) {
      throw new SemidefiniteProgramError(`${name}.entries`, 'variable, row, col and value must have the same length');
    }
    const perVar = new Int32Array(m + 1);
    for (let t = 0; t < count; t++) {
      const k = variable[t] as number;
      const a = row[t] as number;
      const b = col[t] as number;
      if (!Number.isInteger(k) || k < 0 || k >= m) {
        throw new SemidefiniteProgramError(`${name}.entries.variable`, `${k}; allowed: integers in [0, ${m})`);
      }
      const limit = block.kind === 'psd' ? r : n;
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= limit || b >= limit) {
        throw new SemidefiniteProgramError(`${name}.entries`, `index (${a}, ${b}); allowed: integers in [0, ${limit})`);
      }
      if (block.kind === 'nonneg' && a !== b) {
        throw new SemidefiniteProgramError(
          `${name}.entries`,
          `off-diagonal (${a}, ${b}) in a nonneg block; allowed: row = col`,
        );
      }
      if (!Number.isFinite(value[t] as number)) {
        throw new SemidefiniteProgramError(`${name}.entries.value`, 'non-finite entry; allowed: finite numbers');
      }
      perVar[k + 1]! += a === b ? 1 : 2;
    }
    for (let k = 0; k < m; k++) perVar[k + 1]! += perVar[k]!;
    const total = perVar[m]!;
    const ea = new Int32Array(total);
    const eb = new Int32Array(total);
    const ev = new Float64Array(total);
    const fill = perVar.slice(0, m);
    for (let t = 0; t < count; t++) {
      const k = variable[t] as number;
      const a = row[t] as number;
      const b = col[t] as number;
      const v = value[t] as number;
      let p = fill[k]!++;
      ea[p] = a;
      eb[p] = b;
      ev[p] = v;
      if (a !== b) {
        p = fill[k]!++;
        ea[p] = b;
        eb[p] = a;
        ev[p] = v;
      }
    }
    let cNorm = 0;
    for (const v of c) cNorm += v * v;
    return { kind: block.kind, n, r, c, basis, start: perVar, ea, eb, ev, cNorm };
  });
}

/** VᵀYV (r×r) for a dense n×n Y; Y itself when V = I. */
function gram(block: PreparedBlock, y: Float64Array): Float64Array {
  const { basis, n, r } = block;
  if (!basis) return y;
  const yv = new Float64Array(n * r); // YV, row-major n×r
  for (let j = 0; j < r; j++) {
    const col = basis[j]!;
    for (let t = 0; t < col.index.length; t++) {
      const i = col.index[t] as number;
      const v = col.value[t] as number;
      for (let row = 0; row < n; row++) yv[row * r + j]! += v * y[row * n + i]!;
    }
  }
  const out = new Float64Array(r * r);
  for (let j = 0; j < r; j++) {
    const col = basis[j]!;
    for (let t = 0; t < col.index.length; t++) {
      const i = col.index[t] as number;
      const v = col.value[t] as number;
      const src = i * r;
      const dst = j * r;
      for (let c = 0; c < r; c++) out[dst + c]! += v * yv[src + c]!;
    }
  }
  return out;
}

/** Σ_k y_k A_k restricted to a block (dense n×n, or a length-n diagonal). */
function adjoint(block: PreparedBlock, y: Float64Array, m: number): Float64Array {
  const { n, r, basis, start, ea, eb, ev } = block;
  if (block.kind === 'nonneg') {
    const out = new Float64Array(n);
    for (let k = 0; k < m; k++) {
      const yk = y[k]!;
      if (yk === 0) continue;
      for (let p = start[k]!; p < start[k + 1]!; p++) out[ea[p]!]! += yk * ev[p]!;
    }
    return out;
  }
  const e = new Float64Array(r * r);
  for (let k = 0; k < m; k++) {
    const yk = y[k]!;
    if (yk === 0) continue;
    for (let p = start[k]!; p < start[k + 1]!; p++) e[ea[p]! * r + eb[p]!]! += yk * ev[p]!;
  }
  if (!basis) return e;
  const f = new Float64Array(n * r); // V E
  for (let j = 0; j < r; j++) {
    const col = basis[j]!;
    for (let t = 0; t < col.index.length; t++) {
      const i = col.index[t] as number;
      const v = col.value[t] as number;
      for (let c = 0; c < r; c++) f[i * r + c]! += v * e[j * r + c]!;
    }
  }
  const out = new Float64Array(n * n); // (V E) Vᵀ
  for (let j = 0; j < r; j++) {
    const col = basis[j]!;
    for (let t = 0; t < col.index.length; t++) {
      const b = col.index[t] as number;
      const v = col.value[t] as number;
      for (let a = 0; a < n; a++) out[a * n + b]! += v * f[a * r + j]!;
    }
  }
  return out;
}

/** out_k += ⟨A_k, Y⟩ over a block, for a dense Y (psd) or a vector Y (nonneg). */
function addOperator(block: PreparedBlock, y: Float64Array, m: number, out: Float64Array): void {
  const g = block.kind === 'psd' ? gram(block, y) : y;
  const { r, start, ea, eb, ev } = block;
  for (let k = 0; k < m; k++) {
    let s = 0;
    if (block.kind === 'psd') for (let p = start[k]!; p < start[k + 1]!; p++) s += ev[p]! * g[ea[p]! * r + eb[p]!]!;
    else for (let p = start[k]!; p < start[k + 1]!; p++) s += ev[p]! * g[ea[p]!]!;
    out[k]! += s;
  }
}

function frobeniusDot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function symmetrise(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = (a[i * n + j]! + a[j * n + i]!) / 2;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
}

/** Largest α ≤ 1/γ-free with X + αΔX ⪰ 0, from λ_min(L⁻¹ΔX L⁻ᵀ) (∞ when ΔX ⪰ 0). */
function maxStep(block: PreparedBlock, lInv: Float64Array | undefined, x: Float64Array, dx: Float64Array): number {
  if (block.kind === 'nonneg') {
    let alpha = Number.POSITIVE_INFINITY;
    for (let i = 0; i < block.n; i++) if (dx[i]! < 0) alpha = Math.min(alpha, -x[i]! / dx[i]!);
    return alpha;
  }
  const n = block.n;
  const t1 = multiplyTransposed(dx, lInv!, n); // ΔX L⁻ᵀ
  const w = multiplyTransposed(transpose(t1, n), lInv!, n); // (L⁻ᵀ… )ᵀ = L⁻¹ ΔX L⁻ᵀ
  symmetrise(w, n);
  const lambdaMin = symmetricEigen(w, n, { vectors: false }).values[0]!;
  return lambdaMin >= 0 ? Number.POSITIVE_INFINITY : -1 / lambdaMin;
}

/**
 * Solves maximise bᵀy s.t. C − Σ_k y_k A_k ⪰ 0 (block-diagonal) by the HKM primal-dual interior-point method with
 * Mehrotra's predictor–corrector. Dense float64; per iteration O(Σ n³ + m²·(entries per A_k)² + m³). Returns the last
 * iterate with a status; throws {@link SemidefiniteProgramError} on malformed input only.
 */
export function solveSemidefiniteProgram(problem: SemidefiniteProgram, options: SdpOptions = {}): SdpResult {
  const m = problem.b.length;
  const b = Float64Array.from(problem.b as ArrayLike<number>);
  if (b.some((v) => !Number.isFinite(v)))
    throw new SemidefiniteProgramError('b', 'non-finite entry; allowed: finite numbers');
  if (problem.blocks.length === 0) throw new SemidefiniteProgramError('blocks', 'empty; allowed: at least one block');
  const tol = options.tolerance ?? 1e-8;
  if (!(tol > 0 && tol < 1)) throw new SemidefiniteProgramError('tolerance', `${tol}; allowed: (0, 1)`);
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new SemidefiniteProgramError('maxIterations', `${maxIterations}; allowed: an integer ≥ 1`);
  }
  const blocks = prepareBlocks(problem, m);
  const nu = blocks.reduce((s, bl) => s + bl.n, 0);
  const bNorm = Math.hypot(...b);
  const cNorm = Math.sqrt(blocks.reduce((s, bl) => s + bl.cNorm, 0));

  // Norms of the A_k (Frobenius over all blocks, via the basis Gram for psd blocks) for the starting point.
  const aNorm2 = new Float64Array(m);
  for (const bl of blocks) {
    const eye = bl.kind === 'psd' ? identity(bl.n) : new Float64Array(bl.n).fill(1);
    const vtv = bl.kind === 'psd' ? gram(bl, eye) : eye;
    for (let k = 0; k < m; k++) {
      // ‖V E Vᵀ‖_F² = tr(E VᵀV E VᵀV)
      for (let p = bl.start[k]!; p < bl.start[k + 1]!; p++) {
        for (let q = bl.start[k]!; q < bl.start[k + 1]!; q++) {
          if (bl.kind === 'psd') {
            aNorm2[k]! +=
              bl.ev[p]! * bl.ev[q]! * vtv[bl.eb[p]! * bl.r + bl.ea[q]!]! * vtv[bl.eb[q]! * bl.r + bl.ea[p]!]!;
          } else if (bl.ea[p] === bl.ea[q]) {
            aNorm2[k]! += bl.ev[p]! * bl.ev[q]!;
          }
        }
      }
    }
  }
  // SDPT3-style start: X = ξ I, Z = η I, y = 0.
  const x: Float64Array[] = [];
  const z: Float64Array[] = [];
  for (const bl of blocks) {
    const sq = Math.sqrt(bl.n);
    let xi = Math.max(10, sq);
    let eta = Math.max(10, sq, Math.sqrt(bl.cNorm));
    for (let k = 0; k < m; k++) {
      const ak = Math.sqrt(aNorm2[k]!);
      xi = Math.max(xi, (sq * (1 + Math.abs(b[k]!))) / (1 + ak));
      eta = Math.max(eta, ak);
    }
    eta = (1 + eta) / sq;
    x.push(scaledIdentity(bl, xi));
    z.push(scaledIdentity(bl, eta));
  }
  const y = new Float64Array(m);
  const log: SdpIterationLog[] = [];
  let status: SdpStatus = 'max-iterations';
  let stepP = 0;
  let stepD = 0;
  let sigma = 0;
  let iteration = 0;
  let primalObjective = 0;
  let dualObjective = 0;

  for (; ; iteration++) {
    // Residuals and measures.
    const ax = new Float64Array(m);
    for (let i = 0; i < blocks.length; i++) addOperator(blocks[i]!, x[i]!, m, ax);
    const rp = Float64Array.from(b, (v, k) => v - ax[k]!);
    const aty = blocks.map((bl) => adjoint(bl, y, m));
    const rd = blocks.map((bl, i) => Float64Array.from(bl.c, (v, t) => v - z[i]![t]! - aty[i]![t]!));
    primalObjective = blocks.reduce((s, bl, i) => s + frobeniusDot(bl.c, x[i]!), 0);
    dualObjective = frobeniusDot(b, y);
    const xz = blocks.reduce((s, _bl, i) => s + frobeniusDot(x[i]!, z[i]!), 0);
    const mu = xz / nu;
    const relativeGap = xz / (1 + Math.abs(primalObjective) + Math.abs(dualObjective));
    const primalInfeasibility = Math.hypot(...rp) / (1 + bNorm);
    const dualInfeasibility = Math.sqrt(rd.reduce((s, r) => s + frobeniusDot(r, r), 0)) / (1 + cNorm);
    const row: SdpIterationLog = {
      iteration,
      primalObjective,
      dualObjective,
      relativeGap,
      primalInfeasibility,
      dualInfeasibility,
      mu,
      stepPrimal: stepP,
      stepDual: stepD,
      sigma,
    };
    log.push(row);
    options.onIteration?.(row);
    if (relativeGap <= tol && primalInfeasibility <= tol && dualInfeasibility <= tol) {
      status = 'optimal';
      break;
    }
    // Certificates of infeasibility (Todd, "Semidefinite optimization", Acta Numerica 2001, §4).
    if (-primalObjective > 0) {
      const axNorm = Math.hypot(...ax);
      if (axNorm / -primalObjective <= tol && dualInfeasibility > tol) {
        status = 'infeasible';
        break;
      }
    }
    if (dualObjective > 0) {
      let r2 = 0;
      blocks.forEach((_bl, i) => {
        const a = aty[i]!;
        const zi = z[i]!;
        for (let t = 0; t < a.length; t++) r2 += (a[t]! + zi[t]!) ** 2;
      });
      if (Math.sqrt(r2) / dualObjective <= tol && primalInfeasibility > tol) {
        status = 'unbounded';
        break;
      }
    }
    if (iteration >= maxIterations) break;
    if (!Number.isFinite(mu) || !Number.isFinite(primalObjective) || !Number.isFinite(dualObjective)) {
      status = 'numerical-problems';
      break;
    }

    // Factorisations: G = Z⁻¹, L_X⁻¹ and L_Z⁻¹ (step lengths), Grams for the Schur complement.
    const g: Float64Array[] = [];
    const lxInv: Array<Float64Array | undefined> = [];
    const lzInv: Array<Float64Array | undefined> = [];
    let ok = true;
    for (let i = 0; i < blocks.length; i++) {
      const bl = blocks[i]!;
      if (bl.kind === 'nonneg') {
        g.push(Float64Array.from(z[i]!, (v) => 1 / v));
        lxInv.push(undefined);
        lzInv.push(undefined);
        continue;
      }
      const lz = Float64Array.from(z[i]!);
      const lx = Float64Array.from(x[i]!);
      if (!choleskyInPlace(lz, bl.n) || !choleskyInPlace(lx, bl.n)) {
        ok = false;
        break;
      }
      g.push(inverseFromCholesky(lz, bl.n));
      lxInv.push(lowerTriangularInverse(lx, bl.n));
      lzInv.push(lowerTriangularInverse(lz, bl.n));
    }
    if (!ok) {
      status = 'numerical-problems';
      break;
    }
    const schur = new Float64Array(m * m);
    for (let i = 0; i < blocks.length; i++) addSchur(blocks[i]!, x[i]!, g[i]!, m, schur);
    let diagMax = 0;
    for (let k = 0; k < m; k++) diagMax = Math.max(diagMax, schur[k * m + k]!);
    const factor = Float64Array.from(schur);
    if (!choleskyInPlace(factor, m)) {
      // Tiny regularisation for a numerically singular Schur complement (dependent constraints near the end).
      factor.set(schur);
      for (let k = 0; k < m; k++) factor[k * m + k]! += 1e-13 * diagMax + 1e-300;
      if (!choleskyInPlace(factor, m)) {
        status = 'numerical-problems';
        break;
      }
    }
    // X Rd G per block (shared by predictor and corrector).
    const xRdG = blocks.map((bl, i) => productXYG(bl, x[i]!, rd[i]!, g[i]!));

    const direction = (sigmaMu: number, corr: Float64Array[] | undefined) => {
      const h = Float64Array.from(b);
      blocks.forEach((bl, i) => {
        const t = Float64Array.from(xRdG[i]!);
        const gi = g[i]!;
        for (let s = 0; s < t.length; s++) t[s]! -= sigmaMu * gi[s]!;
        if (corr) for (let s = 0; s < t.length; s++) t[s]! += corr[i]![s]!;
        addOperator(bl, t, m, h);
      });
      choleskySolveInPlace(factor, m, h);
      const dy = h;
      const atdy = blocks.map((bl) => adjoint(bl, dy, m));
      const dz = blocks.map((_bl, i) => Float64Array.from(rd[i]!, (v, t) => v - atdy[i]![t]!));
      const dx = blocks.map((bl, i) => {
        const xdzg = productXYG(bl, x[i]!, dz[i]!, g[i]!);
        const gi = g[i]!;
        const xi = x[i]!;
        const out = new Float64Array(xi.length);
        for (let s = 0; s < out.length; s++) out[s] = sigmaMu * gi[s]! - xi[s]! - xdzg[s]! - (corr ? corr[i]![s]! : 0);
        if (bl.kind === 'psd') symmetrise(out, bl.n);
        return out;
      });
      return { dy, dz, dx };
    };
    const stepLengths = (d: { dx: Float64Array[]; dz: Float64Array[] }) => {
      let ap = Number.POSITIVE_INFINITY;
      let ad = Number.POSITIVE_INFINITY;
      blocks.forEach((bl, i) => {
        ap = Math.min(ap, maxStep(bl, lxInv[i], x[i]!, d.dx[i]!));
        ad = Math.min(ad, maxStep(bl, lzInv[i], z[i]!, d.dz[i]!));
      });
      return { ap, ad };
    };

    // Predictor (σ = 0).
    const pred = direction(0, undefined);
    const sp = stepLengths(pred);
    const apPred = Math.min(1, sp.ap);
    const adPred = Math.min(1, sp.ad);
    let xzPred = 0;
    blocks.forEach((_bl, i) => {
      const xi = x[i]!;
      const zi = z[i]!;
      const dxi = pred.dx[i]!;
      const dzi = pred.dz[i]!;
      for (let t = 0; t < xi.length; t++) xzPred += (xi[t]! + apPred * dxi[t]!) * (zi[t]! + adPred * dzi[t]!);
    });
    sigma = Math.min(1, Math.max(0, xzPred / xz) ** 3);
    // Corrector: second-order term ΔXp ΔZp G.
    const corr = blocks.map((bl, i) => productXYG(bl, pred.dx[i]!, pred.dz[i]!, g[i]!));
    const dir = direction(sigma * mu, corr);
    const sc = stepLengths(dir);
    const gamma = 0.9 + 0.09 * Math.min(apPred, adPred);
    stepP = Math.min(1, gamma * sc.ap);
    stepD = Math.min(1, gamma * sc.ad);
    blocks.forEach((_bl, i) => {
      const xi = x[i]!;
      const zi = z[i]!;
      for (let t = 0; t < xi.length; t++) {
        xi[t]! += stepP * dir.dx[i]![t]!;
        zi[t]! += stepD * dir.dz[i]![t]!;
      }
    });
    for (let k = 0; k < m; k++) y[k]! += stepD * dir.dy[k]!;
    if (stepP < 1e-10 && stepD < 1e-10) {
      status = 'numerical-problems';
      iteration++;
      break;
    }
  }
  return { status, y, dualObjective, primalObjective, x, z, iterations: iteration, log };
}

function identity(n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1;
  return a;
}

function scaledIdentity(bl: PreparedBlock, s: number): Float64Array {
  if (bl.kind === 'nonneg') return new Float64Array(bl.n).fill(s);
  const a = identity(bl.n);
  for (let i = 0; i < bl.n; i++) a[i * bl.n + i] = s;
  return a;
}

/** X Y G for symmetric X, Y, G (psd: two products) or the element-wise x·y·g (nonneg). */
function productXYG(bl: PreparedBlock, x: Float64Array, y: Float64Array, g: Float64Array): Float64Array {
  if (bl.kind === 'nonneg') return Float64Array.from(x, (v, i) => v * y[i]! * g[i]!);
  const xy = multiplyTransposed(x, y, bl.n);
  return multiplyTransposed(xy, g, bl.n);
}

/**
 * schur_kl += ⟨A_k, X A_l G⟩ = tr(E_k P E_l R) with P = VᵀXV, R = VᵀGV (HKM Schur complement). For each k,
 * H = P E_k R is formed densely through the few indices E_k touches (cost r²·|I_k|), then every M_kl is a short sum
 * of E_l's entries against H: contiguous work instead of m² × nnz² scattered lookups.
 */
function addSchur(bl: PreparedBlock, x: Float64Array, g: Float64Array, m: number, schur: Float64Array): void {
  const { start, ea, eb, ev } = bl;
  if (bl.kind === 'nonneg') {
    // Diagonal: M_kl = Σ_i a_ki a_li x_i / z_i, accumulated through a per-index list of (variable, value).
    const w = Float64Array.from(x, (v, i) => v * g[i]!);
    const byIndex: Array<Array<[number, number]>> = Array.from({ length: bl.n }, () => []);
    for (let k = 0; k < m; k++) for (let p = start[k]!; p < start[k + 1]!; p++) byIndex[ea[p]!]!.push([k, ev[p]!]);
    byIndex.forEach((list, i) => {
      for (const [k, vk] of list) for (const [l, vl] of list) schur[k * m + l]! += vk * vl * w[i]!;
    });
    return;
  }
  const r = bl.r;
  const p = gram(bl, x);
  const rr = gram(bl, g);
  const h = new Float64Array(r * r);
  const local = new Int32Array(r).fill(-1);
  for (let k = 0; k < m; k++) {
    const k0 = start[k]!;
    const k1 = start[k + 1]!;
    if (k0 === k1) continue;
    const idx: number[] = [];
    for (let u = k0; u < k1; u++) {
      if (local[ea[u]!] === -1) {
        local[ea[u]!] = idx.length;
        idx.push(ea[u]!);
      }
    }
    const q = idx.length;
    const e = new Float64Array(q * q);
    for (let u = k0; u < k1; u++) e[local[ea[u]!]! * q + local[eb[u]!]!]! += ev[u]!;
    // T1 = P[:, I] E (r×q), then H = T1 R[I, :] (r×r).
    const t1 = new Float64Array(r * q);
    for (let xr = 0; xr < r; xr++) {
      for (let i = 0; i < q; i++) {
        const pv = p[xr * r + idx[i]!]!;
        if (pv === 0) continue;
        for (let j = 0; j < q; j++) t1[xr * q + j]! += pv * e[i * q + j]!;
      }
    }
    h.fill(0);
    for (let xr = 0; xr < r; xr++) {
      const hr = xr * r;
      for (let j = 0; j < q; j++) {
        const tv = t1[xr * q + j]!;
        if (tv === 0) continue;
        const rrow = idx[j]! * r;
        for (let yc = 0; yc < r; yc++) h[hr + yc]! += tv * rr[rrow + yc]!;
      }
    }
    for (const i of idx) local[i] = -1;
    for (let l = k; l < m; l++) {
      let s = 0;
      for (let w = start[l]!; w < start[l + 1]!; w++) s += ev[w]! * h[eb[w]! * r + ea[w]!]!;
      schur[k * m + l]! += s;
      if (l !== k) schur[l * m + k]! += s;
    }
  }
}
