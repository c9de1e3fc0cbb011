/**
 * The batch-size figures of the original's `plot_batch_metrics` (spec §7, experiment 4: bs ∈ {16, 32} ×
 * f ∈ {0.25, 0.75}): train and test losses averaged in blocks of epochs, and the per-step normalised trajectory,
 * EMA-smoothed and truncated to the shortest run.
 */
import type { SweepResult } from './cachedSweep.js';
import { exponentialMovingAverage } from './exponentialMovingAverage.js';
import { evenlySubsample, type LineFigure, type LineSeries, meanAndStd, type SteadyFigure } from './figureData.js';
import type { MlpRunConfig, MlpRunResult } from './mlpTrajectoryRun.js';
import { normalisedSteps } from './normalisedSteps.js';
import { requireInteger, SteadyLearnerError } from './steadyLearnerError.js';
import type { TrajectoryFormulas } from './trajectoryFormulas.js';

/** One frequency sweep trained with one batch size. */
export interface BatchSizeSweep {
  batchSize: number;
  sweep: SweepResult<MlpRunConfig, MlpRunResult>[];
}

/** Options of {@link batchSizeFigures}. */
export interface BatchSizeFigureOptions {
  /** Default `'faithful'` (see {@link TrajectoryFormulas}). */
  formulas?: TrajectoryFormulas;
  /** Number of epoch blocks the losses are averaged in (default 30: blocks of 100 epochs for 3000 epochs). */
  blocks?: number;
  /** Points per trajectory curve in the figure, evenly subsampled after smoothing (default 2000). */
  maxPoints?: number;
}

/** Per (batch size, frequency) numbers. */
export interface BatchSizeSummary {
  label: string;
  batchSize: number;
  frequency: number;
  /** Train loss of the last epoch, mean over repeats. */
  finalTrainLoss: number;
  /** Null when the runs had no test set (N < 4). */
  finalTestLoss: number | null;
  /** Mean of the smoothed per-step trajectory over the last 10% of the (truncated) steps: an estimate. */
  trajectoryLate: number;
  /** Steps with |ŷ − y| < 1e−12 over all runs. */
  degenerateSteps: number;
}

/** Figures keyed `train_loss`, `test_loss`, `trajectory` (the original's file names), plus the summary. */
export interface BatchSizeFigures {
  figures: Record<string, SteadyFigure>;
  summary: BatchSizeSummary[];
}

/** Means of consecutive blocks of `length` values (the last block may be shorter). */
function blockMeans(values: ArrayLike<number>, length: number): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += length) {
    const end = Math.min(values.length, start + length);
    let s = 0;
    for (let i = start; i < end; i++) s += values[i] as number;
    out.push(s / (end - start));
  }
  return out;
}

/**
 * Builds the batch-size figures from sweeps of the same frequencies and epochs at several batch sizes.
 *
 * - Losses: each run's per-epoch loss is averaged in `blocks` blocks of ⌈E / blocks⌉ epochs (x = the block's last
 *   epoch), then mean ± std over repeats.
 * - Trajectory: the per-step normalised steps τ_k ({@link normalisedSteps}, with the chosen formulas; the faithful
 *   ones keep the original's off-by-one pairing), mean over repeats, truncated to the shortest run (the largest
 *   batch size has the fewest steps), EMA(0.95)-smoothed, x = the iteration. We do not divide τ by N as the
 *   original's per-step series does: all curves share N, so that only rescales the y axis.
 */
export function batchSizeFigures(sweeps: BatchSizeSweep[], opts: BatchSizeFigureOptions = {}): BatchSizeFigures {
  const formulas = opts.formulas ?? 'faithful';
  const blocks = opts.blocks ?? 30;
  requireInteger('blocks', blocks, 1);
  const maxPoints = opts.maxPoints ?? 2000;
  requireInteger('maxPoints', maxPoints, 2);
  const conditions = sweeps.flatMap(({ batchSize, sweep }) => sweep.map((s) => ({ batchSize, ...s })));
  if (conditions.length === 0 || conditions.some((c) => c.runs.length === 0)) {
    throw new SteadyLearnerError('sweeps', 'empty; allowed: one or more sweeps with at least one run per condition');
  }
  const epochs = (conditions[0] as (typeof conditions)[number]).runs[0]!.config.epochs;
  if (conditions.some((c) => c.runs.some((r) => r.config.epochs !== epochs))) {
    throw new SteadyLearnerError('sweeps', 'runs of different epoch counts; allowed: one epoch count for every run');
  }
  const blockLength = Math.ceil(epochs / Math.min(blocks, epochs));
  const blockX = Array.from({ length: Math.ceil(epochs / blockLength) }, (_, b) =>
    Math.min(epochs, (b + 1) * blockLength),
  );
  const steps = conditions.map((c) =>
    c.runs.map((r) =>
      normalisedSteps(
        {
          biases: r.biases,
          dim: r.shape.inputDim,
          learningRates: r.learningRates,
          normalisers: r.errors,
          initialBias: r.initialBias,
        },
        formulas,
      ),
    ),
  );
  const K = Math.min(...steps.flatMap((runs) => runs.map((t) => t.steps.length)));
  const iterations = Array.from({ length: K }, (_, k) => k + 1);
  const losses: Record<'train_loss' | 'test_loss', LineSeries[]> = { train_loss: [], test_loss: [] };
  const trajectory: LineSeries[] = [];
  const summary: BatchSizeSummary[] = [];
  conditions.forEach(({ batchSize, condition, runs }, i) => {
    const label = `freq=${condition.value}, bs=${batchSize}`;
    const lossFigure = (key: 'train_loss' | 'test_loss', pick: (r: MlpRunResult) => ArrayLike<number>) => {
      if (pick(runs[0] as MlpRunResult).length === 0) return null;
      const m = meanAndStd(runs.map((r) => blockMeans(pick(r), blockLength)));
      losses[key].push({ label, x: blockX, y: m.mean, std: m.std });
      return meanAndStd(runs.map(pick)).mean[epochs - 1] as number;
    };
    const finalTrainLoss = lossFigure('train_loss', (r) => r.metrics.trainLoss) as number;
    const finalTestLoss = lossFigure('test_loss', (r) => r.metrics.testLoss);
    const perRun = steps[i] as ReturnType<typeof normalisedSteps>[];
    const tau = meanAndStd(perRun.map((t) => t.steps.subarray(0, K))).mean;
    const smoothed = Array.from(exponentialMovingAverage(tau));
    trajectory.push({ label, x: evenlySubsample(iterations, maxPoints), y: evenlySubsample(smoothed, maxPoints) });
    const late = Math.max(1, Math.floor(K / 10));
    summary.push({
      label,
      batchSize,
      frequency: condition.value as number,
      finalTrainLoss,
      finalTestLoss,
      trajectoryLate: smoothed.slice(-late).reduce((a, b) => a + b, 0) / late,
      degenerateSteps: perRun.reduce((a, t) => a + t.degenerateCount, 0),
    });
  });
  const line = (xLabel: string, yLabel: string, series: LineSeries[]): LineFigure => ({
    kind: 'line',
    xLabel,
    yLabel,
    series,
  });
  return {
    figures: {
      train_loss: line('Epoch', 'Train loss', losses.train_loss),
      test_loss: line('Epoch', 'Test loss', losses.test_loss),
      trajectory: line('Iteration', 'Bias trajectory (per step, EMA 0.95)', trajectory),
    },
    summary,
  };
}
