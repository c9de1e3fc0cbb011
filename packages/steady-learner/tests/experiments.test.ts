import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachBackend } from '@lipkit/test-backends';
import { describe, expect, it } from 'vitest';
import {
  classifierSweepFigures,
  mlpSweepFigures,
  regionFigures,
  runCorruptionSweep,
  runMlpFrequencySweep,
  runRegionsExperiment,
  SteadyLearnerError,
} from '../src/index.js';
import { syntheticTwoClassImages } from './support/syntheticImages.js';

describe('test 14: tiny MLP end-to-end (N = 20, f ∈ {0.25, 1.0}, 50 epochs, fixed seed)', () => {
  it('right shapes, all finite, files written, reload gives the same figures', async () => {
    const runDir = await mkdtemp(join(tmpdir(), 'steady-e2e-'));
    const opts = { frequencies: [0.25, 1.0], trainSize: 20, epochs: 50, seed: 3, repeats: 2, runDir };
    const started: boolean[] = [];
    const sweep = await runMlpFrequencySweep({
      ...opts,
      hooks: { onRunStart: (_l, _k, cached) => started.push(cached) },
    });
    expect(started).toEqual([false, false, false, false]);
    expect(sweep.map((s) => s.condition.folder)).toEqual(['freq_0.25', 'freq_1.0']);
    for (const { runs } of sweep) {
      expect(runs).toHaveLength(2);
      for (const r of runs) {
        const K = 50 * 20;
        expect(r.biases.length).toBe(K * 10);
        expect(r.lipschitz.length).toBe(K);
        expect(r.metrics.trainLoss.length).toBe(50);
        expect(r.metrics.testLoss.length).toBe(50);
        for (const a of [r.biases, r.errors, r.lipschitz, r.metrics.trainLoss, r.metrics.testLoss]) {
          expect(a.every(Number.isFinite)).toBe(true);
        }
        // The cumulative average error is the running mean of the per-epoch means (equal epoch sizes).
        expect(r.metrics.avgErrorCumulative[1]).toBeCloseTo(
          ((r.metrics.avgErrorEpoch[0] as number) + (r.metrics.avgErrorEpoch[1] as number)) / 2,
          12,
        );
      }
    }
    // Repeats differ (their own sub-seeds); conditions share data and init (common random numbers).
    const [a, b] = sweep[0]?.runs ?? [];
    expect(a?.initialBias).not.toEqual(b?.initialBias);
    expect(sweep[1]?.runs[0]?.initialBias).toEqual(a?.initialBias);
    expect(await readdir(join(runDir, 'freq_1.0', '1'))).toEqual(
      expect.arrayContaining([
        'b1.f32',
        'config.json',
        'done.json',
        'err.f32',
        'lip.f32',
        'lr.f32',
        'metrics.json',
        'weights',
      ]),
    );
    const figs = mlpSweepFigures(sweep);
    const reloaded: boolean[] = [];
    const again = await runMlpFrequencySweep({
      ...opts,
      hooks: { onRunStart: (_l, _k, cached) => reloaded.push(cached) },
    });
    expect(reloaded).toEqual([true, true, true, true]);
    expect(mlpSweepFigures(again)).toEqual(figs);
    for (const fig of Object.values(figs.figures)) {
      if (fig.kind === 'line') for (const s of fig.series) expect(s.y.every(Number.isFinite)).toBe(true);
      if (fig.kind === 'violin') for (const g of fig.groups) expect(g.values.length).toBeGreaterThan(0);
    }
    expect(figs.summary).toHaveLength(2);
    // Violins: last 10 epochs pooled over repeats (R·10 variances, R·10·N distances).
    const variance = figs.figures.variance;
    const distance = figs.figures.distance;
    expect(variance?.kind === 'violin' && variance.groups[0]?.values.length).toBe(20);
    expect(distance?.kind === 'violin' && distance.groups[0]?.values.length).toBe(400);
    const faithfulAvg = mlpSweepFigures(sweep, { averaging: 'acrossRepeats', formulas: 'theory' });
    expect(faithfulAvg.figures.trajectory).not.toEqual(figs.figures.trajectory);
  });

  it('bad sweep input gives typed errors', async () => {
    await expect(runMlpFrequencySweep({ frequencies: [0] })).rejects.toThrow(SteadyLearnerError);
    await expect(runMlpFrequencySweep({ frequencies: [-1] })).rejects.toThrow(/frequency/);
    await expect(runMlpFrequencySweep({ frequencies: [] })).rejects.toThrow(/frequencies/);
    await expect(runMlpFrequencySweep({ trainSize: 1 })).rejects.toThrow(/trainSize/);
    await expect(runMlpFrequencySweep({ batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(runMlpFrequencySweep({ epochs: 0 })).rejects.toThrow(/epochs/);
    await expect(runMlpFrequencySweep({ repeats: 0, epochs: 1 })).rejects.toThrow(/repeats/);
    await expect(runMlpFrequencySweep({ model: 'mlp3' as never })).rejects.toThrow(/model/);
    const data = syntheticTwoClassImages(32, 3, 2, 2);
    await expect(runCorruptionSweep(data, { corruptions: [1.5] })).rejects.toThrow(/corruptions/);
    await expect(runCorruptionSweep(data, { corruptions: [-0.1] })).rejects.toThrow(SteadyLearnerError);
  });
});

it('regions experiment end-to-end (tiny): map, LP bounds, figures without transposition', async () => {
  const result = await runRegionsExperiment({ trainSize: 30, epochs: 20, resolution: 25, seed: 2 });
  expect(result.map.regionOf.length).toBe(625);
  expect(result.map.numRegions).toBeGreaterThan(1);
  const { figures, summary } = regionFigures(result);
  expect(summary.feasible + summary.infeasible + summary.numTrainingRegionsOnGrid).toBe(summary.numRegions);
  const gt = figures['ground_truth_25_grid_0.5_freq'];
  expect(gt?.kind).toBe('heatmap');
  // Row iy, column ix is (axis[ix], axis[iy]): check an asymmetric value, the network output, against a fresh embed.
  const out = figures['output_surface_25_grid_0.5_freq'];
  expect(out?.values[3]?.[17]).toBe(result.map.output[3 * 25 + 17]);
  const f = 0.5;
  expect(gt?.values[3]?.[17]).toBeCloseTo(
    Math.cos(2 * Math.PI * f * (gt?.x[17] as number)) * Math.cos(2 * Math.PI * f * (gt?.y[3] as number)),
    12,
  );
});

describeEachBackend('corruption sweep (tiny, MNIST-MLP stand-in for speed)', () => {
  it('corrupts the train labels per rate and produces the figure set', async () => {
    const data = syntheticTwoClassImages(28, 1, 6, 4);
    const sweep = await runCorruptionSweep(data, {
      model: 'mnist-mlp',
      corruptions: [0, 1],
      epochs: 2,
      decay: 1,
      learningRate: 0.001,
      seed: 1,
    });
    expect(sweep.map((s) => s.condition.label)).toEqual(['corruption=0', 'corruption=1']);
    const { figures, summary } = classifierSweepFigures(sweep);
    expect(Object.keys(figures).sort()).toEqual(
      [
        'distance',
        'integral_trajectory',
        'test_error',
        'test_loss',
        'train_error',
        'train_loss',
        'trajectory',
        'variance',
      ].sort(),
    );
    for (const s of summary) expect(Number.isFinite(s.trajectoryLate)).toBe(true);
  }, 120_000);
});
