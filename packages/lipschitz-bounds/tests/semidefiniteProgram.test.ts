import { describe, expect, it } from 'vitest';
import {
  type SdpBlockData,
  type SemidefiniteProgram,
  SemidefiniteProgramError,
  solveSemidefiniteProgram,
  symmetricEigen,
} from '../src/index.js';
import { randomSymmetric, uniformGenerator } from './randomSymmetric.js';

/** Dense symmetric A_k (n×n) for a psd block in V = I coordinates, upper triangle as triplets. */
function psdBlock(n: number, c: ArrayLike<number>, mats: Float64Array[]): SdpBlockData {
  const variable: number[] = [];
  const row: number[] = [];
  const col: number[] = [];
  const value: number[] = [];
  mats.forEach((a, k) => {
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        if (a[i * n + j] === 0) continue;
        variable.push(k);
        row.push(i);
        col.push(j);
        value.push(a[i * n + j]!);
      }
    }
  });
  return { kind: 'psd', size: n, c, entries: { variable, row, col, value } };
}

function randomPd(n: number, rand: () => number): Float64Array {
  const g = randomSymmetric(n, rand);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += g[i * n + k]! * g[j * n + k]!;
  for (let i = 0; i < n; i++) a[i * n + i]! += 0.1;
  return a;
}

const lambdaMin = (a: Float64Array, n: number) => symmetricEigen(a, n, { vectors: false }).values[0]!;

describe('solveSemidefiniteProgram', () => {
  it('computes λ_max of a symmetric matrix: minimise t s.t. tI − A ⪰ 0', () => {
    const rand = uniformGenerator(5);
    for (const n of [1, 3, 8, 20]) {
      const a = randomSymmetric(n, rand);
      const minusI = new Float64Array(n * n);
      for (let i = 0; i < n; i++) minusI[i * n + i] = -1;
      const res = solveSemidefiniteProgram({
        b: [-1],
        blocks: [
          psdBlock(
            n,
            a.map((v) => -v),
            [minusI],
          ),
        ],
      });
      expect(res.status).toBe('optimal');
      const lmax = symmetricEigen(a, n, { vectors: false }).values[n - 1]!;
      expect(res.y[0]).toBeCloseTo(lmax, 7);
      expect(res.log.length).toBe(res.iterations + 1);
      expect(res.iterations).toBeLessThan(40);
    }
  });

  it('solves a 2×2 LMI by hand: minimise y1 + y2 s.t. [[y1, 1], [1, y2]] ⪰ 0 → y = (1, 1)', () => {
    const res = solveSemidefiniteProgram({
      b: [-1, -1],
      blocks: [psdBlock(2, [0, 1, 1, 0], [Float64Array.from([-1, 0, 0, 0]), Float64Array.from([0, 0, 0, -1])])],
    });
    expect(res.status).toBe('optimal');
    expect(res.y[0]).toBeCloseTo(1, 7);
    expect(res.y[1]).toBeCloseTo(1, 7);
    // The primal optimum is X = [[1, −1], [−1, 1]] (⟨C, X⟩ = −2, complementary to S = [[1,1],[1,1]]).
    expect(Array.from(res.x[0]!)).toEqual([1, -1, -1, 1].map((v) => expect.closeTo(v, 6)));
  });

  it('satisfies the KKT conditions on random strictly feasible SDPs with psd and nonneg blocks', () => {
    const rand = uniformGenerator(11);
    for (let trial = 0; trial < 12; trial++) {
      const n = 2 + Math.floor(rand() * 7);
      const nl = 1 + Math.floor(rand() * 4);
      const m = 1 + Math.floor(rand() * 8);
      const mats = Array.from({ length: m }, () => randomSymmetric(n, rand));
      const lp = Array.from({ length: m }, () => Float64Array.from({ length: nl }, () => rand() * 2 - 1));
      const x0 = randomPd(n, rand);
      const z0 = randomPd(n, rand);
      const xl0 = Float64Array.from({ length: nl }, () => 0.1 + rand());
      const zl0 = Float64Array.from({ length: nl }, () => 0.1 + rand());
      const y0 = Float64Array.from({ length: m }, () => rand() * 2 - 1);
      const b = Float64Array.from({ length: m }, (_, k) => {
        let s = 0;
        for (let t = 0; t < n * n; t++) s += mats[k]![t]! * x0[t]!;
        for (let t = 0; t < nl; t++) s += lp[k]![t]! * xl0[t]!;
        return s;
      });
      const c = Float64Array.from(z0);
      const cl = Float64Array.from(zl0);
      for (let k = 0; k < m; k++) {
        for (let t = 0; t < n * n; t++) c[t]! += y0[k]! * mats[k]![t]!;
        for (let t = 0; t < nl; t++) cl[t]! += y0[k]! * lp[k]![t]!;
      }
      const lpBlock: SdpBlockData = {
        kind: 'nonneg',
        size: nl,
        c: cl,
        entries: {
          variable: lp.flatMap((_, k) => Array.from({ length: nl }, () => k)),
          row: lp.flatMap(() => Array.from({ length: nl }, (_, i) => i)),
          col: lp.flatMap(() => Array.from({ length: nl }, (_, i) => i)),
          value: lp.flatMap((v) => Array.from(v)),
        },
      };
      const res = solveSemidefiniteProgram({ b, blocks: [psdBlock(n, c, mats), lpBlock] });
      expect(res.status).toBe('optimal');
      const [x, xl] = res.x as [Float64Array, Float64Array];
      // Primal feasibility: ⟨A_k, X⟩ = b_k, X ⪰ 0.
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let t = 0; t < n * n; t++) s += mats[k]![t]! * x[t]!;
        for (let t = 0; t < nl; t++) s += lp[k]![t]! * xl[t]!;
        expect(Math.abs(s - b[k]!)).toBeLessThan(1e-6 * (1 + Math.abs(b[k]!)));
      }
      expect(lambdaMin(x, n)).toBeGreaterThan(-1e-7);
      for (const v of xl) expect(v).toBeGreaterThan(-1e-9);
      // Dual feasibility recomputed from y: S = C − Σ y_k A_k ⪰ 0 (up to the tolerance).
      const s = Float64Array.from(c);
      const sl = Float64Array.from(cl);
      for (let k = 0; k < m; k++) {
        for (let t = 0; t < n * n; t++) s[t]! -= res.y[k]! * mats[k]![t]!;
        for (let t = 0; t < nl; t++) sl[t]! -= res.y[k]! * lp[k]![t]!;
      }
      expect(lambdaMin(s, n)).toBeGreaterThan(-1e-6);
      for (const v of sl) expect(v).toBeGreaterThan(-1e-6);
      // Complementary slackness: ⟨X, S⟩ ≈ 0 and ‖X S‖_F ≈ 0; zero duality gap.
      let xs = 0;
      for (let t = 0; t < n * n; t++) xs += x[t]! * s[t]!;
      for (let t = 0; t < nl; t++) xs += xl[t]! * sl[t]!;
      const scale = 1 + Math.abs(res.primalObjective);
      expect(Math.abs(xs)).toBeLessThan(1e-6 * scale);
      let xsF = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let v = 0;
          for (let k = 0; k < n; k++) v += x[i * n + k]! * s[k * n + j]!;
          xsF += v * v;
        }
      }
      // ‖XS‖_F ≤ sqrt(‖X‖‖S‖⟨X,S⟩) for X, S ⪰ 0: of order the square root of the gap.
      expect(Math.sqrt(xsF)).toBeLessThan(1e-3 * scale);
      expect(Math.abs(res.primalObjective - res.dualObjective)).toBeLessThan(1e-6 * scale);
    }
  });

  it('detects an infeasible LMI: [[y, 0], [0, −1]] ⪰ 0', () => {
    const res = solveSemidefiniteProgram({
      b: [-1],
      blocks: [psdBlock(2, [0, 0, 0, -1], [Float64Array.from([-1, 0, 0, 0])])],
    });
    expect(res.status).toBe('infeasible');
  });

  it('detects an unbounded LMI: maximise y s.t. 1 + y ≥ 0 and [[2 + y, 1], [1, 2 + y]] ⪰ 0', () => {
    const res = solveSemidefiniteProgram({
      b: [1],
      blocks: [
        psdBlock(2, [2, 1, 1, 2], [Float64Array.from([-1, 0, 0, -1])]),
        { kind: 'nonneg', size: 1, c: [1], entries: { variable: [0], row: [0], col: [0], value: [-1] } },
      ],
    });
    expect(res.status).toBe('unbounded');
  });

  it('uses a sparse low-rank basis: the same λ_max problem with V = [v1, v2] gives the same answer', () => {
    // A = 2 v1 v1ᵀ − v2 v2ᵀ + I-part through C; minimise t s.t. tI − (C0 + A) ⪰ 0 written as C = −C0, A_1 = −I,
    // with the data term moved into C. A basis only changes how A_k is stored: here A_1 = −I = V(−I)Vᵀ, V = I (sparse).
    const n = 4;
    const basis = Array.from({ length: n }, (_, i) => ({ index: [i], value: [1] }));
    const a = randomSymmetric(n, uniformGenerator(3));
    const res = solveSemidefiniteProgram({
      b: [-1],
      blocks: [
        {
          kind: 'psd',
          size: n,
          c: a.map((v) => -v),
          basis,
          entries: { variable: [0, 0, 0, 0], row: [0, 1, 2, 3], col: [0, 1, 2, 3], value: [-1, -1, -1, -1] },
        },
      ],
    });
    expect(res.status).toBe('optimal');
    expect(res.y[0]).toBeCloseTo(symmetricEigen(a, n, { vectors: false }).values[n - 1]!, 7);
  });

  it('a sparse basis (shared-support panels, unit-vector runs, r > n and r < n) gives the same solution as the dense A_k = V E_k Vᵀ', () => {
    const rand = uniformGenerator(23);
    const n = 7;
    const shared = [0, 2, 3, 5];
    // Columns: five sharing one support (one stored zero), a run of unit vectors, then two irregular columns.
    const fullBasis = [
      { index: shared, value: [1, -0.5, 0, 2] },
      { index: shared, value: [0.3, 1, -1, 0.2] },
      { index: shared, value: [-0.7, 0.4, 0.9, 1] },
      { index: shared, value: [0.2, -0.1, 0.5, -0.6] },
      { index: shared, value: [0.8, 0.6, -0.4, 0.1] },
      { index: [1], value: [1] },
      { index: [4], value: [-2] },
      { index: [6], value: [0.5] },
      { index: [1, 6], value: [1, 1] },
      { index: [0, 1, 2, 3, 4, 5, 6], value: [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7] },
    ];
    for (const basis of [fullBasis, fullBasis.slice(4, 8)]) {
      const r = basis.length;
      const m = 4;
      const v = new Float64Array(n * r);
      basis.forEach((col, j) => {
        col.index.forEach((i, t) => {
          v[i * r + j] = col.value[t]!;
        });
      });
      const entries = { variable: [] as number[], row: [] as number[], col: [] as number[], value: [] as number[] };
      const dense = Array.from({ length: m }, () => new Float64Array(n * n));
      for (let k = 0; k < m; k++) {
        const e = new Float64Array(r * r);
        for (let t = 0; t < 3; t++) {
          const a = Math.floor(rand() * r);
          const c = a + Math.floor(rand() * (r - a));
          const val = rand() * 2 - 1;
          e[a * r + c]! += val;
          if (a !== c) e[c * r + a]! += val;
          entries.variable.push(k);
          entries.row.push(a);
          entries.col.push(c);
          entries.value.push(val);
        }
        // A_k = V E_k Vᵀ densely.
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            for (let a = 0; a < r; a++)
              for (let c = 0; c < r; c++) dense[k]![i * n + j]! += v[i * r + a]! * e[a * r + c]! * v[j * r + c]!;
      }
      // Strictly feasible primal and dual points: b = A(X0), C = Z0 + Σ y0_k A_k.
      const x0 = randomPd(n, rand);
      const c = randomPd(n, rand);
      const b = dense.map((a) => a.reduce((s, val, t) => s + val * x0[t]!, 0));
      for (let k = 0; k < m; k++) {
        const y0 = rand() - 0.5;
        for (let t = 0; t < n * n; t++) c[t]! += y0 * dense[k]![t]!;
      }
      const withBasis = solveSemidefiniteProgram({ b, blocks: [{ kind: 'psd', size: n, c, basis, entries }] });
      const expanded = solveSemidefiniteProgram({ b, blocks: [psdBlock(n, c, dense)] });
      expect(withBasis.status).toBe('optimal');
      expect(expanded.status).toBe('optimal');
      const scale = 1 + Math.abs(expanded.dualObjective);
      expect(Math.abs(withBasis.dualObjective - expanded.dualObjective)).toBeLessThan(1e-7 * scale);
      expect(Math.abs(withBasis.primalObjective - expanded.primalObjective)).toBeLessThan(1e-7 * scale);
      // The LMI holds at the basis solver's y (checked on the dense data).
      const slack = Float64Array.from(c);
      for (let k = 0; k < m; k++) for (let t = 0; t < n * n; t++) slack[t]! -= withBasis.y[k]! * dense[k]![t]!;
      expect(lambdaMin(slack, n)).toBeGreaterThan(-1e-7);
    }
  });

  it('detects an infeasible LMI stated through a basis: [[y, 0], [0, −1]] ⪰ 0 with V = [e_0]', () => {
    const res = solveSemidefiniteProgram({
      b: [-1],
      blocks: [
        {
          kind: 'psd',
          size: 2,
          c: [0, 0, 0, -1],
          basis: [{ index: [0], value: [1] }],
          entries: { variable: [0], row: [0], col: [0], value: [-1] },
        },
      ],
    });
    expect(res.status).toBe('infeasible');
  });

  it('rejects malformed problems with typed errors', () => {
    const good: SemidefiniteProgram = { b: [1], blocks: [psdBlock(1, [1], [Float64Array.from([1])])] };
    expect(() => solveSemidefiniteProgram({ ...good, blocks: [] })).toThrow(SemidefiniteProgramError);
    expect(() => solveSemidefiniteProgram({ b: [1], blocks: [{ ...good.blocks[0]!, c: [1, 2] }] })).toThrow(/c/);
    expect(() =>
      solveSemidefiniteProgram({
        b: [1],
        blocks: [{ kind: 'psd', size: 1, c: [1], entries: { variable: [3], row: [0], col: [0], value: [1] } }],
      }),
    ).toThrow(/variable/);
    expect(() => solveSemidefiniteProgram(good, { tolerance: 0 })).toThrow(/tolerance/);
  });
});
