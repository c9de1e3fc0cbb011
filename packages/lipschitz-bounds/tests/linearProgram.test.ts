import { describe, expect, it } from 'vitest';
import { type LinearProgram, LinearProgramError, solveLinearProgram } from '../src/index.js';

/** Deterministic uniform [0,1) generator (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

/** Checks the KKT conditions of an optimal result independently of the solver's internals. */
function expectKkt(p: LinearProgram, tol: number) {
  const res = solveLinearProgram(p);
  expect(res.status).toBe('optimal');
  if (res.status !== 'optimal') return res;
  const n = p.c.length;
  const scale = 1 + Math.max(...Array.from(res.x, Math.abs));
  const lo = (j: number) => (p.lower ? (p.lower[j] as number) : 0);
  const up = (j: number) => (p.upper ? (p.upper[j] as number) : Number.POSITIVE_INFINITY);
  // primal feasibility
  p.aUb?.forEach((row, i) => {
    expect(dot(row, res.x)).toBeLessThanOrEqual((p.bUb![i] as number) + tol * scale);
  });
  p.aEq?.forEach((row, i) => {
    expect(Math.abs(dot(row, res.x) - (p.bEq![i] as number))).toBeLessThanOrEqual(tol * scale);
  });
  for (let j = 0; j < n; j++) {
    expect(res.x[j]!).toBeGreaterThanOrEqual(lo(j) - tol * scale);
    expect(res.x[j]!).toBeLessThanOrEqual(up(j) + tol * scale);
  }
  // stationarity recomputed here, dual feasibility and complementary slackness
  const r = Float64Array.from(p.c);
  p.aUb?.forEach((row, i) => {
    expect(res.dualUb[i]!).toBeGreaterThanOrEqual(0);
    for (let j = 0; j < n; j++) r[j]! += (row[j] as number) * res.dualUb[i]!;
    expect(Math.abs(res.dualUb[i]! * ((p.bUb![i] as number) - dot(row, res.x)))).toBeLessThanOrEqual(tol * scale);
  });
  p.aEq?.forEach((row, i) => {
    for (let j = 0; j < n; j++) r[j]! += (row[j] as number) * res.dualEq[i]!;
  });
  for (let j = 0; j < n; j++) {
    expect(res.reducedCosts[j]!).toBeCloseTo(r[j]!, 8);
    const atLo = Math.abs(res.x[j]! - lo(j)) <= tol * scale;
    const atUp = Math.abs(res.x[j]! - up(j)) <= tol * scale;
    if (!atLo) expect(r[j]!).toBeLessThanOrEqual(tol * scale);
    if (!atUp) expect(r[j]!).toBeGreaterThanOrEqual(-tol * scale);
  }
  expect(res.objective).toBeCloseTo(dot(p.c, res.x), 9);
  return res;
}

describe('solveLinearProgram', () => {
  it('solves a textbook LP in closed form (Chvátal ch. 1 example, optimum 13 at (2, 0, 1))', () => {
    // maximise 5x1 + 4x2 + 3x3 s.t. 2x1+3x2+x3 ≤ 5, 4x1+x2+2x3 ≤ 11, 3x1+4x2+2x3 ≤ 8, x ≥ 0
    const res = expectKkt(
      {
        c: [-5, -4, -3],
        aUb: [
          [2, 3, 1],
          [4, 1, 2],
          [3, 4, 2],
        ],
        bUb: [5, 11, 8],
      },
      1e-9,
    );
    if (res.status !== 'optimal') return;
    expect(res.objective).toBeCloseTo(-13, 12);
    expect(Array.from(res.x)).toEqual([expect.closeTo(2, 12), expect.closeTo(0, 12), expect.closeTo(1, 12)]);
    expect(Array.from(res.dualUb)).toEqual([expect.closeTo(1, 10), expect.closeTo(0, 10), expect.closeTo(1, 10)]);
  });

  it('handles equalities, free and upper-bounded variables (closed form)', () => {
    // minimise x − y s.t. x + y = 1, y ≤ 0.25 (bound), x free → x = 0.75, y = 0.25, objective 0.5
    const res = expectKkt(
      { c: [1, -1], aEq: [[1, 1]], bEq: [1], lower: [Number.NEGATIVE_INFINITY, 0], upper: [Infinity, 0.25] },
      1e-10,
    );
    if (res.status !== 'optimal') return;
    expect(res.objective).toBeCloseTo(0.5, 12);
    expect(res.dualEq[0]!).toBeCloseTo(-1, 12);
    // Negative lower bound with a finite upper bound only.
    const r2 = solveLinearProgram({ c: [1], lower: [Number.NEGATIVE_INFINITY], upper: [-3], aUb: [[-1]], bUb: [7] });
    expect(r2.status).toBe('optimal');
    if (r2.status === 'optimal') expect(r2.x[0]).toBeCloseTo(-7, 12);
  });

  it('handles redundant equality rows and degenerate vertices', () => {
    const res = expectKkt(
      {
        c: [1, 1, 1],
        aEq: [
          [1, 1, 0],
          [2, 2, 0],
          [0, 1, 1],
        ],
        bEq: [1, 2, 1],
        aUb: [
          [1, 0, 0],
          [1, 0, 0],
          [0, 0, 1],
        ],
        bUb: [1, 1, 0],
      },
      1e-9,
    );
    if (res.status === 'optimal') expect(res.objective).toBeCloseTo(1, 10);
  });

  it('detects infeasibility', () => {
    expect(solveLinearProgram({ c: [1, 1], aUb: [[1, 1]], bUb: [-1] }).status).toBe('infeasible');
    expect(solveLinearProgram({ c: [0], aEq: [[1], [1]], bEq: [1, 2], lower: [-Infinity] }).status).toBe('infeasible');
    expect(solveLinearProgram({ c: [0], lower: [2], upper: [1] }).status).toBe('infeasible');
    expect(
      solveLinearProgram({
        c: [1, 0],
        aUb: [
          [1, 1],
          [-1, -1],
        ],
        bUb: [1, -1.5],
        lower: [0, 0],
        upper: [1, 0.4],
      }).status,
    ).toBe('infeasible');
  });

  it('detects unboundedness and returns a valid ray', () => {
    const p: LinearProgram = {
      c: [-1, 0.5],
      aUb: [
        [1, -1],
        [-1, 0],
      ],
      bUb: [3, 0],
      lower: [-Infinity, 0],
    };
    const res = solveLinearProgram(p);
    expect(res.status).toBe('unbounded');
    if (res.status !== 'unbounded') return;
    expect(dot(p.c, res.ray)).toBeLessThan(0);
    p.aUb!.forEach((row, i) => {
      expect(dot(row, res.x)).toBeLessThanOrEqual((p.bUb![i] as number) + 1e-9);
      expect(dot(row, res.ray)).toBeLessThanOrEqual(1e-12);
    });
    expect(res.ray[1]!).toBeGreaterThanOrEqual(-1e-12);
    expect(solveLinearProgram({ c: [-1], lower: [-Infinity] }).status).toBe('unbounded');
  });

  it('matches brute-force vertex enumeration on random 2-D LPs', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const m = 3 + Math.floor(rand() * 5);
      const aUb = Array.from({ length: m }, () => [rand() * 2 - 1, rand() * 2 - 1]);
      const bUb = Array.from({ length: m }, () => rand() * 2 - 0.5);
      const c = [rand() * 2 - 1, rand() * 2 - 1];
      const lower = [-3, -3];
      const upper = [3, 3];
      // All constraints as rows g·x ≤ h, boxes included.
      const rows = [
        ...aUb.map((a, i) => ({ a, b: bUb[i]! })),
        { a: [1, 0], b: 3 },
        { a: [-1, 0], b: 3 },
        { a: [0, 1], b: 3 },
        { a: [0, -1], b: 3 },
      ];
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < rows.length; i++) {
        for (let k = i + 1; k < rows.length; k++) {
          const [a1, a2] = rows[i]!.a as [number, number];
          const [b1, b2] = rows[k]!.a as [number, number];
          const det = a1 * b2 - a2 * b1;
          if (Math.abs(det) < 1e-12) continue;
          const x = [(rows[i]!.b * b2 - a2 * rows[k]!.b) / det, (a1 * rows[k]!.b - rows[i]!.b * b1) / det];
          if (rows.every((r) => dot(r.a, x) <= r.b + 1e-9)) best = Math.min(best, dot(c, x));
        }
      }
      const res = solveLinearProgram({ c, aUb, bUb, lower, upper });
      if (best === Number.POSITIVE_INFINITY) {
        expect(res.status).toBe('infeasible');
      } else {
        expect(res.status).toBe('optimal');
        if (res.status === 'optimal') expect(res.objective).toBeCloseTo(best, 8);
      }
    }
  });

  it('satisfies the KKT conditions on random feasible bounded LPs (zero duality gap)', () => {
    const rand = rng(42);
    for (let trial = 0; trial < 60; trial++) {
      const n = 2 + Math.floor(rand() * 12);
      const mUb = Math.floor(rand() * 15);
      const mEq = Math.floor(rand() * Math.min(n, 4));
      const x0 = Array.from({ length: n }, () => rand() * 4 - 2);
      const aUb = Array.from({ length: mUb }, () => Array.from({ length: n }, () => rand() * 2 - 1));
      const bUb = aUb.map((row) => dot(row, x0) + rand() * (trial % 3 === 0 ? 0 : 1)); // some active at x0
      const aEq = Array.from({ length: mEq }, () => Array.from({ length: n }, () => rand() * 2 - 1));
      const bEq = aEq.map((row) => dot(row, x0));
      const lower = Array.from({ length: n }, (_, j) => (j % 3 === 0 ? Number.NEGATIVE_INFINITY : x0[j]! - rand() * 3));
      const upper = Array.from({ length: n }, (_, j) => (j % 3 === 1 ? Number.POSITIVE_INFINITY : x0[j]! + rand() * 3));
      // Boundedness: free-below coordinates get c making them bounded via a box row.
      const boxRows = Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, k) => (k === j ? -1 : 0)));
      const c = Array.from({ length: n }, () => rand() * 2 - 1);
      const p: LinearProgram = {
        c,
        aUb: [...aUb, ...boxRows],
        bUb: [...bUb, ...x0.map((v) => -v + 5)],
        aEq,
        bEq,
        lower,
        upper: upper.map((u, j) => (j % 3 === 0 ? Math.min(u, 10) : u)),
      };
      expectKkt(p, 1e-8);
    }
  });

  it('solves a larger degenerate LP (Chebyshev centre of a random polytope, free variables) to a KKT point', () => {
    const rand = rng(3);
    const n = 30;
    const rows = Array.from({ length: 120 }, () => Array.from({ length: n }, () => rand() * 2 - 1));
    // maximise t s.t. a_iᵀx + ‖a_i‖ t ≤ 1 (a ball of radius t around x inside {a_iᵀx ≤ 1}); many ties at the optimum.
    const aUb = rows.map((a) => [...a, Math.hypot(...a)]);
    const res = expectKkt(
      {
        c: [...Array.from({ length: n }, () => 0), -1],
        aUb: [...aUb, ...aUb.slice(0, 10).map((a) => a.map((v) => v * 2))],
        bUb: [...rows.map(() => 1), ...Array.from({ length: 10 }, () => 2)],
        lower: Array.from({ length: n + 1 }, () => Number.NEGATIVE_INFINITY),
      },
      1e-8,
    );
    expect(res.status === 'optimal' && res.objective < 0).toBe(true);
  });

  it('rejects malformed input with typed errors', () => {
    expect(() => solveLinearProgram({ c: [1, Number.NaN] })).toThrow(LinearProgramError);
    expect(() => solveLinearProgram({ c: [1], aUb: [[1]], bUb: [] })).toThrow(/bUb/);
    expect(() => solveLinearProgram({ c: [1], aUb: [[1, 2]], bUb: [1] })).toThrow(/aUb\[0\]/);
    expect(() => solveLinearProgram({ c: [1], lower: [Infinity] })).toThrow(/lower/);
    try {
      solveLinearProgram({ c: [1], upper: [-Infinity] });
    } catch (e) {
      expect((e as LinearProgramError).argument).toBe('upper');
    }
  });
});
