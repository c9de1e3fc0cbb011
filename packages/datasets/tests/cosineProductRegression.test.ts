import { describe, expect, it } from 'vitest';
import { cosineProductRegression, DatasetError } from '../src/index.js';

describe('cosineProductRegression', () => {
  const data = cosineProductRegression({ seed: 4 });

  it('has N = 100 train and ⌊0.3·N⌋ = 30 test points in 10-D', () => {
    expect(data.train.count).toBe(100);
    expect(data.test.count).toBe(30);
    expect(data.train.inputs.length).toBe(1000);
    expect(cosineProductRegression({ seed: 4, count: 7 }).test.count).toBe(2);
  });

  it('embeds on an orthonormal plane: ‖x‖ = 10·‖(u, v)‖ and projecting x recovers (u, v) and the target', () => {
    const q = data.basis;
    const dot = (a: number, b: number) =>
      Array.from({ length: 10 }, (_, i) => q[i * 2 + a]! * q[i * 2 + b]!).reduce((s, v) => s + v, 0);
    expect(dot(0, 0)).toBeCloseTo(1, 12);
    expect(dot(1, 1)).toBeCloseTo(1, 12);
    expect(dot(0, 1)).toBeCloseTo(0, 12);
    for (const split of [data.train, data.test]) {
      for (let p = 0; p < split.count; p++) {
        const x = Array.from(split.inputs.subarray(p * 10, p * 10 + 10));
        const u = x.reduce((s, v, i) => s + v * q[i * 2]!, 0) / 10;
        const v = x.reduce((s, w, i) => s + w * q[i * 2 + 1]!, 0) / 10;
        expect(Math.abs(u)).toBeLessThanOrEqual(1 + 1e-6);
        expect(u).toBeCloseTo(split.plane[2 * p]!, 5);
        expect(v).toBeCloseTo(split.plane[2 * p + 1]!, 5);
        expect(Math.hypot(...x)).toBeCloseTo(10 * Math.hypot(u, v), 4);
        expect(split.targets[p]).toBeCloseTo(Math.cos(Math.PI * u) * Math.cos(Math.PI * v), 5); // 2π·0.5 = π
      }
    }
  });

  it('is reproducible per seed and rejects bad arguments', () => {
    expect(Array.from(cosineProductRegression({ seed: 4 }).train.inputs)).toEqual(Array.from(data.train.inputs));
    expect(Array.from(cosineProductRegression({ seed: 5 }).train.inputs)).not.toEqual(Array.from(data.train.inputs));
    expect(() => cosineProductRegression({ seed: 1.5 })).toThrow(DatasetError);
    expect(() => cosineProductRegression({ seed: 1, count: 0 })).toThrow(/^count: /);
    expect(() => cosineProductRegression({ seed: 1, dimension: 1 })).toThrow(/^dimension: /);
    expect(() => cosineProductRegression({ seed: 1, frequency: Number.NaN })).toThrow(/^frequency: /);
  });
});
