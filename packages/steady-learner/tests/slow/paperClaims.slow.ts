/**
 * Spec §9.1 and §9.3 claim checks (qualitative; minutes of CPU). Run: `pnpm test:slow` in packages/steady-learner.
 * The CIFAR corruption claims (§9.2) are in `cifarCorruption.slow.ts`.
 */
import { describe, expect, it } from 'vitest';
import {
  type MlpConditionSummary,
  mlpSweepFigures,
  regionFigures,
  runMlpFrequencySweep,
  runRegionsExperiment,
} from '../../src/index.js';
import { strictlyIncreasing } from '../support/strictlyIncreasing.js';

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
    saa += ((a[i] as number) - ma) ** 2;
    sbb += ((b[i] as number) - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

// The paper's settings (N = 100, 3000 epochs, lr 1e−3, bs 1), 2 seeds, all four frequencies: ≈ 2.4 M steps, about
// 75 s of CPU. (With 300 epochs and N = 50, as spec test 14 suggests, the ordering has not emerged yet: the f = 1
// network still underfits and its Lipschitz constant is small; the faithful curve orders only after ~1500 epochs.)
describe('§9.1 MLP frequency sweep (paper settings, 2 seeds)', async () => {
  const sweep = await runMlpFrequencySweep({ frequencies: [0.25, 0.5, 0.75, 1.0], repeats: 2, seed: 11 });
  const faithful = mlpSweepFigures(sweep);
  const theory = mlpSweepFigures(sweep, { formulas: 'theory' });
  const low = faithful.summary[0] as MlpConditionSummary;
  const high = faithful.summary[3] as MlpConditionSummary;
  const lowT = theory.summary[0] as MlpConditionSummary;
  const highT = theory.summary[3] as MlpConditionSummary;

  it('a higher frequency gives a longer per-epoch trajectory late in training (faithful and theory)', () => {
    expect(high.trajectoryLate).toBeGreaterThan(low.trajectoryLate);
    expect(highT.trajectoryLate).toBeGreaterThan(lowT.trajectoryLate);
  });
  it('the late theory trajectory and the total trajectory are ordered by frequency', () => {
    expect(strictlyIncreasing(theory.summary.map((s) => s.trajectoryLate))).toBe(true);
    expect(strictlyIncreasing(theory.summary.map((s) => s.totalTrajectory))).toBe(true);
  });
  it('the within-epoch variance (÷η²) increases with frequency', () => {
    expect(strictlyIncreasing(faithful.summary.map((s) => s.medianVariance))).toBe(true);
  });
  it('the distance to initialisation is larger at f = 1 than at f = 0.25 (the paper says "often")', () => {
    expect(high.medianDistance).toBeGreaterThan(low.medianDistance);
  });
  it('train losses converge for all f, slower for higher f; the test loss is higher at the higher frequency', () => {
    for (const s of faithful.summary) expect(s.finalTrainLoss).toBeLessThan(0.05);
    expect(high.finalTrainLoss).toBeGreaterThan(low.finalTrainLoss);
    expect(high.finalTestLoss as number).toBeGreaterThan(low.finalTestLoss as number);
  });
  it('the theory-mode trajectory tracks the per-epoch Lipschitz constant (both are ‖∇_x f‖ at training points)', () => {
    const traj = theory.figures.trajectory;
    const lip = theory.figures.lipschitz;
    if (traj?.kind !== 'line' || lip?.kind !== 'line') throw new Error('unexpected figure kinds');
    for (let c = 0; c < 2; c++) {
      expect(pearson(traj.series[c]?.y ?? [], lip.series[c]?.y ?? [])).toBeGreaterThan(0.8);
    }
  });
});

describe('§9.3 regions (MLP2, f = 0.5, N = 200, 1000 epochs, grid 100)', async () => {
  const result = await runRegionsExperiment({ resolution: 100, seed: 5 });
  const { summary } = regionFigures(result);
  it('the Lipschitz constant is piecewise constant over the regions', () => {
    const { map } = result;
    for (let i = 0; i < map.regionOf.length; i++) {
      const r = map.regions[map.regionOf[i] as number];
      expect(Math.abs((map.lipschitz[i] as number) - (r?.lipschitz as number))).toBeLessThan(1e-9);
    }
  });
  // Observed in a 300-epoch run (seed 5, grid 100): 27 feasible vs 374 infeasible non-training regions — the spec's reading
  // "finite for most" does not hold for our runs (feasibility itself is cross-checked by a span test in CI).
  it('the Theorem-2 bound is finite for some non-training regions, combining several training regions', () => {
    expect(summary.feasible).toBeGreaterThan(0);
    expect(Math.max(...summary.combinedValues)).toBeGreaterThan(1);
  });
});
