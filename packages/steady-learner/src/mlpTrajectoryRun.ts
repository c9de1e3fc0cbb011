/**
 * One run of the steady-learner MLP experiment (spec §3): the cosine-product regression, SGD with ½·MSE on the
 * typed-array {@link BiasInputReluMlp}, recording b1, η, the error and the local Lipschitz constant at every step.
 */
import { type CosineProductData, cosineProductRegression, SeededRandom } from '@lipkit/datasets';
import { BiasInputReluMlp, type BiasInputReluMlpParams, type BiasInputReluMlpShape } from './biasInputReluMlp.js';
import { deriveSeed } from './deriveSeed.js';
import { requireInteger, requirePositive, SteadyLearnerError } from './steadyLearnerError.js';

/** The model of an MLP run: `mlp` = `MLP(10, width)` (3 hidden layers), `mlp2` = `MLP2(10, width)` (1 hidden layer). */
export type MlpModelName = 'mlp' | 'mlp2';

/** Configuration of one MLP run; defaults are the original CLI's (spec §2). */
export interface MlpRunConfig {
  /** Target frequency f > 0 (default 0.5). */
  frequency: number;
  /** Training points N ≥ 2 (default 100); the test set has ⌊0.3·N⌋ independent points (none for N < 4). */
  trainSize: number;
  /** Epochs ≥ 1 (default 3000). */
  epochs: number;
  /** Batch size ≥ 1 (default 1; the paper uses 1). */
  batchSize: number;
  /** Constant SGD learning rate > 0 (default 0.001). */
  learningRate: number;
  /** `mlp` (default) or `mlp2`. */
  model: MlpModelName;
  /** Hidden width (default 32). */
  width: number;
  /** Seed of this run (uint32); data, projection, init and shuffle streams derive from it. */
  seed: number;
  /** `false` skips the per-step recording (benchmarks of the bare loop). Default true. */
  recordSteps?: boolean;
  /**
   * `false` skips the post-update Lipschitz constant (one extra forward + backward pass per step) and stores 0;
   * default true. Benchmarks use it to separate the recorder's own cost from the Lipschitz measurement.
   */
  recordLipschitz?: boolean;
  /**
   * Where the per-step Lipschitz constant is evaluated at the step's sample: `'postUpdate'` (default, the original,
   * spec §4.4/§10.20: one extra forward + backward pass) or `'preUpdate'` (free from the step's own backward pass;
   * with batch size 1 it equals the normalised step ‖Δb1‖/(η|ŷ − y|) exactly, Theorem 1).
   */
  lipschitzAt?: 'postUpdate' | 'preUpdate';
}

/** Defaults of {@link MlpRunConfig} (spec §2). */
export const MLP_RUN_DEFAULTS: Omit<MlpRunConfig, 'seed'> = {
  frequency: 0.5,
  trainSize: 100,
  epochs: 3000,
  batchSize: 1,
  learningRate: 0.001,
  model: 'mlp',
  width: 32,
};

/** Per-epoch metrics (E values each). */
export interface EpochMetrics {
  /** Mean of the epoch's step losses ½(ŷ − y)², pre-update predictions (a running train loss). */
  trainLoss: Float64Array;
  /** Mean test loss after the epoch (empty when there is no test set). */
  testLoss: Float64Array;
  /** Mean |ŷ − y| of the epoch's steps. */
  avgErrorEpoch: Float64Array;
  /** Mean |ŷ − y| of every step of epochs 0..e: the original's `avg_errors` (a cumulative mean, spec §10.6). */
  avgErrorCumulative: Float64Array;
  /** Mean test |ŷ − y| after epoch e. */
  avgTestErrorEpoch: Float64Array;
  /** Mean of the test errors of epochs 0..e (the original's `avg_test_errors`). */
  avgTestErrorCumulative: Float64Array;
}

/** A parameter snapshot. */
export interface MlpCheckpoint {
  epoch: number;
  params: BiasInputReluMlpParams;
}

/** Everything one MLP run produced. Per-step arrays have K = epochs·stepsPerEpoch entries. */
export interface MlpRunResult {
  config: MlpRunConfig;
  shape: BiasInputReluMlpShape;
  stepsPerEpoch: number;
  /** b1 before training (length d). */
  initialBias: Float64Array;
  /** b1 after each step, K·d (float32, as the original stores it). */
  biases: Float32Array;
  /** η per step. */
  learningRates: Float32Array;
  /** |ŷ − y| per step, pre-update prediction of batch element 0 (= |∂ℓ/∂ŷ| for bs 1). */
  errors: Float32Array;
  /** ‖∇_x f(x)‖ per step at batch element 0: post-update network by default (spec §4.4, §10.20), see `lipschitzAt`. */
  lipschitz: Float32Array;
  metrics: EpochMetrics;
  /** Parameters at epochs 0, 100, 200, … and the last epoch (after that epoch's updates). */
  checkpoints: MlpCheckpoint[];
  data: CosineProductData;
}

/** Network shape for a model name and width (input dimension 10). */
export function mlpShapeOf(model: MlpModelName, width: number): BiasInputReluMlpShape {
  requireInteger('width', width, 1);
  if (model === 'mlp') return { inputDim: 10, hidden: [width, width, width] };
  if (model === 'mlp2') return { inputDim: 10, hidden: [width] };
  throw new SteadyLearnerError('model', `unknown model '${String(model)}'; allowed: mlp, mlp2`);
}

/** Validates an {@link MlpRunConfig}; throws {@link SteadyLearnerError}. */
export function validateMlpRunConfig(c: MlpRunConfig): void {
  requirePositive('frequency', c.frequency);
  requireInteger('trainSize', c.trainSize, 2);
  requireInteger('epochs', c.epochs, 1);
  requireInteger('batchSize', c.batchSize, 1);
  requirePositive('learningRate', c.learningRate);
  requireInteger('seed', c.seed, 0);
  mlpShapeOf(c.model, c.width);
}

/**
 * Trains one MLP run (spec §3.3). Seeds: `deriveSeed(seed, 'data' | 'init' | 'shuffle')` (the data stream draws the points, then the projection).
 * Batches: the last batch of an epoch may be smaller; the loss is the batch mean of ½(ŷ − y)².
 * @param onProgress called with (steps done, total steps) about every epoch
 */
export function runMlpTrajectory(
  config: MlpRunConfig,
  onProgress?: (done: number, total: number) => void,
): MlpRunResult {
  validateMlpRunConfig(config);
  const { trainSize: N, epochs: E, batchSize: bs, learningRate: lr } = config;
  const shape = mlpShapeOf(config.model, config.width);
  const d = shape.inputDim;
  const data = cosineProductRegression({
    seed: deriveSeed(config.seed, 'data'),
    count: N,
    frequency: config.frequency,
  });
  const net = BiasInputReluMlp.pytorchInit(shape, new SeededRandom(deriveSeed(config.seed, 'init')));
  const shuffle = new SeededRandom(deriveSeed(config.seed, 'shuffle'));
  const S = Math.ceil(N / bs);
  const K = E * S;
  const record = config.recordSteps !== false;
  const recordLip = record && config.recordLipschitz !== false;
  const preUpdate = config.lipschitzAt === 'preUpdate';
  if (config.lipschitzAt !== undefined && config.lipschitzAt !== 'preUpdate' && config.lipschitzAt !== 'postUpdate') {
    throw new SteadyLearnerError('lipschitzAt', `got '${String(config.lipschitzAt)}'; allowed: postUpdate, preUpdate`);
  }
  const biases = new Float32Array(record ? K * d : 0);
  const learningRates = new Float32Array(record ? K : 0);
  const errors = new Float32Array(record ? K : 0);
  const lipschitz = new Float32Array(record ? K : 0);
  // N < 4 gives ⌊0.3·N⌋ = 0 test points: the test series are then empty rather than NaN.
  const nTestEpochs = data.test.count > 0 ? E : 0;
  const metrics: EpochMetrics = {
    trainLoss: new Float64Array(E),
    testLoss: new Float64Array(nTestEpochs),
    avgErrorEpoch: new Float64Array(E),
    avgErrorCumulative: new Float64Array(E),
    avgTestErrorEpoch: new Float64Array(nTestEpochs),
    avgTestErrorCumulative: new Float64Array(nTestEpochs),
  };
  const checkpoints: MlpCheckpoint[] = [];
  const initialBias = Float64Array.from(net.b1);
  const order = Uint32Array.from({ length: N }, (_, i) => i);
  const { inputs: x, targets: y } = data.train;
  const nTest = data.test.count;
  let errorSum = 0;
  let testErrorSum = 0;
  let k = 0;
  for (let e = 0; e < E; e++) {
    shuffle.shuffleInPlace(order);
    let lossSum = 0;
    let epochErrorSum = 0;
    for (let s = 0; s < S; s++) {
      const start = s * bs;
      const end = Math.min(N, start + bs);
      const m = end - start;
      let batchLoss = 0;
      let firstError = 0;
      let preLip = 0;
      if (m === 1) {
        const i = order[start] as number;
        const r = net.sgdStepSingle(x, i * d, y[i] as number, lr);
        batchLoss = 0.5 * r * r;
        firstError = Math.abs(r);
        preLip = net.lastInputGradientNorm;
      } else {
        for (let j = start; j < end; j++) {
          const i = order[j] as number;
          const r = net.forward(x, i * d) - (y[i] as number);
          batchLoss += 0.5 * r * r;
          if (j === start) {
            firstError = Math.abs(r);
            if (recordLip && preUpdate) preLip = net.inputGradient();
          }
          net.accumulateGradient(r / m);
        }
        net.applySgd(lr);
      }
      lossSum += batchLoss / m;
      epochErrorSum += firstError;
      if (record) {
        if (recordLip) {
          if (preUpdate) {
            lipschitz[k] = preLip;
          } else {
            net.forward(x, (order[start] as number) * d);
            lipschitz[k] = net.inputGradient();
          }
        }
        biases.set(net.b1, k * d);
        learningRates[k] = lr;
        errors[k] = firstError;
      }
      k++;
    }
    errorSum += epochErrorSum;
    let testLoss = 0;
    let testError = 0;
    for (let i = 0; i < nTest; i++) {
      const r = net.forward(data.test.inputs, i * d) - (data.test.targets[i] as number);
      testLoss += 0.5 * r * r;
      testError += Math.abs(r);
    }
    metrics.trainLoss[e] = lossSum / S;
    metrics.avgErrorEpoch[e] = epochErrorSum / S;
    metrics.avgErrorCumulative[e] = errorSum / ((e + 1) * S);
    if (nTest > 0) {
      metrics.testLoss[e] = testLoss / nTest;
      metrics.avgTestErrorEpoch[e] = testError / nTest;
      testErrorSum += metrics.avgTestErrorEpoch[e] as number;
      metrics.avgTestErrorCumulative[e] = testErrorSum / (e + 1);
    }
    if (e % 100 === 0 || e === E - 1) checkpoints.push({ epoch: e, params: net.params() });
    onProgress?.(k, K);
  }
  return {
    config,
    shape,
    stepsPerEpoch: S,
    initialBias,
    biases,
    learningRates,
    errors,
    lipschitz,
    metrics,
    checkpoints,
    data,
  };
}
