import { describe, expect, it } from 'vitest';
import { DatasetError, SeededRandom, shuffledIndices } from '../src/index.js';

describe('SeededRandom', () => {
  it('is reproducible for a seed and differs across seeds (including seeds beyond 32 bits)', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 8 },
        (() => {
          const r = new SeededRandom(seed);
          return () => r.nextUint32();
        })(),
      );
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(-1)).not.toEqual(draw(2 ** 32 - 1));
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it('nextInt is uniform (chi-square over 10 bins) and nextFloat stays in [0, 1)', () => {
    const r = new SeededRandom(7);
    const counts = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[r.nextInt(10)]++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9); // 99.9 % quantile of chi-square with 9 degrees of freedom
    for (let i = 0; i < 10_000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
    }
  });

  it('nextNormal has mean ≈ 0 and variance ≈ 1', () => {
    const r = new SeededRandom(3);
    const n = 50_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.nextNormal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it('shuffledIndices is a permutation, reproducible, and every position is reached', () => {
    const p = shuffledIndices(1000, 5);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(shuffledIndices(1000, 5))).toEqual(Array.from(p));
    expect(Array.from(shuffledIndices(1000, 6))).not.toEqual(Array.from(p));
    // Over many 3-element shuffles all 6 permutations appear about equally often.
    const seen = new Map<string, number>();
    const r = new SeededRandom(11);
    for (let i = 0; i < 6000; i++) {
      const key = r.shuffleInPlace([0, 1, 2]).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const c of seen.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('rejects seeds that are not integers with a DatasetError naming the argument', () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number, 2 ** 60]) {
      try {
        new SeededRandom(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
        expect((e as DatasetError).argument).toBe('seed');
        expect((e as Error).message).toMatch(/^seed: .* is not an integer; allowed: integers/);
      }
    }
    expect(() => shuffledIndices(3, 0.5)).toThrow(DatasetError);
  });
});
