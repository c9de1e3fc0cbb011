/**
 * The excess-capacity training loop (the original `train.py`, spec §9.5–§9.7) as a library function: optimiser
 * steps with periodic Dykstra projections, per-epoch evaluation, TensorBoard logs, `log.json`, atomic checkpoints
 * and exact resume. Framework-free inputs ({@link TrainingData}); it never picks a tfjs backend.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from './atomicFile.js';
import { type BatchGradientsFunction, batchGradients, batchTensors, negativeMarginsOf } from './batchGradients.js';
import {
  assignCheckpointVariables,
  CHECKPOINT_FILE_NAME,
  type CheckpointTensor,
  type EpochProgress,
  type LoadedCheckpoint,
  readCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';
import { type LearningRateSchedule, learningRateAt, validateLearningRateSchedule } from './learningRateSchedule.js';
import { type HparamValue, histogramOf, TensorBoardEventWriter, writeHparamsSession } from './tensorboardWriter.js';
import type { BatchIterable, TrainableNetwork, TrainingData } from './trainableNetwork.js';
import { CheckpointError, TrainingConfigError, TrainingDivergedError } from './trainingErrors.js';
import { appendToSeries, emptyTrainingLog, type RunSetup, type TrainingLog } from './trainingLog.js';
import {
  createTrainingOptimizer,
  type NamedParameter,
  type OptimizerHyperparameters,
  type OptimizerName,
} from './trainingOptimizer.js';
import { createTrainingRandom, restoreTrainingRandom, type TrainingRandom } from './trainingRandom.js';

/** Options of {@link trainModel}. */
export interface TrainModelOptions {
  network: TrainableNetwork;
  data: TrainingData;
  /** Run folder: event files, `log.json`, `args.json`, `checkpoint.lkc` (created if missing). */
  runDir: string;
  optimizer: OptimizerName;
  optimizerHyperparameters?: OptimizerHyperparameters;
  schedule: LearningRateSchedule;
  /**
   * Number of epochs to run (0-based epochs 0..epochs−1). The original runs `epochs + 1` epochs (0..epochs); we
   * run exactly `epochs`.
   */
  epochs: number;
  /** Dykstra iterations per projection (`--n-proj`, default 1); 0 disables projection. */
  projectionIterations?: number;
  /** Project after every `projectionFrequency`-th step of an epoch (`--proj-freq`, default 15; any value ≥ 1). */
  projectionFrequency?: number;
  /** Dykstra iterations of the projection after the last epoch (default 15, as the original). */
  finalProjectionIterations?: number;
  /** Seed of the run's generator (epoch shuffles). */
  seed: number;
  /** Configuration to store in `args.json` and in the checkpoint (so a resume needs nothing else). */
  config?: Record<string, unknown>;
  /** Hyper-parameters for TensorBoard's HParams tab and `log.json`'s `hparam`. */
  hparams?: Record<string, HparamValue>;
  /**
   * What to log before the first step of a fresh run (ignored on resume: the checkpoint's log has it), e.g.
   * `measureGeneralizationBoundSetup`: quantities go to `log.json` `setup` (non-finite as null) and, when
   * finite, into the hparams; scalar curves to the main TensorBoard run and `log.json` `scalar`.
   */
  setup?: RunSetup;
  /** Margin histograms every this many epochs and at the last epoch (default 10, as the original). */
  histogramEvery?: number;
  /**
   * Also write `checkpoint.lkc` after every `checkpointEvery`-th optimiser step (global count, after that step's
   * projection; default 0 = at epoch ends only). A mid-epoch checkpoint holds the epoch's progress
   * ({@link EpochProgress}: shuffle seed, batches done, running metrics and margins), so a resume continues inside
   * the epoch and still reaches the weights of an uninterrupted run; it skips the done batches of the same order.
   */
  checkpointEvery?: number;
  /** Also keep `checkpoint-epoch<k>.lkc` where the original's `--save_model` saves `model_<k>.pt`. */
  keepEpochCheckpoints?: boolean;
  /** Continue from the checkpoint in `runDir` instead of starting fresh. */
  resume?: boolean;
  /**
   * Called at the start of each epoch with the number of training images and how many of them are already done
   * (0, except for the epoch a mid-epoch checkpoint resumes).
   */
  onEpochStart?: (epoch: number, epochs: number, images: number, alreadyDone: number) => void;
  /** Training progress within the current epoch, in images. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Called after every optimiser step (and the projection that follows it, if any), before `onProgress`: lets a
   * caller observe the weights step by step (e.g. a trajectory recorder) and log per-step losses.
   */
  onStep?: (record: StepRecord) => void;
  /** Called after each epoch's evaluation and checkpoint. */
  onEpochEnd?: (record: EpochRecord) => void;
  /** Called with a short label when a non-step phase starts (`final projection`, `final evaluation`). */
  onPhase?: (phase: string) => void;
  /**
   * Computes each training batch's loss, negative margins and gradients (e.g. over data-parallel worker
   * processes); the loop applies the optimiser step, projections, logs and checkpoints as usual. Default:
   * {@link batchGradients} in this process. The gradients must be those of the batch mean loss.
   */
  gradientsOf?: BatchGradientsFunction;
}

/** One optimiser step, as passed to {@link TrainModelOptions.onStep}. */
export interface StepRecord {
  /** Global step count after this step (1-based). */
  step: number;
  /** 0-based epoch of the step. */
  epoch: number;
  /** Learning rate of the step. */
  learningRate: number;
  /** Mean cross-entropy of the step's batch, under the weights before the update. */
  loss: number;
  /** Whether the constraints were projected right after this step. */
  projected: boolean;
}

/** Summary of one epoch. Train values are running values under changing weights (as the original). */
export interface EpochRecord {
  epoch: number;
  epochs: number;
  learningRate: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Train − test loss. */
  lossGap: number;
  /** Train − test accuracy. */
  accuracyGap: number;
  /** Optimiser steps done so far (global). */
  step: number;
  /** Wall-clock seconds of the training part of the epoch. */
  trainSeconds: number;
  /** Training throughput of the epoch (images per second, projections included). */
  imagesPerSecond: number;
  /** Per-layer Lipschitz estimates after the epoch (empty without a constrained network). */
  lipschitz: Record<string, number>;
  /** Per-layer (2,1) distances to initialisation after the epoch. */
  distance: Record<string, number>;
}

/** Final clean evaluation after the final projection (the original's hparams metrics). */
export interface FinalMetrics {
  trn_acc: number;
  tst_acc: number;
  trn_loss: number;
  tst_loss: number;
  gap_acc: number;
  gap_loss: number;
}

/** Result of {@link trainModel}. */
export interface TrainModelResult {
  epochs: EpochRecord[];
  final: FinalMetrics;
  log: TrainingLog;
  steps: number;
  runDir: string;
}

interface Evaluation {
  loss: number;
  accuracy: number;
  negativeMargins: Float32Array;
}

/** Mean cross-entropy loss, accuracy and negative margins of the network (eval mode) over `batches`. */
async function evaluate(network: TrainableNetwork, batches: BatchIterable, size: number): Promise<Evaluation> {
  const negativeMargins = new Float32Array(size);
  let lossSum = 0;
  let correct = 0;
  let at = 0;
  for await (const batch of batches) {
    const n = batch.labels.length;
    const values = tf.tidy(() => {
      const { x, y } = batchTensors(network, batch);
      const logits = network.logits(x, false);
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, network.numClasses), logits);
      return tf.concat([tf.reshape(loss, [1]), negativeMarginsOf(logits, y)]);
    });
    const data = values.dataSync();
    values.dispose();
    lossSum += data[0]! * n;
    for (let i = 1; i <= n; i++) if (data[i]! < 0) correct++;
    negativeMargins.set(data.subarray(1), at);
    at += n;
  }
  if (at !== size) throw new TrainingConfigError('data', `batches hold ${at} samples; the data says ${size}`);
  return { loss: lossSum / size, accuracy: correct / size, negativeMargins };
}

function validateOptions(o: TrainModelOptions): void {
  const intAtLeast = (v: number | undefined, min: number, flag: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) {
      throw new TrainingConfigError(flag, `must be an integer ≥ ${min}, got ${v}`);
    }
  };
  intAtLeast(o.epochs, 1, '--epochs');
  intAtLeast(o.projectionIterations, 0, '--n-proj');
  intAtLeast(o.projectionFrequency, 1, '--proj-freq');
  intAtLeast(o.finalProjectionIterations, 0, 'finalProjectionIterations');
  intAtLeast(o.histogramEvery, 1, 'histogramEvery');
  intAtLeast(o.checkpointEvery, 0, '--checkpoint-every');
  if (!Number.isSafeInteger(o.seed)) throw new TrainingConfigError('--seed', `must be an integer, got ${o.seed}`);
  if (o.data.trainSize < 1) throw new TrainingConfigError('--limit-to', 'the training set is empty');
  if (o.data.testSize < 1) throw new TrainingConfigError('data', 'the test set is empty');
  validateLearningRateSchedule(o.schedule);
}

/** Makes the run folder and proves it writable; a failure names `--logdir` and leaves nothing behind. */
function prepareRunDir(runDir: string): void {
  try {
    mkdirSync(runDir, { recursive: true });
    const probe = join(runDir, `.write-test-${process.pid}`);
    writeFileAtomic(probe, '');
    rmSync(probe);
  } catch (err) {
    throw new TrainingConfigError('--logdir', `cannot write the run folder ${runDir}: ${(err as Error).message}`);
  }
}

/**
 * Trains `network` on `data`, following the original `train.py` (spec §9), with these differences on purpose:
 * - exactly `epochs` epochs (the original runs `epochs + 1`);
 * - projection every `projectionFrequency` steps **and at the end of each epoch** (the original's end-of-epoch
 *   projection never fires), so each test evaluation and checkpoint sees projected weights; any frequency ≥ 1 works
 *   (the original crashes below 5);
 * - per-layer Lipschitz/distance values are logged once per epoch (and at step 0) instead of every
 *   `proj_freq // 5` steps, which is costly;
 * - a non-finite loss stops the run with {@link TrainingDivergedError} naming the step; the checkpoint of the
 *   previous epoch stays.
 *
 * Writes to `runDir`: TensorBoard event files (main run; `Condition_lip_<layer>` and `Condition_dist_<layer>`
 * sub-runs with tags `Condition/lip`, `Condition/dist`; an hparams session sub-run), `log.json` (§9.7),
 * `args.json` (the config), `checkpoint.lkc` after every epoch, every `checkpointEvery` steps if set, and at the end
 * (see `checkpoint.ts`).
 * With `resume`, the checkpoint's weights, optimiser state, generator state and log are restored and training
 * continues with the next epoch (or inside the epoch of a mid-epoch checkpoint), reaching the same weights as an
 * uninterrupted run on the same backend.
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainModelResult> {
  validateOptions(options);
  const { network, data, runDir, epochs } = options;
  const nProj = options.projectionIterations ?? 1;
  const projFreq = options.projectionFrequency ?? 15;
  const finalProj = options.finalProjectionIterations ?? 15;
  const histogramEvery = options.histogramEvery ?? 10;
  const checkpointEvery = options.checkpointEvery ?? 0;
  const checkpointPath = join(runDir, CHECKPOINT_FILE_NAME);

  let checkpoint: LoadedCheckpoint | undefined;
  if (options.resume) {
    checkpoint = readCheckpoint(checkpointPath);
    checkCheckpointFits(checkpoint, network);
    if (checkpoint.header.finished) {
      throw new CheckpointError(
        '--resume',
        `the run in ${runDir} already finished (${checkpoint.header.epoch} epochs)`,
      );
    }
  } else if (existsSync(checkpointPath)) {
    throw new TrainingConfigError('--logdir', `${runDir} already holds a run; use --resume ${runDir} or a new folder`);
  }
  prepareRunDir(runDir);

  const trainable: NamedParameter[] = network.variables.filter((v) => v.trainable);
  const optimizer = createTrainingOptimizer(options.optimizer, trainable, options.optimizerHyperparameters);
  const log: TrainingLog = checkpoint ? (checkpoint.header.log as TrainingLog) : emptyTrainingLog();
  let rng: TrainingRandom;
  let startEpoch = 0;
  let step = 0;
  let initWeights: tf.Tensor[];
  if (checkpoint) {
    assignCheckpointVariables(checkpoint, 'weight', network.variables);
    assignCheckpointVariables(checkpoint, 'optimizer', optimizer.stateVariables());
    initWeights = trainable.map((p) => {
      const stored = checkpoint.tensorData(p.name, 'init');
      if (stored === undefined) throw new CheckpointError('--resume', `checkpoint has no init tensor '${p.name}'`);
      return tf.tensor(stored, p.variable.shape, p.variable.dtype);
    });
    rng = restoreTrainingRandom(checkpoint.header.rngState);
    startEpoch = checkpoint.header.epoch;
    step = checkpoint.header.step;
  } else {
    initWeights = trainable.map((p) => tf.clone(p.variable));
    rng = createTrainingRandom(options.seed);
    writeFileAtomic(join(runDir, 'args.json'), `${JSON.stringify(options.config ?? {}, null, 2)}\n`);
  }

  const mainWriter = new TensorBoardEventWriter(runDir);
  const conditionWriters = new Map<string, TensorBoardEventWriter>();
  const logCondition = (atStep: number): { lipschitz: Record<string, number>; distance: Record<string, number> } => {
    const lipschitz = network.lipschitzByLayer?.() ?? {};
    const distance = network.distanceByLayer?.() ?? {};
    for (const [quantity, values] of [
      ['lip', lipschitz],
      ['dist', distance],
    ] as const) {
      for (const [layer, value] of Object.entries(values)) {
        const sub = `Condition_${quantity}_${layer}`;
        let w = conditionWriters.get(sub);
        if (w === undefined) {
          w = new TensorBoardEventWriter(join(runDir, sub));
          conditionWriters.set(sub, w);
        }
        w.addScalar(`Condition/${quantity}`, value, atStep);
        appendToSeries(log.norms[quantity], layer, atStep, value);
      }
    }
    return { lipschitz, distance };
  };
  const addScalar = (tag: string, value: number, atStep: number) => {
    mainWriter.addScalar(tag, value, atStep);
    appendToSeries(log.scalar, tag, atStep, value);
  };
  const addHistogram = (tag: string, values: Float32Array, atStep: number) => {
    const h = histogramOf(values);
    mainWriter.addHistogram(tag, h, atStep);
    log.hist[tag] = { buckets: h.bucketLimits, values: h.counts };
  };
  const flushAll = () => {
    mainWriter.flush();
    for (const w of conditionWriters.values()) w.flush();
    writeFileAtomic(join(runDir, 'log.json'), `${JSON.stringify(log)}\n`);
  };
  const writeCheckpoint = (
    epochsDone: number,
    finished: boolean,
    path = checkpointPath,
    inEpoch?: { progress: EpochProgress; trainMargins: Float32Array },
  ) => {
    const margins = inEpoch && tf.tensor1d(inEpoch.trainMargins.subarray(0, inEpoch.progress.seen));
    const tensors: CheckpointTensor[] = [
      ...network.variables.map((v) => ({ name: v.name, role: 'weight' as const, tensor: v.variable })),
      ...trainable.map((p, i) => ({ name: p.name, role: 'init' as const, tensor: initWeights[i]! })),
      ...optimizer.stateVariables().map((s) => ({ name: s.name, role: 'optimizer' as const, tensor: s.variable })),
      ...(margins ? [{ name: 'trainMargins', role: 'epoch' as const, tensor: margins }] : []),
    ];
    try {
      saveCheckpoint(
        path,
        {
          architecture: network.architecture,
          inputShape: [...network.inputShape],
          numClasses: network.numClasses,
          epoch: epochsDone,
          step,
          finished,
          rngState: rng.state(),
          config: options.config ?? {},
          log,
          ...(inEpoch && { epochProgress: inEpoch.progress }),
        },
        tensors,
      );
    } finally {
      margins?.dispose();
    }
  };

  const records: EpochRecord[] = [];
  try {
    if (!checkpoint) {
      if (options.setup) {
        log.setup = Object.fromEntries(
          Object.entries(options.setup.quantities).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
        );
        for (const [tag, series] of Object.entries(options.setup.scalars)) {
          series.steps.forEach((atStep, i) => {
            addScalar(tag, series.values[i]!, atStep);
          });
        }
      }
      logCondition(0);
      if (options.keepEpochCheckpoints) writeCheckpoint(0, false, join(runDir, 'checkpoint-epoch0.lkc'));
    }
    const gradientsOf = options.gradientsOf ?? (async (batch, vars) => batchGradients(network, batch, vars));
    let resumedProgress = checkpoint?.header.epochProgress;
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const lr = learningRateAt(options.schedule, epoch);
      const progress = resumedProgress;
      resumedProgress = undefined;
      const shuffleSeed = progress ? progress.shuffleSeed : rng.nextUint32();
      options.onEpochStart?.(epoch, epochs, data.trainSize, progress?.seen ?? 0);
      const trainMargins = new Float32Array(data.trainSize);
      let lossSum = progress?.lossSum ?? 0;
      let correct = progress?.correct ?? 0;
      let seen = progress?.seen ?? 0;
      let batchIndex = progress?.batchIndex ?? 0;
      let projectedAfterLastStep = progress?.projectedAfterLastStep ?? false;
      if (progress) {
        const stored = checkpoint?.tensorData('trainMargins', 'epoch');
        if (stored === undefined || stored.length !== seen) {
          throw new CheckpointError('--resume', `mid-epoch checkpoint lacks the margins of its ${seen} samples`);
        }
        trainMargins.set(stored);
      }
      let toSkip = batchIndex;
      let skippedSamples = 0;
      const t0 = performance.now() - (progress?.trainSeconds ?? 0) * 1000;
      for await (const batch of data.trainBatches(shuffleSeed)) {
        const n = batch.labels.length;
        if (toSkip > 0) {
          // done before the mid-epoch checkpoint: same order (same seed), so the same batches
          toSkip--;
          skippedSamples += n;
          if (toSkip === 0 && skippedSamples !== seen) {
            throw new CheckpointError(
              '--resume',
              `the first ${batchIndex} batches hold ${skippedSamples} samples, the checkpoint says ${seen}: the data or --bs changed`,
            );
          }
          continue;
        }
        const { loss, negativeMargins, gradients } = await gradientsOf(batch, trainable);
        try {
          if (negativeMargins.length !== n || gradients.length !== trainable.length) {
            throw new TrainingConfigError(
              'gradientsOf',
              `returned ${negativeMargins.length} margins and ${gradients.length} gradients for ${n} samples and ${trainable.length} variables`,
            );
          }
          tf.tidy(() => optimizer.applyGradients(gradients, lr));
        } finally {
          tf.dispose(gradients);
        }
        step++;
        batchIndex++;
        if (!Number.isFinite(loss)) throw new TrainingDivergedError(step, epoch, loss);
        lossSum += loss * n;
        for (const m of negativeMargins) if (m < 0) correct++;
        trainMargins.set(negativeMargins, seen);
        seen += n;
        projectedAfterLastStep = false;
        if (nProj > 0 && network.project && batchIndex % projFreq === 0) {
          network.project(nProj);
          projectedAfterLastStep = true;
        }
        if (checkpointEvery > 0 && step % checkpointEvery === 0 && seen < data.trainSize) {
          const trainSeconds = (performance.now() - t0) / 1000;
          const state = { shuffleSeed, batchIndex, seen, lossSum, correct, projectedAfterLastStep, trainSeconds };
          writeCheckpoint(epoch, false, checkpointPath, { progress: state, trainMargins });
        }
        options.onStep?.({ step, epoch, learningRate: lr, loss, projected: projectedAfterLastStep });
        options.onProgress?.(seen, data.trainSize);
      }
      if (seen !== data.trainSize) {
        throw new TrainingConfigError('data', `training batches hold ${seen} samples; the data says ${data.trainSize}`);
      }
      if (nProj > 0 && network.project && !projectedAfterLastStep) network.project(nProj);
      const trainSeconds = (performance.now() - t0) / 1000;
      const condition = logCondition(step);
      const test = await evaluate(network, data.testBatches(), data.testSize);
      const trainLoss = lossSum / seen;
      const trainAccuracy = correct / seen;
      addScalar('Accuracy/Train', trainAccuracy, epoch);
      addScalar('Accuracy/Test', test.accuracy, epoch);
      addScalar('Accuracy/Gap', trainAccuracy - test.accuracy, epoch);
      addScalar('Loss/Train', trainLoss, epoch);
      addScalar('Loss/Test', test.loss, epoch);
      addScalar('Loss/Gap', trainLoss - test.loss, epoch);
      addScalar('LearningRate', lr, epoch);
      const lastEpoch = epoch === epochs - 1;
      if (epoch % histogramEvery === 0 || lastEpoch) {
        addHistogram('Margins/Train', trainMargins, epoch);
        addHistogram('Margins/Test', test.negativeMargins, epoch);
        const sc = network.spectralComplexity?.();
        if (sc !== undefined && Number.isFinite(sc) && sc > 0) {
          addHistogram(
            'Normalized Margins/Train',
            trainMargins.map((m) => m / sc),
            epoch,
          );
          addHistogram(
            'Normalized Margins/Test',
            test.negativeMargins.map((m) => m / sc),
            epoch,
          );
        }
      }
      writeCheckpoint(epoch + 1, false);
      if (options.keepEpochCheckpoints && ((epoch + 1) % 10 === 0 || lastEpoch)) {
        writeCheckpoint(epoch + 1, false, join(runDir, `checkpoint-epoch${epoch + 1}.lkc`));
      }
      flushAll();
      const record: EpochRecord = {
        epoch,
        epochs,
        learningRate: lr,
        trainLoss,
        trainAccuracy,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        lossGap: trainLoss - test.loss,
        accuracyGap: trainAccuracy - test.accuracy,
        step,
        trainSeconds,
        imagesPerSecond: seen / trainSeconds,
        ...condition,
      };
      records.push(record);
      options.onEpochEnd?.(record);
    }

    if (nProj > 0 && network.project && finalProj > 0) {
      options.onPhase?.('final projection');
      network.project(finalProj);
    }
    options.onPhase?.('final evaluation');
    const trn = await evaluate(network, data.trainBatches(0), data.trainSize);
    const tst = await evaluate(network, data.testBatches(), data.testSize);
    const final: FinalMetrics = {
      trn_acc: trn.accuracy,
      tst_acc: tst.accuracy,
      trn_loss: trn.loss,
      tst_loss: tst.loss,
      gap_acc: trn.accuracy - tst.accuracy,
      gap_loss: trn.loss - tst.loss,
    };
    log.final = { ...final };
    const setupHparams = Object.entries(log.setup ?? {}).filter((e): e is [string, number] => e[1] !== null);
    log.hparam = { ...(options.hparams ?? {}), ...Object.fromEntries(setupHparams) };
    writeHparamsSession(runDir, log.hparam, log.final);
    writeCheckpoint(epochs, true);
    flushAll();
    return { epochs: records, final, log, steps: step, runDir };
  } catch (err) {
    if (err instanceof TrainingDivergedError) flushAll();
    throw err;
  } finally {
    mainWriter.close();
    for (const w of conditionWriters.values()) w.close();
    optimizer.dispose();
    tf.dispose(initWeights);
  }
}

/** Refuses a checkpoint written for another architecture, input size or class count. */
export function checkCheckpointFits(checkpoint: LoadedCheckpoint, network: TrainableNetwork, argument = '--resume') {
  const h = checkpoint.header;
  if (h.architecture !== network.architecture) {
    throw new CheckpointError(
      argument,
      `checkpoint is for architecture '${h.architecture}', not '${network.architecture}'`,
    );
  }
  if (h.inputShape.join('x') !== network.inputShape.join('x') || h.numClasses !== network.numClasses) {
    throw new CheckpointError(
      argument,
      `checkpoint is for input ${h.inputShape.join('×')} with ${h.numClasses} classes, not ${network.inputShape.join('×')} with ${network.numClasses}`,
    );
  }
}
