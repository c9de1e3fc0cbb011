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
 * tolerance, X ⪰ 0), and `unbounded` when y/bᵀy is one (‖Aᵀ(y) + Z‖_F / bᵀy ≤ tolerance, bᵀy > 0). See
 * {@link SdpStatus} for `stalled`.
 */

import {
  choleskyInPlace,
  choleskySolveInPlace,
  inverseFromCholesky,
  multiplyTransposed,
  solveLowerInPlace,
  solveLowerTransposedInPlace,
} from './denseCholesky.js';
import { lanczosLargestEigenvalue } from './lanczosLargestEigenvalue.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';

/** Bad input to {@link solveSemidefiniteProgram}; `argument` names the offending field. */
export class SemidefiniteProgramError extends LipschitzBoundsError {
  override name = 'SemidefiniteProgramError';
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
 * complement cheap: it is assembled from r×r Gram matrices VᵀXV and VᵀZ⁻¹V. The same basis gives X ΔZ = X R −
 * (XV) E(Δy) Vᵀ without a dense product. Consecutive columns with one shared support (store zeros rather than
 * dropping them) or with one entry each are processed as dense panels, so keep such columns together.
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

/**
 * Solver outcome. `optimal` = the stopping rule was met. `stalled` = the gap and the dual (LMI) infeasibility met the
 * tolerance but the primal residual stopped decreasing (no 10% progress over 5 iterations) above it: y is then an
 * accurate LMI point whose optimality certificate is slightly weaker than asked.
 */
export type SdpStatus = 'optimal' | 'stalled' | 'infeasible' | 'unbounded' | 'max-iterations' | 'numerical-problems';

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

/**
 * Consecutive basis columns first..first+count−1, either sharing one support `index` (length s) with their values as a
 * dense count×s row-major matrix, or (`single`) each with one entry: column first+c is values[c] at row index[c].
 * LipSDP's basis is made of such panels (the rows of one weight matrix, and unit vectors), so products with V become
 * short dense dot products over contiguous memory instead of scattered updates.
 */
interface BasisPanel {
  first: number;
  count: number;
  single: boolean;
  index: Int32Array;
  values: Float64Array;
}

interface PreparedBlock {
  kind: 'psd' | 'nonneg';
  n: number;
  r: number;
  c: Float64Array;
  basis: SparseVector[] | undefined;
  /** The basis V grouped into panels of consecutive columns with the same support (see {@link BasisPanel}). */
  panels: BasisPanel[];
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
    return { kind: block.kind, n, r, c, basis, panels: basisPanels(basis), start: perVar, ea, eb, ev, cNorm };
  });
}

/** Groups the basis columns into panels of consecutive columns with identical supports (none when V = I). */
function basisPanels(basis: SparseVector[] | undefined): BasisPanel[] {
  const panels: BasisPanel[] = [];
  if (!basis) return panels;
  const sameSupport = (a: SparseVector, b: SparseVector) => {
    if (a.index === b.index) return true;
    if (a.index.length !== b.index.length) return false;
    for (let t = 0; t < a.index.length; t++) if (a.index[t] !== b.index[t]) return false;
    return true;
  };
  for (let j = 0; j < basis.length; ) {
    const col = basis[j]!;
    let end = j + 1;
    if (col.index.length === 1 && (basis[end]?.index.length ?? 0) === 1) {
      while (end < basis.length && basis[end]!.index.length === 1) end++;
      const run = basis.slice(j, end);
      panels.push({
        first: j,
        count: end - j,
        single: true,
        index: Int32Array.from(run, (c) => c.index[0] as number),
        values: Float64Array.from(run, (c) => c.value[0] as number),
      });
      j = end;
      continue;
    }
    while (end < basis.length && sameSupport(col, basis[end]!)) end++;
    const s = col.index.length;
    const values = new Float64Array((end - j) * s);
    for (let c = j; c < end; c++) for (let t = 0; t < s; t++) values[(c - j) * s + t] = basis[c]!.value[t] as number;
    panels.push({
      first: j,
      count: end - j,
      single: false,
      index: Int32Array.from(col.index as ArrayLike<number>),
      values,
    });
    j = end;
  }
  return panels;
}

/**
 * out[row, j] = Σ_i M[row, i] V[i, j] for the rows of a row-major p×n matrix M, writing p×r; with `upperOnly`, only
 * the entries j ≥ row (for a symmetric result). Per row and panel, M's entries on the panel's support are gathered
 * once, then each panel column is a contiguous dot product (four columns at a time).
 */
function rowsTimesBasis(
  mat: Float64Array,
  p: number,
  n: number,
  panels: BasisPanel[],
  r: number,
  upperOnly: boolean,
): Float64Array {
  const out = new Float64Array(p * r);
  let gathered = new Float64Array(0);
  for (let row = 0; row < p; row++) {
    const mr = row * n;
    const or = row * r;
    for (const { first, count, single, index, values } of panels) {
      if (single) {
        for (let c = upperOnly ? Math.max(0, row - first) : 0; c < count; c++)
          out[or + first + c] = mat[mr + index[c]!]! * values[c]!;
        continue;
      }
      const s = index.length;
      if (gathered.length < s) gathered = new Float64Array(s);
      for (let t = 0; t < s; t++) gathered[t] = mat[mr + index[t]!]!;
      let c = upperOnly ? Math.max(0, row - first) : 0;
      for (; c + 3 < count; c += 4) {
        const v0 = c * s;
        const v1 = v0 + s;
        const v2 = v1 + s;
        const v3 = v2 + s;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let t = 0; t < s; t++) {
          const g = gathered[t]!;
          s0 += g * values[v0 + t]!;
          s1 += g * values[v1 + t]!;
          s2 += g * values[v2 + t]!;
          s3 += g * values[v3 + t]!;
        }
        out[or + first + c] = s0;
        out[or + first + c + 1] = s1;
        out[or + first + c + 2] = s2;
        out[or + first + c + 3] = s3;
      }
      for (; c < count; c++) {
        const v0 = c * s;
        let s0 = 0;
        for (let t = 0; t < s; t++) s0 += gathered[t]! * values[v0 + t]!;
        out[or + first + c] = s0;
      }
    }
  }
  return out;
}

/** Y V (n×r, row-major) for a dense n×n Y; Y itself when V = I. n · nnz(V) multiply-adds. */
function basisProduct(block: PreparedBlock, y: Float64Array): Float64Array {
  const { basis, n, r, panels } = block;
  return basis ? rowsTimesBasis(y, n, n, panels, r, false) : y;
}

/**
 * VᵀYV (r×r) for a dense symmetric Y, from YV ({@link basisProduct}): Vᵀ(YV) = ((YV)ᵀV)ᵀ, the upper triangle of
 * (YV)ᵀV by one more {@link rowsTimesBasis} pass (r · nnz(V) / 2 multiply-adds), mirrored.
 */
function gramFromProduct(block: PreparedBlock, yv: Float64Array): Float64Array {
  const { basis, n, r, panels } = block;
  if (!basis) return yv;
  const yvT = new Float64Array(r * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) yvT[j * n + i] = yv[i * r + j]!;
  const out = rowsTimesBasis(yvT, r, n, panels, r, true);
  for (let j = 0; j < r; j++) for (let c = j + 1; c < r; c++) out[c * r + j] = out[j * r + c]!;
  return out;
}

/** VᵀYV (r×r) for a dense symmetric n×n Y; Y itself when V = I. */
function gram(block: PreparedBlock, y: Float64Array): Float64Array {
  return gramFromProduct(block, basisProduct(block, y));
}

/**
 * M Σ_k dy_k A_k = (MV) E(dy) Vᵀ for a dense n×n M given MV (n×r), with E(dy) = Σ_k dy_k E_k: per row of M, the row
 * of MV times the sparse E(dy), then times Vᵀ panel by panel (contiguous row updates, scattered once per panel).
 * n · (nnz(E) + nnz(V)) multiply-adds instead of the n³ of a dense product (psd blocks with a basis only).
 */
function productWithAdjoint(block: PreparedBlock, matV: Float64Array, dy: Float64Array, m: number): Float64Array {
  const { n, r, panels, start, ea, eb, ev } = block;
  const from: number[] = [];
  const to: number[] = [];
  const coef: number[] = [];
  for (let k = 0; k < m; k++) {
    const yk = dy[k]!;
    if (yk === 0) continue;
    for (let p = start[k]!; p < start[k + 1]!; p++) {
      from.push(ea[p]!);
      to.push(eb[p]!);
      coef.push(yk * ev[p]!);
    }
  }
  const out = new Float64Array(n * n);
  const w = new Float64Array(r);
  let scatter = new Float64Array(0);
  for (let i = 0; i < n; i++) {
    w.fill(0);
    const mr = i * r;
    for (let t = 0; t < coef.length; t++) w[to[t]!]! += matV[mr + from[t]!]! * coef[t]!;
    const or = i * n;
    for (const { first, count, single, index, values } of panels) {
      if (single) {
        for (let c = 0; c < count; c++) out[or + index[c]!]! += w[first + c]! * values[c]!;
        continue;
      }
      const s = index.length;
      if (scatter.length < s) scatter = new Float64Array(s);
      scatter.fill(0, 0, s);
      let c = 0;
      for (; c + 3 < count; c += 4) {
        const w0 = w[first + c]!;
        const w1 = w[first + c + 1]!;
        const w2 = w[first + c + 2]!;
        const w3 = w[first + c + 3]!;
        const v0 = c * s;
        const v1 = v0 + s;
        const v2 = v1 + s;
        const v3 = v2 + s;
        for (let t = 0; t < s; t++)
          scatter[t]! += w0 * values[v0 + t]! + w1 * values[v1 + t]! + w2 * values[v2 + t]! + w3 * values[v3 + t]!;
      }
      for (; c < count; c++) {
        const wc = w[first + c]!;
        const vr = c * s;
        for (let t = 0; t < s; t++) scatter[t]! += wc * values[vr + t]!;
      }
      for (let t = 0; t < s; t++) out[or + index[t]!]! += scatter[t]!;
    }
  }
  return out;
}

/**
 * M ΔZ G for the direction ΔZ = R − Σ_k dy_k A_k (`dz`; R = the dual residual kept in the Newton system, or undefined
 * when it is treated as zero). psd blocks with a basis form M ΔZ = M R − {@link productWithAdjoint}, so a direction
 * costs one dense product (with G) instead of two; without a basis M ΔZ is a dense product. nonneg: element-wise.
 */
function productWithDirection(
  bl: PreparedBlock,
  mat: Float64Array,
  matV: Float64Array,
  rd: Float64Array | undefined,
  dz: Float64Array,
  dy: Float64Array,
  g: Float64Array,
  m: number,
): Float64Array {
  if (bl.kind === 'nonneg') return Float64Array.from(mat, (v, i) => v * dz[i]! * g[i]!);
  const n = bl.n;
  let md: Float64Array;
  if (bl.basis) {
    md = productWithAdjoint(bl, matV, dy, m);
    const mr = rd ? multiplyTransposed(mat, rd, n) : undefined;
    for (let s = 0; s < md.length; s++) md[s] = (mr ? mr[s]! : 0) - md[s]!;
  } else {
    md = multiplyTransposed(mat, dz, n);
  }
  return multiplyTransposed(md, g, n);
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
  if (!basis) {
    const e = new Float64Array(r * r);
    for (let k = 0; k < m; k++) {
      const yk = y[k]!;
      if (yk === 0) continue;
      for (let p = start[k]!; p < start[k + 1]!; p++) e[ea[p]! * r + eb[p]!]! += yk * ev[p]!;
    }
    return e;
  }
  // Σ_k y_k V E_k Vᵀ = Σ over E entries (a, b, e) of y_k e · V_a V_bᵀ: sparse outer products of basis columns.
  const out = new Float64Array(n * n);
  for (let k = 0; k < m; k++) {
    const yk = y[k]!;
    if (yk === 0) continue;
    for (let p = start[k]!; p < start[k + 1]!; p++) {
      const ca = basis[ea[p]!]!;
      const cb = basis[eb[p]!]!;
      const f = yk * ev[p]!;
      for (let s1 = 0; s1 < ca.index.length; s1++) {
        const row = (ca.index[s1] as number) * n;
        const va = f * (ca.value[s1] as number);
        for (let s2 = 0; s2 < cb.index.length; s2++)
          out[row + (cb.index[s2] as number)]! += va * (cb.value[s2] as number);
      }
    }
  }
  return out;
}

/** out_k += ⟨A_k, Y⟩ over a block, for a dense Y (psd) or a vector Y (nonneg). */
function addOperator(block: PreparedBlock, y: Float64Array, m: number, out: Float64Array): void {
  const { n, r, start, ea, eb, ev, basis } = block;
  for (let k = 0; k < m; k++) {
    let s = 0;
    if (block.kind === 'nonneg') {
      for (let p = start[k]!; p < start[k + 1]!; p++) s += ev[p]! * y[ea[p]!]!;
    } else if (!basis) {
      for (let p = start[k]!; p < start[k + 1]!; p++) s += ev[p]! * y[ea[p]! * r + eb[p]!]!;
    } else {
      // V_aᵀ Y V_b from the sparse basis columns (only the entries E_k touches are needed).
      for (let p = start[k]!; p < start[k + 1]!; p++) {
        const ca = basis[ea[p]!]!;
        const cb = basis[eb[p]!]!;
        let v = 0;
        for (let s1 = 0; s1 < ca.index.length; s1++) {
          const row = (ca.index[s1] as number) * n;
          let inner = 0;
          for (let s2 = 0; s2 < cb.index.length; s2++)
            inner += y[row + (cb.index[s2] as number)]! * (cb.value[s2] as number);
          v += (ca.value[s1] as number) * inner;
        }
        s += ev[p]! * v;
      }
    }
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

/**
 * Largest α with X + αΔX ⪰ 0 (∞ if none limits it). psd blocks: −1/λ_min(L⁻¹ΔX L⁻ᵀ) for X = LLᵀ, with λ_min from
 * Lanczos on the operator v ↦ L⁻¹ΔX L⁻ᵀ v applied by two triangular solves and one product (O(n²) each, instead of
 * an O(n³) eigendecomposition or explicit inverse). The Ritz value is ≥ λ_min, so the estimate may overshoot
 * slightly: the caller checks the new iterate by Cholesky and backtracks.
 */
function maxStep(block: PreparedBlock, l: Float64Array | undefined, x: Float64Array, dx: Float64Array): number {
  const n = block.n;
  if (block.kind === 'nonneg') {
    let alpha = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) if (dx[i]! < 0) alpha = Math.min(alpha, -x[i]! / dx[i]!);
    return alpha;
  }
  const factor = l!;
  const tmp = new Float64Array(n);
  // −L⁻¹ ΔX L⁻ᵀ v: its largest eigenvalue is −λ_min(L⁻¹ΔXL⁻ᵀ).
  const apply = (v: Float64Array): Float64Array => {
    tmp.set(v);
    solveLowerTransposedInPlace(factor, n, tmp);
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const rr = r * n;
      let s = 0;
      for (let c = 0; c < n; c++) s -= dx[rr + c]! * tmp[c]!;
      out[r] = s;
    }
    solveLowerInPlace(factor, n, out);
    return out;
  };
  const start = Float64Array.from({ length: n }, (_, i) => 1 + 0.37 * Math.sin(1.7 * i + 0.3));
  const top = lanczosLargestEigenvalue(apply, start, { tolerance: 1e-6, maxSteps: Math.min(n, 60) });
  return top <= 0 ? Number.POSITIVE_INFINITY : 1 / top;
}

/**
 * The Cholesky factors of X + αΔX per block (the vector itself for nonneg blocks) when it is positive definite on
 * every psd block and positive on every nonneg block, else undefined. The factors are those of the next iterate
 * (which is updated by the same floating-point operations), so the next iteration reuses them.
 */
function interiorFactors(
  blocks: PreparedBlock[],
  x: Float64Array[],
  dx: Float64Array[],
  alpha: number,
): Float64Array[] | undefined {
  const factors: Float64Array[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const xi = x[i]!;
    const di = dx[i]!;
    const trial = new Float64Array(xi.length);
    for (let t = 0; t < trial.length; t++) trial[t] = xi[t]! + alpha * di[t]!;
    if (blocks[i]!.kind === 'nonneg') {
      if (trial.some((v) => !(v > 0))) return undefined;
    } else if (!choleskyInPlace(trial, blocks[i]!.n)) {
      return undefined;
    }
    factors.push(trial);
  }
  return factors;
}

/**
 * Solves maximise bᵀy s.t. C − Σ_k y_k A_k ⪰ 0 (block-diagonal) by the HKM primal-dual interior-point method with
 * Mehrotra's predictor–corrector. Dense float64. Per iteration and psd block: Cholesky factors of X and Z (reused
 * from the previous step's interior check), Z⁻¹, the Grams VᵀXV and VᵀZ⁻¹V (O((n + r)·nnz V)), three dense n×n
 * products (ΔX of the predictor and of the corrector, the second-order term; more while the dual residual is above
 * rounding level) and Lanczos step lengths; then the m×m Schur complement, O(m²·(entries per A_k)²), and its
 * Cholesky, O(m³). Returns the last iterate with a status; throws {@link SemidefiniteProgramError} on malformed input
 * only.
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
  // Cholesky factors of the current X and Z, when the last step's interior check already computed them.
  let factorsX: Float64Array[] | undefined;
  let factorsZ: Float64Array[] | undefined;

  for (; ; iteration++) {
    // Residuals and measures.
    const ax = new Float64Array(m);
    for (let i = 0; i < blocks.length; i++) addOperator(blocks[i]!, x[i]!, m, ax);
    const rp = Float64Array.from(b, (v, k) => v - ax[k]!);
    const aty = blocks.map((bl) => adjoint(bl, y, m));
    const rd = blocks.map((bl, i) => {
      const out = new Float64Array(bl.c.length);
      const zi = z[i]!;
      const ai = aty[i]!;
      for (let t = 0; t < out.length; t++) out[t] = bl.c[t]! - zi[t]! - ai[t]!;
      return out;
    });
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
    const fiveAgo = log[log.length - 6];
    if (
      relativeGap <= tol &&
      dualInfeasibility <= tol &&
      fiveAgo &&
      primalInfeasibility > 0.9 * fiveAgo.primalInfeasibility
    ) {
      status = 'stalled';
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

    // Factorisations: G = Z⁻¹, Cholesky factors L_X and L_Z (step lengths), Grams for the Schur complement.
    const g: Float64Array[] = [];
    const lxs: Array<Float64Array | undefined> = [];
    const lzs: Array<Float64Array | undefined> = [];
    let ok = true;
    for (let i = 0; i < blocks.length; i++) {
      const bl = blocks[i]!;
      if (bl.kind === 'nonneg') {
        g.push(Float64Array.from(z[i]!, (v) => 1 / v));
        lxs.push(undefined);
        lzs.push(undefined);
        continue;
      }
      const lz = factorsZ?.[i] ?? Float64Array.from(z[i]!);
      const lx = factorsX?.[i] ?? Float64Array.from(x[i]!);
      if ((!factorsZ && !choleskyInPlace(lz, bl.n)) || (!factorsX && !choleskyInPlace(lx, bl.n))) {
        ok = false;
        break;
      }
      g.push(inverseFromCholesky(lz, bl.n));
      lxs.push(lx);
      lzs.push(lz);
    }
    if (!ok) {
      status = 'numerical-problems';
      break;
    }
    // X V per psd block: for the Schur complement's VᵀXV and for X ΔZ in the directions.
    const xv = blocks.map((bl, i) => (bl.kind === 'psd' ? basisProduct(bl, x[i]!) : x[i]!));
    const schur = new Float64Array(m * m);
    for (let i = 0; i < blocks.length; i++) addSchur(blocks[i]!, x[i]!, g[i]!, xv[i]!, m, schur);
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
    // A block's dual residual Rd = C − Z − Aᵀy is set to zero in the Newton system when it is at the rounding level
    // of forming it (after a full dual step it is zero in exact arithmetic: Rd⁺ = (1 − α_D) Rd). This saves the two
    // dense products of X Rd G per iteration; the stopping rule still measures the computed residual.
    const rdN = blocks.map((bl, i) => {
      const rdNorm = Math.sqrt(frobeniusDot(rd[i]!, rd[i]!));
      const scale =
        Math.sqrt(bl.cNorm) + Math.sqrt(frobeniusDot(z[i]!, z[i]!)) + Math.sqrt(frobeniusDot(aty[i]!, aty[i]!));
      return rdNorm <= bl.n * Number.EPSILON * scale ? undefined : rd[i]!;
    });
    // X Rd G per block (shared by predictor and corrector).
    const xRdG = blocks.map((bl, i) => (rdN[i] ? productXYG(bl, x[i]!, rdN[i], g[i]!) : undefined));

    const direction = (sigmaMu: number, corr: Float64Array[] | undefined) => {
      const h = Float64Array.from(b);
      blocks.forEach((bl, i) => {
        const gi = g[i]!;
        const t = new Float64Array(gi.length);
        const xrdg = xRdG[i];
        for (let s = 0; s < t.length; s++) t[s] = (xrdg ? xrdg[s]! : 0) - sigmaMu * gi[s]!;
        if (corr) for (let s = 0; s < t.length; s++) t[s]! += corr[i]![s]!;
        addOperator(bl, t, m, h);
      });
      choleskySolveInPlace(factor, m, h);
      const dy = h;
      const atdy = blocks.map((bl) => adjoint(bl, dy, m));
      const dz = blocks.map((_bl, i) => {
        const out = atdy[i]!;
        const r = rdN[i];
        for (let t = 0; t < out.length; t++) out[t] = (r ? r[t]! : 0) - out[t]!;
        return out;
      });
      const dx = blocks.map((bl, i) => {
        const xdzg = productWithDirection(bl, x[i]!, xv[i]!, rdN[i], dz[i]!, dy, g[i]!, m);
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
        ap = Math.min(ap, maxStep(bl, lxs[i], x[i]!, d.dx[i]!));
        ad = Math.min(ad, maxStep(bl, lzs[i], z[i]!, d.dz[i]!));
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
    const corr = blocks.map((bl, i) => {
      const dxp = pred.dx[i]!;
      const dxpV = bl.kind === 'psd' ? basisProduct(bl, dxp) : dxp;
      return productWithDirection(bl, dxp, dxpV, rdN[i], pred.dz[i]!, pred.dy, g[i]!, m);
    });
    const dir = direction(sigma * mu, corr);
    const sc = stepLengths(dir);
    const gamma = 0.9 + 0.09 * Math.min(apPred, adPred);
    stepP = Math.min(1, gamma * sc.ap);
    stepD = Math.min(1, gamma * sc.ad);
    // The Lanczos step estimates can overshoot: backtrack until the iterates stay strictly inside the cones.
    factorsX = interiorFactors(blocks, x, dir.dx, stepP);
    for (let t = 0; t < 40 && !factorsX; t++) {
      stepP *= 0.8;
      factorsX = interiorFactors(blocks, x, dir.dx, stepP);
    }
    factorsZ = interiorFactors(blocks, z, dir.dz, stepD);
    for (let t = 0; t < 40 && !factorsZ; t++) {
      stepD *= 0.8;
      factorsZ = interiorFactors(blocks, z, dir.dz, stepD);
    }
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
function addSchur(
  bl: PreparedBlock,
  x: Float64Array,
  g: Float64Array,
  xv: Float64Array,
  m: number,
  schur: Float64Array,
): void {
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
  const p = gramFromProduct(bl, xv);
  const rr = gram(bl, g);
  const h = new Float64Array(r * r);
  const local = new Int32Array(r).fill(-1);
  // Entries of E_l summed over l ≥ k, to choose per k between the direct double sum (nnz_k · rest) and the dense H.
  const rest = new Float64Array(m + 1);
  for (let l = m - 1; l >= 0; l--) rest[l] = rest[l + 1]! + (start[l + 1]! - start[l]!);
  for (let k = 0; k < m; k++) {
    const k0 = start[k]!;
    const k1 = start[k + 1]!;
    if (k0 === k1) continue;
    if ((k1 - k0) * rest[k]! < r * r * 4 + rest[k]!) {
      for (let l = k; l < m; l++) {
        let s = 0;
        for (let u = k0; u < k1; u++) {
          const a = ea[u]!;
          const bRow = eb[u]! * r;
          let inner = 0;
          for (let w = start[l]!; w < start[l + 1]!; w++) inner += ev[w]! * p[bRow + ea[w]!]! * rr[eb[w]! * r + a]!;
          s += ev[u]! * inner;
        }
        schur[k * m + l]! += s;
        if (l !== k) schur[l * m + k]! += s;
      }
      continue;
    }
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
