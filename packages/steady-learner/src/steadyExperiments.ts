/**
 * The paper's experiments as library functions (spec §3, §5, §6): the MLP frequency sweep, the CIFAR-10 corruption
 * sweep, the regions experiment and the MNIST 3-vs-6 comparison. One `seed` derives every sub-seed: repeat k uses
 * `deriveSeed(seed, 'repeat/k')` for data, init and shuffle, shared across conditions (common random numbers: the
 * conditions differ only in what they vary); the corruption mask uses `deriveSeed(seed, 'corruption')` for every
 * repeat (the original fixes it at 12345).
 */
import {
  corruptTrainLabels,
  type ImageDataset,
  type SelectClassesOptions,
  selectClasses,
  withNormalisation,
} from '@lipkit/datasets';
import { type ActivationRegionMap, activationRegions } from './activationRegions.js';
import { BiasInputReluMlp } from './biasInputReluMlp.js';
import { runCachedSweep, type SweepCondition, type SweepHooks, type SweepResult } from './cachedSweep.js';
import {
  type ClassifierModelName,
  type ClassifierRunConfig,
  type ClassifierRunResult,
  runClassifierTrajectory,
  validateClassifierRunConfig,
} from './classifierTrajectoryRun.js';
import { deriveSeed } from './deriveSeed.js';
import {
  MLP_RUN_DEFAULTS,
  type MlpRunConfig,
  type MlpRunResult,
  runMlpTrajectory,
  validateMlpRunConfig,
} from './mlpTrajectoryRun.js';
import { loadClassifierRun, loadMlpRun, saveClassifierRun, saveMlpRun } from './runStore.js';
import { requireInteger, SteadyLearnerError } from './steadyLearnerError.js';

/** Common options of every sweep. */
export interface SweepOptions {
  /** Independent runs per condition (default 1). */
  repeats?: number;
  /** Root seed (default 0). */
  seed?: number;
  /** Cache folder of this experiment (runs are reloaded from / saved to it); none = no cache. */
  runDir?: string;
  hooks?: SweepHooks;
}

/** The paper's frequencies. */
export const PAPER_FREQUENCIES = [0.25, 0.5, 0.75, 1.0] as const;
/** The paper's corruption rates. */
export const PAPER_CORRUPTIONS = [0, 0.2, 0.4, 0.6] as const;

/** Python's `str(float)` (`1.0`, `0.5`), as the original's folder names. */
function pyFloat(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** Options of {@link runMlpFrequencySweep}: the sweep plus the run settings (defaults: spec §2). */
export interface MlpSweepOptions extends SweepOptions, Partial<Omit<MlpRunConfig, 'frequency' | 'seed'>> {
  /** Frequencies f > 0 (default 0.25, 0.5, 0.75, 1.0). */
  frequencies?: readonly number[];
}

/** Experiment 1 (MLP): trains (or reloads) every frequency × repeat (spec §3, §9.1). */
export async function runMlpFrequencySweep(
  opts: MlpSweepOptions = {},
): Promise<SweepResult<MlpRunConfig, MlpRunResult>[]> {
  const seed = opts.seed ?? 0;
  const frequencies = opts.frequencies ?? PAPER_FREQUENCIES;
  if (frequencies.length === 0) throw new SteadyLearnerError('frequencies', 'empty; allowed: one or more numbers > 0');
  const conditions = frequencies.map((f): SweepCondition<MlpRunConfig> => {
    const config: MlpRunConfig = {
      ...MLP_RUN_DEFAULTS,
      ...definedOnly({
        trainSize: opts.trainSize,
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        learningRate: opts.learningRate,
        model: opts.model,
        width: opts.width,
        lipschitzAt: opts.lipschitzAt,
      }),
      frequency: f,
      seed,
    };
    validateMlpRunConfig(config);
    return { label: `freq=${f}`, folder: `freq_${pyFloat(f)}`, value: f, config };
  });
  return runCachedSweep(
    conditions,
    opts.repeats ?? 1,
    {
      train: ({ config: c }, k, onProgress) =>
        runMlpTrajectory({ ...c, seed: deriveSeed(c.seed, `repeat/${k}`) }, onProgress),
      save: saveMlpRun,
      load: loadMlpRun,
    },
    opts.runDir,
    opts.hooks,
  );
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * CIFAR-10 airplane (0) vs dog (5), renumbered 0/1, normalised with mean = std = 0.5 (spec §6.1). `trainPerClass`
 * keeps only the first images of each class (quick runs; the paper uses all 5,000).
 */
export function airplaneVsDog(cifar10: ImageDataset, options: SelectClassesOptions = {}): ImageDataset {
  return withNormalisation(selectClasses(cifar10, [0, 5], options), { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
}

/** MNIST 3 vs 6, the first 100 train / 900 test images per class, normalised to [−1, 1] (spec §6.5). */
export function mnistThreeVsSix(mnist: ImageDataset, trainPerClass = 100, testPerClass = 900): ImageDataset {
  return withNormalisation(selectClasses(mnist, [3, 6], { trainPerClass, testPerClass }), { mean: [0.5], std: [0.5] });
}

/** Options of {@link runCorruptionSweep}. */
export interface CorruptionSweepOptions extends SweepOptions, Partial<Omit<ClassifierRunConfig, 'seed'>> {
  /** Corruption probabilities in [0, 1] (default 0, 0.2, 0.4, 0.6). */
  corruptions?: readonly number[];
}

/**
 * Experiment 1 (CNN): the CIFAR CNN on a two-class dataset (see {@link airplaneVsDog}) for each corruption rate
 * (spec §6; defaults: model `cifar-cnn`, 100 epochs, bs 1, lr 0.0025, decay 50). Another `model` (e.g. `mnist-mlp` on
 * 28×28×1 data) runs the same protocol.
 */
export async function runCorruptionSweep(
  dataset: ImageDataset,
  opts: CorruptionSweepOptions = {},
): Promise<SweepResult<ClassifierRunConfig, ClassifierRunResult>[]> {
  const seed = opts.seed ?? 0;
  const corruptions = opts.corruptions ?? PAPER_CORRUPTIONS;
  if (corruptions.length === 0) throw new SteadyLearnerError('corruptions', 'empty; allowed: numbers in [0, 1]');
  for (const p of corruptions) {
    if (!(p >= 0 && p <= 1)) throw new SteadyLearnerError('corruptions', `got ${p}; allowed: numbers in [0, 1]`);
  }
  const base: ClassifierRunConfig = {
    model: opts.model ?? 'cifar-cnn',
    epochs: opts.epochs ?? 100,
    batchSize: opts.batchSize ?? 1,
    learningRate: opts.learningRate ?? 0.0025,
    decay: opts.decay ?? 50,
    formulas: opts.formulas ?? 'faithful',
    seed,
  };
  validateClassifierRunConfig(base);
  const corrupted = new Map(
    corruptions.map((p) => [p, corruptTrainLabels(dataset, { rate: p, seed: deriveSeed(seed, 'corruption') }).dataset]),
  );
  const conditions = corruptions.map(
    (p): SweepCondition<ClassifierRunConfig> => ({
      label: `corruption=${p}`,
      folder: `corrupt_${pyFloat(p)}`,
      value: p,
      config: base,
    }),
  );
  return runCachedSweep(
    conditions,
    opts.repeats ?? 1,
    {
      train: ({ config: c, value }, k, onProgress) => {
        const data = corrupted.get(value as number) as ImageDataset;
        return runClassifierTrajectory(data, { ...c, seed: deriveSeed(c.seed, `repeat/${k}`) }, onProgress);
      },
      save: saveClassifierRun,
      load: loadClassifierRun,
    },
    opts.runDir,
    opts.hooks,
  );
}

/** Options of {@link runMnistComparison}. */
export interface MnistComparisonOptions extends SweepOptions, Partial<Omit<ClassifierRunConfig, 'seed' | 'model'>> {
  /** Models to compare (default mnist-mlp and mnist-cnn). */
  models?: readonly ClassifierModelName[];
}

/** Experiment 3: MLP_MNIST vs CNN_MNIST on MNIST 3 vs 6 (spec §6.5; lr 0.002 constant, 100 epochs, bs 1). */
export async function runMnistComparison(
  dataset: ImageDataset,
  opts: MnistComparisonOptions = {},
): Promise<SweepResult<ClassifierRunConfig, ClassifierRunResult>[]> {
  const seed = opts.seed ?? 0;
  const conditions = (opts.models ?? (['mnist-mlp', 'mnist-cnn'] as const)).map(
    (model): SweepCondition<ClassifierRunConfig> => {
      const config: ClassifierRunConfig = {
        model,
        epochs: opts.epochs ?? 100,
        batchSize: opts.batchSize ?? 1,
        learningRate: opts.learningRate ?? 0.002,
        decay: opts.decay,
        formulas: opts.formulas ?? 'faithful',
        seed,
      };
      validateClassifierRunConfig(config);
      return { label: model, folder: model, value: model, config };
    },
  );
  return runCachedSweep(
    conditions,
    opts.repeats ?? 1,
    {
      train: ({ config: c }, k, onProgress) =>
        runClassifierTrajectory(dataset, { ...c, seed: deriveSeed(c.seed, `repeat/${k}`) }, onProgress),
      save: saveClassifierRun,
      load: loadClassifierRun,
    },
    opts.runDir,
    opts.hooks,
  );
}

/** Options of {@link runRegionsExperiment} (defaults: MLP2, f = 0.5, N = 200, 1000 epochs, grid 200). */
export interface RegionsExperimentOptions
  extends Omit<SweepOptions, 'repeats'>,
    Partial<Omit<MlpRunConfig, 'seed' | 'model'>> {
  /** Grid points per axis (default 200). */
  resolution?: number;
  /** Solve the Theorem-2 LPs (default true). */
  solveLps?: boolean;
  /** Progress of the region computation (cells, then LPs). */
  onRegionProgress?: (done: number, total: number) => void;
}

/** Result of {@link runRegionsExperiment}. */
export interface RegionsExperimentResult {
  run: MlpRunResult;
  map: ActivationRegionMap;
  /** The noise-free target on the grid (cell iy·G + ix). */
  groundTruth: Float64Array;
}

/** The embedding scale of the MLP data (spec §3.1). */
const EMBED_SCALE = 10;

/** Experiment 2: trains MLP2 (or reloads it) and maps its activation regions on the data plane (spec §5). */
export async function runRegionsExperiment(opts: RegionsExperimentOptions = {}): Promise<RegionsExperimentResult> {
  const resolution = opts.resolution ?? 200;
  requireInteger('resolution', resolution, 2);
  const [sweep] = await runMlpFrequencySweep({
    frequencies: [opts.frequency ?? 0.5],
    trainSize: opts.trainSize ?? 200,
    epochs: opts.epochs ?? 1000,
    batchSize: opts.batchSize,
    learningRate: opts.learningRate,
    width: opts.width,
    model: 'mlp2',
    repeats: 1,
    seed: opts.seed,
    runDir: opts.runDir,
    hooks: opts.hooks,
  });
  const run = (sweep as SweepResult<MlpRunConfig, MlpRunResult>).runs[0] as MlpRunResult;
  const last = run.checkpoints[run.checkpoints.length - 1];
  if (!last) throw new SteadyLearnerError('run', 'the run has no final checkpoint');
  const net = BiasInputReluMlp.fromParams(run.shape, last.params);
  const { basis, dimension: D } = run.data;
  const map = activationRegions(net, {
    resolution,
    embed: (u, v, out) => {
      for (let i = 0; i < D; i++)
        out[i] = EMBED_SCALE * (u * (basis[i * 2] as number) + v * (basis[i * 2 + 1] as number));
    },
    trainingInputs: run.data.train.inputs,
    solveLps: opts.solveLps,
    onProgress: opts.onRegionProgress,
  });
  const f = run.config.frequency;
  const groundTruth = new Float64Array(resolution * resolution);
  for (let iy = 0; iy < resolution; iy++) {
    for (let ix = 0; ix < resolution; ix++) {
      const u = map.axis[ix] as number;
      const v = map.axis[iy] as number;
      groundTruth[iy * resolution + ix] = Math.cos(2 * Math.PI * f * u) * Math.cos(2 * Math.PI * f * v);
    }
  }
  return { run, map, groundTruth };
}
