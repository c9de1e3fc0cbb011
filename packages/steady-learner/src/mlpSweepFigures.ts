/**
 * The MLP frequency-sweep figures (spec §4.1–4.5, §7: trajectory, integral trajectory, Lipschitz, variance and
 * distance violins, losses and errors) and a numeric summary for the §9 claim checks.
 */
import { biasVariancePerEpoch } from './biasVariance.js';
import type { SweepResult } from './cachedSweep.js';
import { distanceToReference, lastEpochs } from './distanceToReference.js';
import { epochTrajectory } from './epochTrajectory.js';
import { exponentialMovingAverage } from './exponentialMovingAverage.js';
import {
  epochAxis,
  type LineFigure,
  type LineSeries,
  meanAndStd,
  median,
  type SteadyFigure,
  type ViolinFigure,
} from './figureData.js';
import type { MlpRunConfig, MlpRunResult } from './mlpTrajectoryRun.js';
import { normalisedSteps } from './normalisedSteps.js';
import type { TrajectoryFormulas } from './trajectoryFormulas.js';

/** Options of {@link mlpSweepFigures}. */
export interface MlpFigureOptions {
  /** Default `'faithful'` (see {@link TrajectoryFormulas}). */
  formulas?: TrajectoryFormulas;
  /**
   * `'perRun'` (default): metrics per run, then mean ± std over repeats. `'acrossRepeats'`: the original's
   * averaging of b1, η and the error over repeats *before* differencing (spec §4.1 item 1, §10.5), which is not the
   * mean trajectory when repeats differ in data and init.
   */
  averaging?: 'perRun' | 'acrossRepeats';
  /** Epochs in the variance / distance violins (default 10). */
  lastEpochs?: number;
}

/** Per-condition numbers used by the §9 checks. */
export interface MlpConditionSummary {
  label: string;
  value: number;
  /** Mean per-epoch trajectory over the last 10% of epochs (≥ 1 epoch). */
  trajectoryLate: number;
  /** Integral trajectory at the last epoch. */
  totalTrajectory: number;
  /** Mean per-epoch Lipschitz constant over the last 10% of epochs. */
  lipschitzLate: number;
  medianVariance: number;
  medianDistance: number;
  finalTrainLoss: number;
  /** Null when the runs had no test set (N < 4). */
  finalTestLoss: number | null;
  /** Steps with |ŷ − y| < 1e−12 over all runs (their normalised step is degenerate). */
  degenerateSteps: number;
}

/** Figures keyed by the original's file base names, plus the summary. */
export interface MlpSweepFigures {
  figures: Record<string, SteadyFigure>;
  summary: MlpConditionSummary[];
}

function averageRuns(runs: MlpRunResult[]) {
  const avg = (pick: (r: MlpRunResult) => ArrayLike<number>) => Float64Array.from(meanAndStd(runs.map(pick)).mean);
  return {
    biases: avg((r) => r.biases),
    learningRates: avg((r) => r.learningRates),
    normalisers: avg((r) => r.errors),
    initialBias: avg((r) => r.initialBias),
  };
}

/** Builds every MLP figure from a sweep (fresh or reloaded). */
export function mlpSweepFigures(
  sweep: SweepResult<MlpRunConfig, MlpRunResult>[],
  opts: MlpFigureOptions = {},
): MlpSweepFigures {
  const formulas = opts.formulas ?? 'faithful';
  const averaging = opts.averaging ?? 'perRun';
  const lastN = opts.lastEpochs ?? 10;
  const line = (yLabel: string, series: LineSeries[], extra: Partial<LineFigure> = {}): LineFigure => ({
    kind: 'line',
    xLabel: 'Epoch',
    yLabel,
    series,
    ...extra,
  });
  const traj: LineSeries[] = [];
  const integral: LineSeries[] = [];
  const lip: LineSeries[] = [];
  const losses: Record<string, LineSeries[]> = { train_loss: [], test_loss: [], train_error: [], test_error: [] };
  const variance: ViolinFigure = {
    kind: 'violin',
    xLabel: 'Frequency',
    yLabel: 'Variance of bias (normalized)',
    groups: [],
    logY: true,
  };
  const distance: ViolinFigure = {
    kind: 'violin',
    xLabel: 'Frequency',
    yLabel: 'Distance to initialization',
    groups: [],
    yRange: [-0.1, 1.1],
  };
  const summary: MlpConditionSummary[] = [];
  for (const { condition, runs } of sweep) {
    const first = runs[0] as MlpRunResult;
    const S = first.stepsPerEpoch;
    const E = first.config.epochs;
    const d = first.shape.inputDim;
    const x = epochAxis(E);
    let degenerateSteps = 0;
    const trajectoryOf = (rec: Parameters<typeof normalisedSteps>[0]) => {
      const tau = normalisedSteps(rec, formulas);
      degenerateSteps += tau.degenerateCount;
      return epochTrajectory(tau, S, formulas === 'theory');
    };
    let T: { mean: number[]; std?: number[] };
    let I: { mean: number[]; std?: number[] };
    if (averaging === 'acrossRepeats') {
      const a = averageRuns(runs);
      const t = trajectoryOf({ ...a, dim: d });
      T = { mean: Array.from(t.perEpoch) };
      I = { mean: Array.from(t.integral) };
    } else {
      const per = runs.map((r) =>
        trajectoryOf({
          biases: r.biases,
          dim: d,
          learningRates: r.learningRates,
          normalisers: r.errors,
          initialBias: r.initialBias,
        }),
      );
      T = meanAndStd(per.map((t) => t.perEpoch));
      I = meanAndStd(per.map((t) => t.integral));
    }
    traj.push({
      label: condition.label,
      x,
      y: T.mean,
      std: T.std,
      smoothed: Array.from(exponentialMovingAverage(T.mean)),
    });
    integral.push({ label: condition.label, x, y: I.mean, std: I.std });
    // Lipschitz per step, mean over repeats; plotted per epoch (raw epoch mean) with the per-step EMA sampled at
    // epoch ends (300k points per curve would not make a readable SVG).
    const lipMean = Float64Array.from(meanAndStd(runs.map((r) => r.lipschitz)).mean);
    const lipEma = exponentialMovingAverage(lipMean);
    const lipEpoch = x.map((_, e) => lipMean.subarray(e * S, (e + 1) * S).reduce((a, b) => a + b, 0) / S);
    lip.push({ label: condition.label, x, y: lipEpoch, smoothed: x.map((_, e) => lipEma[(e + 1) * S - 1] as number) });
    const cumulative = formulas === 'faithful';
    const metric = (name: keyof MlpRunResult['metrics']) => meanAndStd(runs.map((r) => r.metrics[name]));
    const add = (key: string, m: { mean: number[]; std: number[] }) => {
      if (m.mean.length > 0) (losses[key] as LineSeries[]).push({ label: condition.label, x, y: m.mean, std: m.std });
    };
    add('train_loss', metric('trainLoss'));
    add('test_loss', metric('testLoss'));
    add('train_error', metric(cumulative ? 'avgErrorCumulative' : 'avgErrorEpoch'));
    add('test_error', metric(cumulative ? 'avgTestErrorCumulative' : 'avgTestErrorEpoch'));
    const variances = runs.flatMap((r) =>
      Array.from(biasVariancePerEpoch(r.biases, d, r.learningRates, S).slice(-lastN)),
    );
    const distances = runs.flatMap((r) =>
      Array.from(lastEpochs(distanceToReference(r.biases, d, formulas, r.initialBias), S, lastN)),
    );
    variance.groups.push({ label: String(condition.value), values: variances });
    distance.groups.push({ label: String(condition.value), values: distances });
    const late = Math.max(1, Math.floor(E / 10));
    const meanLast = (a: number[]) => a.slice(-late).reduce((s, v) => s + v, 0) / late;
    summary.push({
      label: condition.label,
      value: condition.value as number,
      trajectoryLate: meanLast(T.mean),
      totalTrajectory: (I.mean[E - 1] as number) + (T.mean[E - 1] as number),
      lipschitzLate: meanLast(lipEpoch),
      medianVariance: median(variances),
      medianDistance: median(distances),
      finalTrainLoss: metric('trainLoss').mean[E - 1] as number,
      finalTestLoss: metric('testLoss').mean[E - 1] ?? null,
      degenerateSteps,
    });
  }
  return {
    figures: {
      trajectory: line('Bias trajectory length (per epoch)', traj),
      integral_trajectory: line('Bias trajectory length (total)', integral),
      lipschitz: line('Lipschitz constant', lip),
      variance,
      distance,
      train_loss: line('Train loss', losses.train_loss as LineSeries[]),
      test_loss: line('Test loss', losses.test_loss as LineSeries[]),
      train_error: line('Train error', losses.train_error as LineSeries[]),
      test_error: line('Test error', losses.test_error as LineSeries[]),
    },
    summary,
  };
}
