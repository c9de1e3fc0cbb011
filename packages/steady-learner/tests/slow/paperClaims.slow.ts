/**
 * Spec §9 claim checks (qualitative; minutes of CPU). Run: `pnpm test:slow` in packages/steady-learner.
 * The CIFAR corruption claims (§9.2) need the real CIFAR-10 download and hours of CNN training; they are run with
 * `lipkit steady cnn` instead and are not asserted here.
 */
import { describe, expect, it } from 'vitest';
import {
  type MlpConditionSummary,
  mlpSweepFigures,
  regionFigures,
  runMlpFrequencySweep,
  runRegionsExperiment,
} from '../../src/index.js';

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

describe('§9.1 MLP frequency sweep (3 seeds, N = 50, 300 epochs; spec test 14 property)', async () => {
  const sweep = await runMlpFrequencySweep({
    frequencies: [0.25, 1.0],
    trainSize: 50,
    epochs: 300,
    repeats: 3,
    seed: 11,
  });
  const faithful = mlpSweepFigures(sweep);
  const theory = mlpSweepFigures(sweep, { formulas: 'theory' });
  const [low, high] = faithful.summary as [MlpConditionSummary, MlpConditionSummary];
  const [lowT, highT] = theory.summary as [MlpConditionSummary, MlpConditionSummary];

  it('a higher frequency gives a longer per-epoch trajectory late in training (faithful and theory)', () => {
    expect(high.trajectoryLate).toBeGreaterThan(low.trajectoryLate);
    expect(highT.trajectoryLate).toBeGreaterThan(lowT.trajectoryLate);
  });
  it('the total (integral) trajectory is ordered by frequency', () => {
    expect(highT.totalTrajectory).toBeGreaterThan(lowT.totalTrajectory);
  });
  it('the within-epoch variance (÷η²) is larger at the higher frequency', () => {
    expect(high.medianVariance).toBeGreaterThan(low.medianVariance);
  });
  it('the test loss is higher at the higher frequency', () => {
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

describe('§9.3 regions (MLP2, f = 0.5, N = 200)', async () => {
  const result = await runRegionsExperiment({ epochs: 300, resolution: 100, seed: 5 });
  const { summary } = regionFigures(result);
  it('the Lipschitz constant is piecewise constant over the regions', () => {
    const { map } = result;
    for (let i = 0; i < map.regionOf.length; i++) {
      const r = map.regions[map.regionOf[i] as number];
      expect(Math.abs((map.lipschitz[i] as number) - (r?.lipschitz as number))).toBeLessThan(1e-9);
    }
  });
  it('the Theorem-2 bound is finite for most non-training regions and needs several training regions', () => {
    expect(summary.feasible).toBeGreaterThan(summary.infeasible);
    expect(Math.max(...summary.combinedValues)).toBeGreaterThan(1);
  });
});
