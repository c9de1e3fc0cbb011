/**
 * Figures of the classifier sweeps (spec §4.6, §7): the CIFAR corruption sweep (losses, errors, trajectory, integral,
 * variance and distance violins) and the MNIST model comparison (losses and trajectory). Repeats are averaged
 * element-wise, as the original's CNN plots do.
 */
import type { SweepResult } from './cachedSweep.js';
import type { ClassifierRunConfig, ClassifierRunResult } from './classifierTrajectoryRun.js';
import {
  epochAxis,
  evenlySubsample,
  type LineFigure,
  type LineSeries,
  meanAndStd,
  median,
  type SteadyFigure,
  type ViolinFigure,
} from './figureData.js';

/** Per-condition numbers for the §9 checks. */
export interface ClassifierConditionSummary {
  label: string;
  value: number | string;
  /** Mean trajectory over the last 10% of epochs. */
  trajectoryLate: number;
  totalTrajectory: number;
  medianVariance: number;
  medianDistance: number;
  finalTrainLoss: number;
  finalTestLoss: number;
  degenerateSteps: number;
}

/** Figures keyed by the original's file base names, plus the summary. */
export interface ClassifierSweepFigures {
  figures: Record<string, SteadyFigure>;
  summary: ClassifierConditionSummary[];
}

/** Options of {@link classifierSweepFigures}. */
export interface ClassifierFigureOptions {
  /** x-axis name of the violins (default `Corruption rate`). */
  conditionName?: string;
  /** Epochs in the violins (default 10). */
  lastEpochs?: number;
  /** Cap on the values per distance violin (default 2000, evenly subsampled). */
  maxViolinValues?: number;
  /** Which error series to draw: the original's cumulative mean (default) or the per-epoch mean. */
  errors?: 'cumulative' | 'epoch';
}

/** Builds the classifier-sweep figures from fresh or reloaded runs. */
export function classifierSweepFigures(
  sweep: SweepResult<ClassifierRunConfig, ClassifierRunResult>[],
  opts: ClassifierFigureOptions = {},
): ClassifierSweepFigures {
  const lastN = opts.lastEpochs ?? 10;
  const cap = opts.maxViolinValues ?? 2000;
  const cumulative = (opts.errors ?? 'cumulative') === 'cumulative';
  const names = ['train_loss', 'test_loss', 'train_error', 'test_error', 'trajectory', 'integral_trajectory'] as const;
  const series: Record<(typeof names)[number], LineSeries[]> = {
    train_loss: [],
    test_loss: [],
    train_error: [],
    test_error: [],
    trajectory: [],
    integral_trajectory: [],
  };
  const xName = opts.conditionName ?? 'Corruption rate';
  const variance: ViolinFigure = { kind: 'violin', xLabel: xName, yLabel: 'Variance of bias (normalized)', groups: [] };
  const distance: ViolinFigure = {
    kind: 'violin',
    xLabel: xName,
    yLabel: 'Distance to initialization',
    groups: [],
    yRange: [-0.1, 1.1],
  };
  const summary: ClassifierConditionSummary[] = [];
  for (const { condition, runs } of sweep) {
    const first = runs[0] as ClassifierRunResult;
    const E = first.config.epochs;
    const S = first.stepsPerEpoch;
    const x = epochAxis(E);
    const m = (pick: (r: ClassifierRunResult) => ArrayLike<number>) => meanAndStd(runs.map(pick));
    const add = (key: (typeof names)[number], v: { mean: number[]; std: number[] }) =>
      series[key].push({ label: condition.label, x, y: v.mean, std: v.std });
    add(
      'train_loss',
      m((r) => r.trainLoss),
    );
    add(
      'test_loss',
      m((r) => r.testLoss),
    );
    add(
      'train_error',
      m((r) => (cumulative ? r.avgErrorCumulative : r.avgErrorEpoch)),
    );
    add(
      'test_error',
      m((r) => (cumulative ? r.avgTestErrorCumulative : r.avgTestErrorEpoch)),
    );
    const T = m((r) => r.trajectory);
    const I = m((r) => r.integral);
    add('trajectory', T);
    add('integral_trajectory', I);
    const v = m((r) => r.variance).mean.slice(-lastN);
    const dist = m((r) => r.distance).mean.slice(-lastN * S);
    variance.groups.push({ label: String(condition.value), values: v });
    distance.groups.push({ label: String(condition.value), values: evenlySubsample(dist, cap) });
    const late = Math.max(1, Math.floor(E / 10));
    summary.push({
      label: condition.label,
      value: condition.value,
      trajectoryLate: T.mean.slice(-late).reduce((a, b) => a + b, 0) / late,
      totalTrajectory: (I.mean[E - 1] as number) + (T.mean[E - 1] as number),
      medianVariance: median(v),
      medianDistance: median(dist),
      finalTrainLoss: m((r) => r.trainLoss).mean[E - 1] as number,
      finalTestLoss: m((r) => r.testLoss).mean[E - 1] as number,
      degenerateSteps: runs.reduce((a, r) => a + r.degenerateSteps, 0),
    });
  }
  const line = (yLabel: string, s: LineSeries[]): LineFigure => ({ kind: 'line', xLabel: 'Epoch', yLabel, series: s });
  return {
    figures: {
      train_loss: line('Train loss', series.train_loss),
      test_loss: line('Test loss', series.test_loss),
      train_error: line('Train error', series.train_error),
      test_error: line('Test error', series.test_error),
      trajectory: line('Bias trajectory length (per epoch)', series.trajectory),
      integral_trajectory: line('Bias trajectory length (total)', series.integral_trajectory),
      variance,
      distance,
    },
    summary,
  };
}
