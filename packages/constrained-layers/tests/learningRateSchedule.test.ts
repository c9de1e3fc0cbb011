import { describe, expect, it } from 'vitest';
import { learningRateAt, TrainingConfigError, validateLearningRateSchedule } from '../src/index.js';

describe('learningRateAt', () => {
  it('MultiStep: lr·0.2^k after the milestones 60/120/160 (spec §9.4)', () => {
    const s = { kind: 'multistep', baseLr: 0.003, milestones: [60, 120, 160], gamma: 0.2 } as const;
    expect(learningRateAt(s, 0)).toBe(0.003);
    expect(learningRateAt(s, 59)).toBe(0.003);
    expect(learningRateAt(s, 60)).toBeCloseTo(0.0006, 15);
    expect(learningRateAt(s, 119)).toBeCloseTo(0.0006, 15);
    expect(learningRateAt(s, 120)).toBeCloseTo(0.00012, 15);
    expect(learningRateAt(s, 200)).toBeCloseTo(0.000024, 15);
  });
  it('cosine: lr at 0, lr/2 at tMax/2, 0 at tMax', () => {
    const s = { kind: 'cosine', baseLr: 0.1, tMax: 10 } as const;
    expect(learningRateAt(s, 0)).toBe(0.1);
    expect(learningRateAt(s, 5)).toBeCloseTo(0.05, 15);
    expect(learningRateAt(s, 10)).toBeCloseTo(0, 15);
    expect(learningRateAt(s, 9)).toBeGreaterThan(0);
  });
  it('validates its numbers naming the flags', () => {
    expect(() => validateLearningRateSchedule({ kind: 'constant', baseLr: 0 })).toThrow(TrainingConfigError);
    expect(() => validateLearningRateSchedule({ kind: 'multistep', baseLr: 1, milestones: [0.5], gamma: 0.2 })).toThrow(
      /--milestones/,
    );
  });
});
