import { describe, expect, it } from 'vitest';
import {
  type BatchSizeSweep,
  batchSizeFigures,
  exponentialMovingAverage,
  type LineFigure,
  type MlpRunResult,
  runMlpFrequencySweep,
  SteadyLearnerError,
} from '../src/index.js';

/** A 1-D run whose bias moves by `moves[k]` at step k (η = 1, error 1), so the faithful τ_k = |moves[k+1]|. */
function fakeRun(batchSize: number, trainLoss: number[], moves: number[]): MlpRunResult {
  const biases = new Float32Array(moves.length);
  let b = 0;
  moves.forEach((m, k) => {
    b += m;
    biases[k] = b;
  });
  return {
    config: { epochs: trainLoss.length, batchSize, frequency: 0.25 },
    shape: { inputDim: 1, hidden: [] },
    stepsPerEpoch: moves.length / trainLoss.length,
    initialBias: new Float64Array(1),
    biases,
    learningRates: new Float32Array(moves.length).fill(1),
    errors: new Float32Array(moves.length).fill(1),
    lipschitz: new Float32Array(moves.length),
    metrics: { trainLoss: Float64Array.from(trainLoss), testLoss: new Float64Array(0) },
  } as unknown as MlpRunResult;
}

function sweepOf(batchSize: number, runs: MlpRunResult[]): BatchSizeSweep {
  const condition = { label: 'freq=0.25', folder: 'freq_0.25', value: 0.25, config: runs[0]!.config };
  return { batchSize, sweep: [{ condition, runs }] };
}

describe('batchSizeFigures (spec §7 plot_batch_metrics)', () => {
  it('averages the losses in epoch blocks, mean ± std over repeats; truncates the trajectory to the shortest run', () => {
    const loss = [1, 3, 5, 7, 9, 11];
    const small = sweepOf(16, [
      fakeRun(16, loss, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
      fakeRun(
        16,
        loss.map((v) => v + 2),
        [1, -4, 3, -2, 5, 6, 7, 8, 9, 10, 11, 12],
      ),
    ]);
    const large = sweepOf(32, [fakeRun(32, loss, [1, 1, 1, 1, 1, 1])]);
    const { figures, summary } = batchSizeFigures([small, large], { blocks: 3 });
    const train = figures.train_loss as LineFigure;
    expect(train.series.map((s) => s.label)).toEqual(['freq=0.25, bs=16', 'freq=0.25, bs=32']);
    expect(train.series[0]!.x).toEqual([2, 4, 6]);
    expect(train.series[0]!.y).toEqual([3, 7, 11]); // blocks [1,3],[5,7],[9,11] → 2, 6, 10; repeats +0 and +2
    expect(train.series[0]!.std).toEqual([1, 1, 1]);
    expect(train.series[1]!.y).toEqual([2, 6, 10]);
    // No test set in these runs: no test-loss curve, and the summary says so.
    expect((figures.test_loss as LineFigure).series).toEqual([]);
    expect(summary[0]!.finalTestLoss).toBeNull();
    expect(summary[0]!.finalTrainLoss).toBe(12);
    // bs 32 has 6 steps, bs 16 has 12: both curves are cut at 6 steps.
    const traj = figures.trajectory as LineFigure;
    expect(traj.series[0]!.x).toEqual([1, 2, 3, 4, 5, 6]);
    // Faithful τ_k = |move_{k+1}| (the off-by-one), means over the repeats: (2+4)/2, (3+3)/2, (4+2)/2, 5, 6, 7.
    expect(traj.series[0]!.y).toEqual(Array.from(exponentialMovingAverage([3, 3, 3, 5, 6, 7])));
    expect(traj.series[1]!.y).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('makes a shorter last block and subsamples long trajectories', () => {
    const run = fakeRun(
      1,
      [1, 2, 3, 4, 5],
      Array.from({ length: 50 }, () => 1),
    );
    const { figures } = batchSizeFigures([sweepOf(1, [run])], { blocks: 2, maxPoints: 10 });
    const train = figures.train_loss as LineFigure;
    expect(train.series[0]!.x).toEqual([3, 5]);
    expect(train.series[0]!.y).toEqual([2, 4.5]);
    expect((figures.trajectory as LineFigure).series[0]!.x).toHaveLength(10);
  });

  it('rejects empty sweeps, mixed epoch counts and bad options with a typed error', () => {
    expect(() => batchSizeFigures([])).toThrow(SteadyLearnerError);
    const a = sweepOf(16, [fakeRun(16, [1, 2], [1, 1, 1, 1])]);
    const b = sweepOf(32, [fakeRun(32, [1, 2, 3], [1, 1, 1])]);
    expect(() => batchSizeFigures([a, b])).toThrow(/epoch/);
    expect(() => batchSizeFigures([a], { blocks: 0 })).toThrow(/blocks/);
    expect(() => batchSizeFigures([a], { maxPoints: 1.5 })).toThrow(/maxPoints/);
  });

  it('works on real tiny sweeps at bs 2 and 4 (finite curves, fewer steps at the larger batch)', async () => {
    const sweeps: BatchSizeSweep[] = [];
    for (const batchSize of [2, 4]) {
      const sweep = await runMlpFrequencySweep({ frequencies: [0.25, 0.75], trainSize: 8, epochs: 4, batchSize });
      sweeps.push({ batchSize, sweep });
    }
    const { figures, summary } = batchSizeFigures(sweeps);
    const traj = figures.trajectory as LineFigure;
    expect(traj.series).toHaveLength(4);
    for (const s of traj.series) {
      expect(s.x).toHaveLength(4 * 2); // 8 points / bs 4 = 2 steps per epoch
      expect(s.y.every(Number.isFinite)).toBe(true);
    }
    expect(summary.map((r) => r.label)).toEqual([
      'freq=0.25, bs=2',
      'freq=0.75, bs=2',
      'freq=0.25, bs=4',
      'freq=0.75, bs=4',
    ]);
    expect((figures.test_loss as LineFigure).series[0]!.x).toEqual([1, 2, 3, 4]);
  });
});
