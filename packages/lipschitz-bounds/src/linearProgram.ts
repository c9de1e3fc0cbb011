/**
 * A general dense linear-programming solver in float64: the two-phase simplex method on a tableau, with Dantzig's
 * pricing and a switch to Bland's rule after a run of degenerate pivots (so it cannot cycle).
 *
 * Problem (the form of SciPy's `linprog`):
 *
 *   minimise cᵀx  subject to  A_ub x ≤ b_ub,  A_eq x = b_eq,  lower ≤ x ≤ upper.
 *
 * Internally every variable is shifted/split to x̃ ≥ 0, finite upper bounds become rows, ≤ rows get slacks and every
 * row is scaled to max-norm 1 before the simplex runs (Chvátal, "Linear Programming", 1983, ch. 2–3, 8).
 */

/** Bad input to {@link solveLinearProgram}; `argument` names the offending field. */
export class LinearProgramError extends Error {
  /** The argument (field of {@link LinearProgram} or option) that is wrong. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'LinearProgramError';
    this.argument = argument;
  }
}

/** A dense matrix given as rows; every row has the same length. */
export type DenseRows = ReadonlyArray<ArrayLike<number>>;

/** minimise cᵀx s.t. A_ub x ≤ b_ub, A_eq x = b_eq, lower ≤ x ≤ upper. */
export interface LinearProgram {
  /** Objective coefficients, length n. */
  c: ArrayLike<number>;
  /** Inequality rows (each of length n); with `bUb`. */
  aUb?: DenseRows;
  bUb?: ArrayLike<number>;
  /** Equality rows (each of length n); with `bEq`. */
  aEq?: DenseRows;
  bEq?: ArrayLike<number>;
  /** Lower bounds, length n; `-Infinity` for none. Default: all 0 (as SciPy's `linprog`). */
  lower?: ArrayLike<number>;
  /** Upper bounds, length n; `Infinity` for none. Default: all `Infinity`. */
  upper?: ArrayLike<number>;
}

/** Options of {@link solveLinearProgram}. */
export interface LinearProgramOptions {
  /** Feasibility tolerance on the scaled rows (max-norm 1). Default 1e-9. */
  feasibilityTolerance?: number;
  /** Optimality tolerance on the reduced costs, relative to max|c|. Default 1e-9. */
  optimalityTolerance?: number;
  /** Pivot budget over both phases. Default 50·(rows + columns) + 1000. Exceeding it throws {@link LinearProgramError}. */
  maxIterations?: number;
}

/** An optimal solution with the Lagrange multipliers that certify it. */
export interface LinearProgramOptimal {
  status: 'optimal';
  /** A vertex solution, length n. */
  x: Float64Array;
  /** cᵀx. */
  objective: number;
  /**
   * Multipliers λ ≥ 0 of the rows of A_ub (length of `bUb`). With μ below, the KKT conditions read
   * r = c + A_ubᵀλ + A_eqᵀμ with r_j ≥ 0 where x_j = lower_j, r_j ≤ 0 where x_j = upper_j, r_j = 0 strictly
   * between, and λ_i (b_ub − A_ub x)_i = 0.
   */
  dualUb: Float64Array;
  /** Multipliers μ (free sign) of the rows of A_eq. */
  dualEq: Float64Array;
  /** r = c + A_ubᵀλ + A_eqᵀμ, recomputed from the input in float64. */
  reducedCosts: Float64Array;
  /** Simplex pivots over both phases. */
  iterations: number;
}

/** No x satisfies the constraints (phase one ends with a positive infeasibility). */
export interface LinearProgramInfeasible {
  status: 'infeasible';
  iterations: number;
}

/** The objective is unbounded below: `x + t·ray` is feasible for all t ≥ 0 and cᵀray < 0. */
export interface LinearProgramUnbounded {
  status: 'unbounded';
  /** A feasible point. */
  x: Float64Array;
  /** A feasible direction of decrease. */
  ray: Float64Array;
  iterations: number;
}

/** Result of {@link solveLinearProgram}. */
export type LinearProgramResult = LinearProgramOptimal | LinearProgramInfeasible | LinearProgramUnbounded;

/** How an original variable x_j is expressed in the non-negative standard-form variables. */
interface VariableMap {
  /** x_j = offset + sign·x̃[column] (− x̃[negColumn] when the variable is free). */
  offset: number;
  sign: number;
  column: number;
  negColumn: number;
}

function checkVector(name: string, v: ArrayLike<number> | undefined, n: number, allowInf: 'none' | 'neg' | 'pos') {
  if (v === undefined) return;
  if (v.length !== n) throw new LinearProgramError(name, `length ${v.length}; allowed: ${n}`);
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    if (Number.isNaN(x)) throw new LinearProgramError(name, `entry ${i} is NaN; allowed: finite numbers`);
    if (!Number.isFinite(x) && !((allowInf === 'neg' && x < 0) || (allowInf === 'pos' && x > 0))) {
      throw new LinearProgramError(
        name,
        `entry ${i} is ${x}; allowed: finite numbers${allowInf === 'none' ? '' : ` or ${allowInf === 'neg' ? '-' : '+'}Infinity`}`,
      );
    }
  }
}

function checkRows(
  name: string,
  rows: DenseRows | undefined,
  rhsName: string,
  rhs: ArrayLike<number> | undefined,
  n: number,
): number {
  const m = rows?.length ?? 0;
  if ((rhs?.length ?? 0) !== m) {
    throw new LinearProgramError(rhsName, `length ${rhs?.length ?? 0}; allowed: ${m} (the number of rows of ${name})`);
  }
  for (let i = 0; i < m; i++) checkVector(`${name}[${i}]`, rows![i], n, 'none');
  checkVector(rhsName, rhs, m, 'none');
  return m;
}

/**
 * Solves a linear program exactly up to float64 rounding by the two-phase simplex method.
 *
 * Returns `optimal` (with x, objective, multipliers), `infeasible`, or `unbounded` (with a ray). Throws
 * {@link LinearProgramError} on malformed input (wrong lengths, NaN, lower > upper is reported as `infeasible`) or when
 * the pivot budget is exhausted. Dense: cost per pivot O(rows × columns); meant for problems up to a few hundred rows.
 */
export function solveLinearProgram(problem: LinearProgram, options: LinearProgramOptions = {}): LinearProgramResult {
  const n = problem.c.length;
  checkVector('c', problem.c, n, 'none');
  const mUb = checkRows('aUb', problem.aUb, 'bUb', problem.bUb, n);
  const mEq = checkRows('aEq', problem.aEq, 'bEq', problem.bEq, n);
  checkVector('lower', problem.lower, n, 'neg');
  checkVector('upper', problem.upper, n, 'pos');
  const feasTol = options.feasibilityTolerance ?? 1e-9;
  const optTolRel = options.optimalityTolerance ?? 1e-9;
  if (!(feasTol > 0)) throw new LinearProgramError('feasibilityTolerance', `${feasTol}; allowed: > 0`);
  if (!(optTolRel > 0)) throw new LinearProgramError('optimalityTolerance', `${optTolRel}; allowed: > 0`);

  const lower = (j: number) => (problem.lower ? (problem.lower[j] as number) : 0);
  const upper = (j: number) => (problem.upper ? (problem.upper[j] as number) : Number.POSITIVE_INFINITY);

  // Variable maps and standard-form columns.
  const maps: VariableMap[] = [];
  let columns = 0;
  const boundRows: Array<{ column: number; rhs: number }> = [];
  for (let j = 0; j < n; j++) {
    const lo = lower(j);
    const up = upper(j);
    if (lo > up) return { status: 'infeasible', iterations: 0 };
    if (Number.isFinite(lo)) {
      maps.push({ offset: lo, sign: 1, column: columns, negColumn: -1 });
      if (Number.isFinite(up)) boundRows.push({ column: columns, rhs: up - lo });
      columns++;
    } else if (Number.isFinite(up)) {
      maps.push({ offset: up, sign: -1, column: columns, negColumn: -1 });
      columns++;
    } else {
      maps.push({ offset: 0, sign: 1, column: columns, negColumn: columns + 1 });
      columns += 2;
    }
  }
  const nStruct = columns;
  // Rows: ub rows, bound rows (both with a slack), then eq rows.
  const mSlack = mUb + boundRows.length;
  const m = mSlack + mEq;
  const slackStart = nStruct;
  const artStart = nStruct + mSlack;
  const nAll = artStart + m; // every row gets an artificial column slot (unused ones stay zero)
  const width = nAll + 1; // last column = right-hand side
  const T = new Float64Array((m + 1) * width);
  const rowScale = new Float64Array(m); // tableau row = rowScale · original row
  const rhsCol = nAll;

  const putOriginalRow = (r: number, a: ArrayLike<number>, b: number) => {
    let rhs = b;
    for (let j = 0; j < n; j++) {
      const aj = a[j] as number;
      if (aj === 0) continue;
      const map = maps[j]!;
      rhs -= aj * map.offset;
      T[r * width + map.column] = aj * map.sign;
      if (map.negColumn >= 0) T[r * width + map.negColumn] = -aj;
    }
    T[r * width + rhsCol] = rhs;
  };
  for (let i = 0; i < mUb; i++) {
    putOriginalRow(i, problem.aUb![i]!, problem.bUb![i] as number);
    T[i * width + slackStart + i] = 1;
  }
  boundRows.forEach((br, k) => {
    const r = mUb + k;
    T[r * width + br.column] = 1;
    T[r * width + slackStart + r] = 1;
    T[r * width + rhsCol] = br.rhs;
  });
  for (let i = 0; i < mEq; i++) putOriginalRow(mSlack + i, problem.aEq![i]!, problem.bEq![i] as number);

  // Equilibrate rows (max-norm 1 over the structural part) and make every right-hand side non-negative.
  const basis = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    let big = 0;
    for (let j = 0; j < artStart; j++) big = Math.max(big, Math.abs(T[r * width + j]!));
    let s = big > 0 ? 1 / big : 1;
    if (T[r * width + rhsCol]! < 0) s = -s;
    rowScale[r] = s;
    for (let j = 0; j < width; j++) T[r * width + j]! *= s;
    // A slack with coefficient +1 after scaling can start in the basis; otherwise an artificial does.
    if (r < mSlack && s > 0) {
      basis[r] = slackStart + r;
    } else {
      basis[r] = artStart + r;
      T[r * width + artStart + r] = 1;
    }
  }

  const cMax = Math.max(1e-300, ...Array.from({ length: n }, (_, j) => Math.abs(problem.c[j] as number)));
  const maxIterations = options.maxIterations ?? 50 * (m + nAll) + 1000;
  let iterations = 0;
  const obj = m * width; // objective row offset; holds reduced costs, rhs cell = −objective

  const pivot = (pr: number, pc: number) => {
    const pv = T[pr * width + pc]!;
    const prow = pr * width;
    for (let j = 0; j < width; j++) T[prow + j]! /= pv;
    T[prow + pc] = 1;
    for (let r = 0; r <= m; r++) {
      if (r === pr) continue;
      const f = T[r * width + pc]!;
      if (f === 0) continue;
      const row = r * width;
      for (let j = 0; j < width; j++) {
        const v = T[prow + j]!;
        if (v !== 0) T[row + j]! -= f * v;
      }
      T[row + pc] = 0;
    }
    basis[pr] = pc;
  };

  /** Runs the simplex on the current objective row over columns [0, enterLimit). Returns the unbounded column or −1. */
  const runSimplex = (enterLimit: number, dTol: number): number => {
    let degenerateRun = 0;
    for (;;) {
      const bland = degenerateRun > 50;
      let enter = -1;
      let best = -dTol;
      for (let j = 0; j < enterLimit; j++) {
        const d = T[obj + j]!;
        if (d < best) {
          enter = j;
          if (bland) break;
          best = d;
        }
      }
      if (enter < 0) return -1;
      let leave = -1;
      let bestRatio = Number.POSITIVE_INFINITY;
      let bestPivot = 0;
      for (let r = 0; r < m; r++) {
        const a = T[r * width + enter]!;
        if (a <= 1e-11) continue;
        const ratio = Math.max(0, T[r * width + rhsCol]!) / a;
        const tie = Math.abs(ratio - bestRatio) <= 1e-12 * Math.max(1, bestRatio);
        if (
          ratio < bestRatio - 1e-12 * Math.max(1, bestRatio) ||
          (tie && (bland ? basis[r]! < basis[leave]! : a > bestPivot))
        ) {
          leave = r;
          bestRatio = ratio;
          bestPivot = a;
        }
      }
      if (leave < 0) return enter;
      if (++iterations > maxIterations) {
        throw new LinearProgramError('maxIterations', `${maxIterations} pivots exhausted; allowed: a larger budget`);
      }
      degenerateRun = bestRatio <= 1e-14 ? degenerateRun + 1 : 0;
      pivot(leave, enter);
    }
  };

  // Phase one: minimise the sum of the artificials in the basis.
  const artificialInUse = new Uint8Array(m);
  for (let r = 0; r < m; r++) if (basis[r]! >= artStart) artificialInUse[r] = 1;
  if (artificialInUse.some((v) => v === 1)) {
    T.fill(0, obj, obj + width);
    for (let r = 0; r < m; r++) {
      if (!artificialInUse[r]) continue;
      // reduced cost row = cost − Σ basic rows (cost 1 on each artificial)
      for (let j = 0; j < width; j++) T[obj + j]! -= T[r * width + j]!;
      T[obj + artStart + r]! += 1;
    }
    runSimplex(artStart, 1e-11);
    const infeasibility = -T[obj + rhsCol]!;
    if (infeasibility > feasTol * Math.max(1, m)) return { status: 'infeasible', iterations };
    // Drive artificials at level zero out of the basis where a structural/slack pivot exists.
    for (let r = 0; r < m; r++) {
      if (basis[r]! < artStart) continue;
      let pc = -1;
      let big = 1e-9;
      for (let j = 0; j < artStart; j++) {
        const a = Math.abs(T[r * width + j]!);
        if (a > big) {
          big = a;
          pc = j;
        }
      }
      if (pc >= 0) pivot(r, pc);
      // else: the row is redundant; its artificial stays basic at zero and never changes (its row is zero).
    }
  }

  // Phase two: the true objective in standard-form variables.
  const cStd = new Float64Array(nAll);
  for (let j = 0; j < n; j++) {
    const map = maps[j]!;
    const cj = (problem.c[j] as number) / cMax;
    cStd[map.column] = cj * map.sign;
    if (map.negColumn >= 0) cStd[map.negColumn] = -cj;
  }
  T.fill(0, obj, obj + width);
  for (let j = 0; j < nAll; j++) T[obj + j] = cStd[j]!;
  for (let r = 0; r < m; r++) {
    const cb = cStd[basis[r]!]!;
    if (cb === 0) continue;
    for (let j = 0; j < width; j++) T[obj + j]! -= cb * T[r * width + j]!;
  }
  const unboundedColumn = runSimplex(artStart, optTolRel);

  const xStd = new Float64Array(nAll);
  for (let r = 0; r < m; r++) xStd[basis[r]!] = Math.max(0, T[r * width + rhsCol]!);
  const toOriginal = (v: Float64Array, withOffset: boolean) => {
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const map = maps[j]!;
      x[j] = (withOffset ? map.offset : 0) + map.sign * v[map.column]! - (map.negColumn >= 0 ? v[map.negColumn]! : 0);
    }
    return x;
  };
  const x = toOriginal(xStd, true);

  if (unboundedColumn >= 0) {
    const dStd = new Float64Array(nAll);
    dStd[unboundedColumn] = 1;
    for (let r = 0; r < m; r++) dStd[basis[r]!] = -T[r * width + unboundedColumn]!;
    return { status: 'unbounded', x, ray: toOriginal(dStd, false), iterations };
  }

  // Duals: y = c_Bᵀ B⁻¹ of the scaled system. The column that started as row r's basic column (phase-two cost 0) has
  // reduced cost d = −y_r·(its entry): the entry is 1 for an artificial and rowScale[r] for a scaled slack. The
  // original row's multiplier is rowScale[r]·y_r, times cMax for the objective scaling; λ = −y (≤ rows), μ = −y (= rows).
  const dual = (r: number) => {
    const slackBasic = r < mSlack && rowScale[r]! > 0;
    const d = T[obj + (slackBasic ? slackStart + r : artStart + r)]!;
    return (slackBasic ? d : d * rowScale[r]!) * cMax;
  };
  const dualUb = new Float64Array(mUb);
  for (let i = 0; i < mUb; i++) dualUb[i] = Math.max(0, dual(i));
  const dualEq = new Float64Array(mEq);
  for (let i = 0; i < mEq; i++) dualEq[i] = dual(mSlack + i);
  const reducedCosts = new Float64Array(n);
  let objective = 0;
  for (let j = 0; j < n; j++) {
    reducedCosts[j] = problem.c[j] as number;
    objective += (problem.c[j] as number) * x[j]!;
  }
  for (let i = 0; i < mUb; i++) {
    const row = problem.aUb![i]!;
    for (let j = 0; j < n; j++) reducedCosts[j]! += (row[j] as number) * dualUb[i]!;
  }
  for (let i = 0; i < mEq; i++) {
    const row = problem.aEq![i]!;
    for (let j = 0; j < n; j++) reducedCosts[j]! += (row[j] as number) * dualEq[i]!;
  }
  return { status: 'optimal', x, objective, dualUb, dualEq, reducedCosts, iterations };
}
