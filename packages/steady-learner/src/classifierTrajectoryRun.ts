/**
 * One run of the steady-learner classifier experiments in tfjs (spec §6): the CIFAR-10 CNN (airplane vs dog, label
 * corruption applied by the caller) and the MNIST 3-vs-6 MLP / CNN. SGD on ½·BCE, optional decade decay, and the
 * online {@link TrajectoryRecorder} on b1 (the raw CIFAR biases would be 12 GB per run, §10.10).
 */
import { type ImageDataset, imageSize, normaliseImages, SeededRandom } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from './deriveSeed.js';
import type { FrozenIdentityModel } from './frozenIdentityModel.js';
import { decadeDecayLearningRate } from './learningRateSchedule.js';
import { requireInteger, requirePositive, SteadyLearnerError } from './steadyLearnerError.js';
import { createCifarCnn, createMnistCnn, createMnistMlp } from './steadyModels.js';
import { sgdStep, steadyLoss } from './tfSgdStep.js';
import type { TrajectoryFormulas } from './trajectoryFormulas.js';
import { TrajectoryRecorder } from './trajectoryRecorder.js';

/** Models of the classifier experiments. */
export type ClassifierModelName = 'cifar-cnn' | 'mnist-mlp' | 'mnist-cnn';
/** All {@link ClassifierModelName}s. */
export const CLASSIFIER_MODELS: readonly ClassifierModelName[] = ['cifar-cnn', 'mnist-mlp', 'mnist-cnn'];

/** Configuration of one classifier run. */
export interface ClassifierRunConfig {
  model: ClassifierModelName;
  /** Epochs ≥ 1 (paper: 100). */
  epochs: number;
  /** Batch size ≥ 1 (paper: 1). */
  batchSize: number;
  /** Initial learning rate (paper: 0.0025 CIFAR, 0.002 MNIST). */
  learningRate: number;
  /** Epochs per decade of decay (paper: 50 for CIFAR); `undefined` = constant rate (MNIST). */
  decay?: number;
  /** Seed of the run (init and shuffle derive from it). */
  seed: number;
  /**
   * `'faithful'` (default): ε = 1 − |p − y| (the code's), off-by-one pairing, first-step distance.
   * `'theory'`: ε = |∂ℓ/∂z| = ½|p − y| for the logit z (so ‖Δb1‖/(η·ε) = ‖∇_x z‖), own-step pairing, true-init distance.
   */
  formulas?: TrajectoryFormulas;
}

/** Per-epoch series (E values each) and per-step series (K = E·S values each) of a classifier run. */
export interface ClassifierRunResult {
  config: ClassifierRunConfig;
  stepsPerEpoch: number;
  trainCount: number;
  testCount: number;
  learningRate: Float64Array;
  /** Mean step loss (pre-update). */
  trainLoss: Float64Array;
  testLoss: Float64Array;
  /** Mean |p − y| of the epoch's steps (batch element 0). */
  avgErrorEpoch: Float64Array;
  /** Mean over all steps of epochs 0..e (the original's cumulative `avg_errors`). */
  avgErrorCumulative: Float64Array;
  avgTestErrorEpoch: Float64Array;
  avgTestErrorCumulative: Float64Array;
  /** Per-epoch trajectory length (see {@link EpochTrajectoryStats.trajectory}). */
  trajectory: Float64Array;
  /** I_e = Σ_{e'<e} trajectory[e']. */
  integral: Float64Array;
  /** Within-epoch variance of b1 / η². */
  variance: Float64Array;
  /** Per-step distance of b1 to its reference. */
  distance: Float32Array;
  /** Per-step |p − y| (batch element 0, pre-update). */
  error: Float32Array;
  /** Per-step normaliser ε. */
  epsilon: Float32Array;
  /** Steps with ε < 1e−12. */
  degenerateSteps: number;
}

function createModel(name: ClassifierModelName, random: SeededRandom): FrozenIdentityModel {
  if (name === 'cifar-cnn') return createCifarCnn(random);
  if (name === 'mnist-mlp') return createMnistMlp(random);
  if (name === 'mnist-cnn') return createMnistCnn(random);
  throw new SteadyLearnerError('model', `unknown model '${String(name)}'; allowed: ${CLASSIFIER_MODELS.join(', ')}`);
}

/** Validates a {@link ClassifierRunConfig}. */
export function validateClassifierRunConfig(c: ClassifierRunConfig): void {
  if (!CLASSIFIER_MODELS.includes(c.model)) {
    throw new SteadyLearnerError(
      'model',
      `unknown model '${String(c.model)}'; allowed: ${CLASSIFIER_MODELS.join(', ')}`,
    );
  }
  requireInteger('epochs', c.epochs, 1);
  requireInteger('batchSize', c.batchSize, 1);
  requirePositive('learningRate', c.learningRate);
  if (c.decay !== undefined) requireInteger('decay', c.decay, 1);
  requireInteger('seed', c.seed, 0);
  if (c.formulas !== undefined && c.formulas !== 'faithful' && c.formulas !== 'theory') {
    throw new SteadyLearnerError('formulas', `got '${String(c.formulas)}'; allowed: faithful, theory`);
  }
}

/**
 * Trains one classifier run on a two-class dataset (labels 0/1; already class-filtered, corrupted and carrying its
 * normalisation, e.g. mean = std = 0.5 ⇒ [−1, 1]).
 * @param onProgress (steps done, total steps), about every 10 steps and at each epoch end
 */
export function runClassifierTrajectory(
  dataset: ImageDataset,
  config: ClassifierRunConfig,
  onProgress?: (done: number, total: number) => void,
): ClassifierRunResult {
  validateClassifierRunConfig(config);
  const { train, test } = dataset;
  if (dataset.classNames.length !== 2) {
    throw new SteadyLearnerError('dataset', `needs exactly 2 classes; got ${dataset.classNames.length}`);
  }
  if (train.count < 1 || test.count < 1)
    throw new SteadyLearnerError('dataset', 'train and test splits must be non-empty');
  const formulas = config.formulas ?? 'faithful';
  const model = createModel(config.model, new SeededRandom(deriveSeed(config.seed, 'init')));
  const [h, w, c] = model.inputShape as [number, number, number];
  if (train.height !== h || train.width !== w || train.channels !== c) {
    model.dispose();
    throw new SteadyLearnerError(
      'dataset',
      `images are ${train.height}×${train.width}×${train.channels}; model '${config.model}' needs ${h}×${w}×${c}`,
    );
  }
  const shuffle = new SeededRandom(deriveSeed(config.seed, 'shuffle'));
  const size = imageSize(train);
  const bs = config.batchSize;
  const N = train.count;
  const S = Math.ceil(N / bs);
  const E = config.epochs;
  const K = E * S;
  const result: ClassifierRunResult = {
    config: { ...config, formulas },
    stepsPerEpoch: S,
    trainCount: N,
    testCount: test.count,
    learningRate: new Float64Array(E),
    trainLoss: new Float64Array(E),
    testLoss: new Float64Array(E),
    avgErrorEpoch: new Float64Array(E),
    avgErrorCumulative: new Float64Array(E),
    avgTestErrorEpoch: new Float64Array(E),
    avgTestErrorCumulative: new Float64Array(E),
    trajectory: new Float64Array(E),
    integral: new Float64Array(E),
    variance: new Float64Array(E),
    distance: new Float32Array(K),
    error: new Float32Array(K),
    epsilon: new Float32Array(K),
    degenerateSteps: 0,
  };
  const recorder = new TrajectoryRecorder({ bias: model.b1, formulas });
  const order = Int32Array.from({ length: N }, (_, i) => i);
  const batch = new Float32Array(bs * size);
  const batchLabels = new Float32Array(bs);
  let errorSum = 0;
  let testErrorSum = 0;
  let integral = 0;
  try {
    recorder.begin();
    for (let e = 0; e < E; e++) {
      const eta =
        config.decay === undefined
          ? config.learningRate
          : decadeDecayLearningRate(config.learningRate, config.decay, e);
      result.learningRate[e] = eta;
      recorder.beginEpoch(eta);
      shuffle.shuffleInPlace(order);
      let lossSum: tf.Tensor = tf.scalar(0);
      const errs: tf.Tensor[] = [];
      for (let s = 0; s < S; s++) {
        const start = s * bs;
        const m = Math.min(N, start + bs) - start;
        for (let j = 0; j < m; j++) {
          const i = order[start + j] as number;
          normaliseImages(train, dataset.normalisation, i, 1, batch.subarray(j * size, (j + 1) * size));
          batchLabels[j] = train.labels[i] as number;
        }
        const x = tf.tensor4d(batch.subarray(0, m * size), [m, h, w, c]);
        const y = tf.tensor1d(batchLabels.subarray(0, m));
        const { output, loss } = sgdStep(model, x, y, eta, 'halfBce');
        const [err, eps] = tf.tidy(() => {
          const p0 = tf.sigmoid(tf.reshape(tf.slice(output, [0, 0], [1, 1]), []));
          const err0 = tf.abs(tf.sub(p0, tf.reshape(tf.slice(y, [0], [1]), [])));
          const eps0 = formulas === 'faithful' ? tf.sub(1, err0) : tf.mul(0.5, err0);
          return [err0, eps0];
        });
        recorder.recordStep(eps);
        const newSum = tf.add(lossSum, loss);
        tf.dispose([lossSum, x, y, output, loss, eps]);
        lossSum = newSum;
        errs.push(err);
        if (s % 10 === 9) onProgress?.(e * S + s + 1, K);
      }
      const stats = recorder.endEpoch();
      const errValues = tf.tidy(() => tf.stack(errs).dataSync() as Float32Array);
      tf.dispose(errs);
      const epochLoss = (lossSum.dataSync()[0] as number) / S;
      lossSum.dispose();
      result.error.set(errValues, e * S);
      result.epsilon.set(stats.normalisers, e * S);
      result.distance.set(stats.distances, e * S);
      result.degenerateSteps += stats.degenerateCount;
      let epochErr = 0;
      for (let s = 0; s < S; s++) epochErr += errValues[s] as number;
      errorSum += epochErr;
      result.trainLoss[e] = epochLoss;
      result.avgErrorEpoch[e] = epochErr / S;
      result.avgErrorCumulative[e] = errorSum / ((e + 1) * S);
      result.trajectory[e] = stats.trajectory;
      result.integral[e] = integral;
      integral += stats.trajectory;
      result.variance[e] = stats.variance;
      const t = evaluate(model, dataset);
      result.testLoss[e] = t.loss;
      result.avgTestErrorEpoch[e] = t.error;
      testErrorSum += t.error;
      result.avgTestErrorCumulative[e] = testErrorSum / (e + 1);
      onProgress?.((e + 1) * S, K);
    }
  } finally {
    recorder.dispose();
    model.dispose();
  }
  return result;
}

/** Mean ½·BCE and mean |p − y| over the test split, in chunks of 100 images, one read. */
function evaluate(model: FrozenIdentityModel, dataset: ImageDataset): { loss: number; error: number } {
  const { test } = dataset;
  const chunk = 100;
  const [h, w, c] = model.inputShape as [number, number, number];
  const sums = tf.tidy(() => {
    let loss: tf.Tensor = tf.scalar(0);
    let err: tf.Tensor = tf.scalar(0);
    for (let start = 0; start < test.count; start += chunk) {
      const m = Math.min(chunk, test.count - start);
      const x = tf.tensor4d(normaliseImages(test, dataset.normalisation, start, m), [m, h, w, c]);
      const y = tf.tensor1d(Float32Array.from(test.labels.subarray(start, start + m)));
      const z = model.predict(x);
      loss = tf.add(loss, tf.mul(steadyLoss('halfBce', z, y), m));
      err = tf.add(err, tf.sum(tf.abs(tf.sub(tf.sigmoid(tf.reshape(z, [-1])), y))));
    }
    return tf.stack([loss, err]).dataSync();
  });
  return { loss: (sums[0] as number) / test.count, error: (sums[1] as number) / test.count };
}
