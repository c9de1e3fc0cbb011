import { describe, expect, it } from 'vitest';
import {
  biasVariancePerEpoch,
  decadeDecayFactor,
  decadeDecayLearningRate,
  distanceToReference,
  epochTrajectory,
  exponentialMovingAverage,
  lastEpochs,
  normalisedSteps,
  SteadyLearnerError,
} from '../src/index.js';

describe('trajectory formulas (spec §11 tests 4–8)', () => {
  it('test 4: trajectory on the toy sequence (faithful off-by-one pairing)', () => {
    const tau = normalisedSteps({
      biases: [0, 0, 3, 4, 3, 4, 6, 8],
      dim: 2,
      learningRates: [1, 1, 1, 1],
      normalisers: [1, 2, 1, 1],
    });
    // τ without the /N: [5/1, 0/2, 5/1] padded with the last value.
    expect(Array.from(tau.steps)).toEqual([5, 0, 5, 5]);
    const T = epochTrajectory(tau, 2);
    expect(Array.from(T.perEpoch)).toEqual([2.5, 5.0]);
    expect(Array.from(T.integral)).toEqual([0, 2.5]);
  });
  it('theory pairing divides each update by its own step and starts from the initial bias', () => {
    const tau = normalisedSteps(
      {
        biases: [0, 0, 3, 4, 3, 4, 6, 8],
        dim: 2,
        learningRates: [1, 1, 1, 1],
        normalisers: [1, 2, 1, 1],
        initialBias: [0, 0],
      },
      'theory',
    );
    expect(Array.from(tau.steps)).toEqual([0, 5 / 2, 0, 5]);
  });
  it('counts degenerate normalisers instead of hiding them', () => {
    const faithful = normalisedSteps({
      biases: [0, 1, 1, 2],
      dim: 1,
      learningRates: [1, 1, 1, 1],
      normalisers: [0, 1, 1, 1],
    });
    expect(faithful.degenerateCount).toBe(1);
    expect(faithful.steps[0]).toBe(Number.POSITIVE_INFINITY);
    const theory = normalisedSteps(
      { biases: [0, 1, 1, 2], dim: 1, learningRates: [1, 1, 1, 1], normalisers: [1, 1, 0, 1], initialBias: [0] },
      'theory',
    );
    expect(theory.degenerate[2]).toBe(1);
    expect(epochTrajectory(theory, 4, true).perEpoch[0]).toBeCloseTo((0 + 1 + 1) / 3, 12);
  });
  it('test 5: variance formula', () => {
    expect(Array.from(biasVariancePerEpoch([1, 0, -1, 0], 2, [0.5, 0.5], 2))).toEqual([4]);
  });
  it('test 6: distance from the first step, and the last-10-epochs slice', () => {
    const B = [1, 1, 4, 5, 1, 1];
    const D = distanceToReference(B, 2);
    expect(Array.from(D)).toEqual([0, 5, 0]);
    const Dt = distanceToReference(B, 2, 'theory', [1, 0]);
    expect(Dt[0]).toBe(1);
    expect(Dt[1]).toBeCloseTo(Math.hypot(3, 5), 12);
    const series = Float64Array.from({ length: 20 * 3 }, (_, i) => i);
    expect(lastEpochs(series, 3, 10).length).toBe(30);
    expect(lastEpochs(series, 3, 10)[0]).toBe(30);
  });
  it('test 7: EMA', () => {
    const s = exponentialMovingAverage([1, 0, 0]);
    expect(s[0]).toBe(1);
    expect(s[1]).toBeCloseTo(0.95, 15);
    expect(s[2]).toBeCloseTo(0.9025, 15);
  });
  it('test 8: learning-rate schedule', () => {
    expect(Math.abs(decadeDecayLearningRate(2.5e-3, 50, 50) / 2.5e-4 - 1)).toBeLessThan(1e-9);
    expect(decadeDecayFactor(50)).toBeCloseTo(0.954992586, 9);
    expect(decadeDecayLearningRate(2.5e-3, 50, 99)).toBeCloseTo(2.618e-5, 8);
    expect(() => decadeDecayLearningRate(2.5e-3, 0, 1)).toThrow(SteadyLearnerError);
  });
  it('rejects inconsistent shapes', () => {
    expect(() => normalisedSteps({ biases: [0, 1], dim: 2, learningRates: [1, 1], normalisers: [1, 1] })).toThrow(
      SteadyLearnerError,
    );
    expect(() =>
      epochTrajectory({ steps: new Float64Array(5), degenerate: new Uint8Array(5), degenerateCount: 0 }, 2),
    ).toThrow(/stepsPerEpoch/);
  });
});
