/**
 * `lipkit quickstart`: the README's main job, on the embedded Fashion-MNIST subset without network:
 * 1. data (loads the embedded subset and prints what was loaded);
 * 2. trains a constrained simpleConvnet6 behind a trainable input bias b1 (constrained-layers' `trainModel`,
 *    projection every 15 steps) while steady-learner's `TrajectoryRecorder` follows b1 step by step;
 * 3. per-layer Lipschitz constants and distances against their constraints, and the 12 Rademacher bounds;
 * 4. for a few test images: local ℓ2 Lipschitz bounds over an ε grid with random and ascent lower bounds, the
 *    global bound and the certified radius (lipschitz-bounds, certified mode, on `toNetworkDescription`);
 * then writes one report folder (see quickstartReport.ts) and prints a summary table.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CapacityBatch,
  CHECKPOINT_FILE_NAME,
  type LearningRateSchedule,
  learningRateAt,
  measureCapacityQuantities,
  negativeMargins,
  rademacherBounds,
  toNetworkDescription,
  trainModel,
} from '@lipkit/constrained-layers';
import {
  defaultDataDir,
  type ImageDataset,
  type ImageSplit,
  limitTo,
  loadEmbeddedFashionMnist,
  normaliseImages,
} from '@lipkit/datasets';
import { prepareNetwork } from '@lipkit/lipschitz-bounds';
import { type EpochTrajectoryStats, TrajectoryRecorder } from '@lipkit/steady-learner';
import * as tf from '@tensorflow/tfjs-core';
import type { Command } from 'commander';
import { activateBackend } from './activateBackend.js';
import { parseEpsList } from './boundsCommand.js';
import { CliUsageError } from './cliErrors.js';
import { collectDatasetInfo, printDatasetInfo } from './datasetsCommand.js';
import { type GlobalOptions, globalOptionsOf } from './globalOptions.js';
import { startProgress } from './progressReporter.js';
import { boundsAtImages, globalBoundOf } from './quickstartBounds.js';
import {
  buildQuickstartModel,
  constraintSlotOf,
  paddedDataset,
  QUICKSTART_DIST_COND,
  QUICKSTART_LIP_COND,
  type QuickstartModel,
} from './quickstartNetwork.js';
import {
  type LayerReport,
  type QuickstartReport,
  quickstartSummary,
  writeQuickstartReport,
} from './quickstartReport.js';
import { trainingDataOf } from './trainingDataOf.js';

/** Parsed flags of `lipkit quickstart`. */
export interface QuickstartOptions {
  epochs: number;
  trainSize: number;
  images: number;
  seed: number;
  /** Filters per conv of the convnet. */
  channels: number;
  /** ε grid of the local bounds (ℓ2 radii in normalised pixel units). */
  eps: number[];
  out: string;
}

/** Defaults sized for the ≤ 3-minute budget on 2 cores (see the README for the measured time). */
export const QUICKSTART_DEFAULTS = {
  epochs: 4,
  trainSize: 2000,
  images: 4,
  seed: 0,
  channels: 8,
  /** An image has ℓ2 norm ≈ 30 in normalised units, so the grid spans tiny to image-sized perturbations. */
  eps: '0.01,0.1,0.5,2,10',
} as const;

/** Fixed training setup (not flags: the quickstart is a demo; `lipkit train` exposes everything). */
const BATCH_SIZE = 64;
const LEARNING_RATE = 0.005;
const PROJECTION_FREQUENCY = 15;

function parseInteger(flag: string, text: string, min: number, max: number): number {
  const v = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new CliUsageError(flag, `"${text}"; allowed: an integer ${min}…${max}`);
  }
  return v;
}

/**
 * Parses the flags against the embedded dataset's sizes.
 * @throws CliUsageError naming the flag for a non-integer or out-of-range value, a bad ε list, or an `--out`
 *   folder that already holds a run
 */
export function parseQuickstartOptions(
  opts: Record<string, string | undefined>,
  trainCount: number,
  testCount: number,
  now = new Date(),
): QuickstartOptions {
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const options: QuickstartOptions = {
    epochs: parseInteger('--epochs', opts.epochs ?? String(QUICKSTART_DEFAULTS.epochs), 1, 1000),
    trainSize: parseInteger('--train-size', opts.trainSize ?? String(QUICKSTART_DEFAULTS.trainSize), 1, trainCount),
    images: parseInteger('--images', opts.images ?? String(QUICKSTART_DEFAULTS.images), 1, testCount),
    seed: parseInteger('--seed', opts.seed ?? String(QUICKSTART_DEFAULTS.seed), 0, 2 ** 31 - 1),
    channels: parseInteger('--channels', opts.channels ?? String(QUICKSTART_DEFAULTS.channels), 1, 64),
    eps: parseEpsList(opts.eps ?? QUICKSTART_DEFAULTS.eps).map((e) => {
      if (e === 0) throw new CliUsageError('--eps', `"${opts.eps}" contains 0; allowed: values > 0`);
      return e;
    }),
    out: opts.out ?? join('lipkit-runs', `quickstart-${stamp}`),
  };
  if (existsSync(join(options.out, 'run', CHECKPOINT_FILE_NAME))) {
    throw new CliUsageError('--out', `${options.out} already holds a quickstart run; allowed: a new or empty folder`);
  }
  return options;
}

/** Registers `lipkit quickstart`. */
export function registerQuickstartCommand(program: Command): void {
  program
    .command('quickstart')
    .description(
      'the main job: train a constrained convnet on the embedded Fashion-MNIST subset (no download), measure its layers, capacity bounds, Lipschitz bounds and certified radii, and write a report folder',
    )
    .option('--epochs <n>', 'training epochs', String(QUICKSTART_DEFAULTS.epochs))
    .option(
      '--train-size <n>',
      'training images (the first n of the 2000 embedded)',
      String(QUICKSTART_DEFAULTS.trainSize),
    )
    .option('--images <n>', 'test images to bound and certify', String(QUICKSTART_DEFAULTS.images))
    .option('--seed <n>', 'seed of the init, the shuffles and the bounds', String(QUICKSTART_DEFAULTS.seed))
    .option(
      '--channels <n>',
      'filters per conv (the bounds cost grows fast with it)',
      String(QUICKSTART_DEFAULTS.channels),
    )
    .option('--eps <list>', 'ε grid of the local bounds: a comma list or min:max:count', QUICKSTART_DEFAULTS.eps)
    .option('--out <dir>', 'report folder (default lipkit-runs/quickstart-<timestamp>)')
    .action(async (opts: Record<string, string | undefined>, command: Command) => {
      const g = globalOptionsOf(command);
      const wall0 = performance.now();
      const cpu0 = process.cpuUsage();
      // Stage 1: data.
      const dataset = loadEmbeddedFashionMnist();
      const options = parseQuickstartOptions(opts, dataset.train.count, dataset.test.count);
      const backend = await activateBackend(g);
      const info = await collectDatasetInfo(dataset.name, defaultDataDir(), dataset);
      say(g, `stage 1/4: data (${dataset.train.count} train, ${dataset.test.count} test images, no download)`);
      printDatasetInfo(info, g, 'quickstart-data');
      const report = await runQuickstart(dataset, options, g, backend.backend, wall0, cpu0);
      const written = await writeQuickstartReport(options.out, report);
      if (g.mode === 'json') {
        process.stdout.write(
          `${JSON.stringify({ event: 'quickstart', out: options.out, files: written, timing: report.timing })}\n`,
        );
      } else {
        process.stdout.write(`\n${quickstartSummary(report, options.out)}\n`);
      }
    });
}

function say(g: GlobalOptions, text: string): void {
  if (g.mode === 'bar') process.stderr.write(`${text}\n`);
  else if (g.mode === 'json') process.stdout.write(`${JSON.stringify({ event: 'stage', text })}\n`);
}

/** Normalised images of `split` shifted by b1 (what the convnet g sees), NHWC float32. */
function shiftedImages(split: ImageSplit, dataset: ImageDataset, bias: Float32Array, start: number, count: number) {
  const x = normaliseImages(split, dataset.normalisation, start, count);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (bias[i % bias.length] as number);
  return x;
}

/** NHWC → CHW (the network description is channels-first) of one image, as float64. */
function toChannelsFirst(hwc: Float32Array, h: number, w: number, c: number): Float64Array {
  const out = new Float64Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) out[(k * h + y) * w + x] = hwc[(y * w + x) * c + k] as number;
  }
  return out;
}

/** The positive training margins' median: γ of the Rademacher bounds (see the JSDoc of {@link runQuickstart}). */
function marginOf(
  model: QuickstartModel,
  split: ImageSplit,
  dataset: ImageDataset,
  bias: Float32Array,
): { gamma: number; rampLoss: number } {
  const [h, w, c] = model.trainable.inputShape;
  const margins: number[] = [];
  for (let start = 0; start < split.count; start += 256) {
    const n = Math.min(256, split.count - start);
    const x = shiftedImages(split, dataset, bias, start, n);
    const m = tf.tidy(() => {
      const logits = model.convnet.model.predict(tf.tensor4d(x, [n, h, w, c])) as tf.Tensor2D;
      return tf.neg(negativeMargins(logits, tf.tensor1d(split.labels.subarray(start, start + n), 'int32')));
    });
    margins.push(...(m.dataSync() as Float32Array));
    m.dispose();
  }
  const positive = margins.filter((m) => m > 0).sort((a, b) => a - b);
  const gamma = positive.length > 0 ? (positive[Math.floor(positive.length / 2)] as number) : Number.NaN;
  // Ramp loss at γ (spec §9.8): 1 for margin ≤ 0, 1 − margin/γ in between, 0 above γ.
  const rampLoss = margins.reduce((s, m) => s + Math.min(1, Math.max(0, 1 - m / gamma)), 0) / margins.length;
  return { gamma, rampLoss };
}

/**
 * Stages 2–4 (see the file comment); returns the report without writing it.
 *
 * The Rademacher bounds need a margin γ > 0; the original uses the minimum training margin, which is ≤ 0 once any
 * training image is misclassified (always, after a few epochs). We use the median of the positive training margins
 * and report the training ramp loss at that γ beside the bounds (each bound holds for any fixed γ > 0).
 * The Lipschitz bounds are those of the convnet g at x + b1 on the padded 36×36 input, which equal those of the
 * trained model f(x) = g(x + b1) at x.
 */
export async function runQuickstart(
  embedded: ImageDataset,
  options: QuickstartOptions,
  g: GlobalOptions,
  backendName: string,
  wall0 = performance.now(),
  cpu0 = process.cpuUsage(),
): Promise<QuickstartReport> {
  const stages: Record<string, number> = {};
  const dataset = paddedDataset({ ...embedded, train: limitTo(embedded.train, options.trainSize) });
  const inputShape: [number, number, number] = [dataset.train.height, dataset.train.width, dataset.train.channels];
  const numClasses = dataset.classNames.length;
  const model = buildQuickstartModel(inputShape, numClasses, options.channels, options.seed);
  const runDir = join(options.out, 'run');
  const recorder = new TrajectoryRecorder({ bias: model.inputBias });
  try {
    // Stage 2: training with the bias recorder.
    let t = performance.now();
    say(
      g,
      `stage 2/4: training simpleConvnet6 (${options.channels} ch, lip ≤ [${QUICKSTART_LIP_COND[0]}, ${QUICKSTART_LIP_COND[1]}, ${QUICKSTART_LIP_COND[3]}], dist ≤ ${QUICKSTART_DIST_COND[1]}, projection every ${PROJECTION_FREQUENCY} steps), ${options.epochs} epochs on ${options.trainSize} images`,
    );
    const schedule: LearningRateSchedule = { kind: 'cosine', baseLr: LEARNING_RATE, tMax: options.epochs };
    const stepLoss: { step: number; loss: number }[] = [];
    const trajectory: EpochTrajectoryStats[] = [];
    const trajectorySteps: number[] = [];
    let bar = startProgress('quiet', '', 1, '');
    recorder.begin();
    const result = await trainModel({
      network: model.trainable,
      data: trainingDataOf(dataset, BATCH_SIZE),
      runDir,
      optimizer: 'adam',
      schedule,
      epochs: options.epochs,
      projectionIterations: 1,
      projectionFrequency: PROJECTION_FREQUENCY,
      seed: options.seed,
      config: {
        command: 'quickstart',
        ...options,
        batchSize: BATCH_SIZE,
        channels: options.channels,
        lr: LEARNING_RATE,
      },
      hparams: { lr: LEARNING_RATE, bs: BATCH_SIZE, epochs: options.epochs, channels: options.channels },
      onEpochStart: (epoch, epochs, images) => {
        recorder.beginEpoch(learningRateAt(schedule, epoch));
        bar = startProgress(g.mode, `epoch ${epoch + 1}/${epochs}`, images, 'img');
      },
      onStep: (s) => {
        recorder.recordStep(1);
        stepLoss.push({ step: s.step, loss: s.loss });
        trajectorySteps.push(s.step);
      },
      onProgress: (done) => bar.update(done),
      onEpochEnd: (r) => {
        bar.stop();
        trajectory.push(recorder.endEpoch());
        say(
          g,
          `  epoch ${r.epoch + 1}: train loss ${r.trainLoss.toFixed(3)}, test accuracy ${(100 * r.testAccuracy).toFixed(1)}%, ${r.imagesPerSecond.toFixed(0)} img/s`,
        );
      },
      onPhase: (phase) => say(g, `  ${phase}`),
    });
    stages.training = (performance.now() - t) / 1000;

    // Stage 3: layers against constraints, capacity bounds.
    t = performance.now();
    say(g, 'stage 3/4: per-layer Lipschitz constants and distances, Rademacher bounds');
    const lips = model.convnet.lipschitzByLayer();
    const dists = model.convnet.distanceByLayer();
    const limit = (v: number) => (Number.isFinite(v) ? v : null);
    const layers: LayerReport[] = Object.keys(lips).map((layer) => {
      const slot = constraintSlotOf(layer);
      const lipschitzLimit = limit(QUICKSTART_LIP_COND[slot]);
      const distanceLimit = limit(QUICKSTART_DIST_COND[slot]);
      const lip = lips[layer] as number;
      const dist = dists[layer] as number;
      const within = (v: number, l: number | null) => l === null || v <= l * (1 + 1e-6);
      return {
        layer,
        lipschitz: { value: lip, kind: 'estimate' },
        lipschitzLimit,
        distance: { value: dist, kind: 'estimate' },
        distanceLimit,
        satisfied: within(lip, lipschitzLimit) && within(dist, distanceLimit),
      };
    });
    const bias = model.inputBias.dataSync() as Float32Array;
    const { gamma, rampLoss } = marginOf(model, dataset.train, dataset, bias);
    const capBar = startProgress(g.mode, 'capacity', Math.ceil(dataset.train.count / 256), 'batches');
    const batches: CapacityBatch[] = [];
    for (let start = 0; start < dataset.train.count; start += 256) {
      const n = Math.min(256, dataset.train.count - start);
      batches.push({
        images: shiftedImages(dataset.train, dataset, bias, start, n),
        labels: dataset.train.labels.slice(start, start + n),
      });
    }
    const quantities = await measureCapacityQuantities(model.convnet, batches, {
      onProgress: (done) => capBar.update(done),
    });
    capBar.stop();
    const rademacher = Number.isFinite(gamma)
      ? Object.fromEntries(
          Object.entries(rademacherBounds({ ...quantities, margin: gamma })).map(([k, v]) => [
            k,
            { value: v, kind: 'upper bound' as const },
          ]),
        )
      : {};
    stages.capacity = (performance.now() - t) / 1000;

    // Stage 4: Lipschitz bounds and certified radii at a few test images.
    t = performance.now();
    say(
      g,
      `stage 4/4: Lipschitz bounds over ε ∈ {${options.eps.join(', ')}} and certified radii at ${options.images} test images (certified mode)`,
    );
    const prepared = prepareNetwork(toNetworkDescription(model.convnet));
    const global = globalBoundOf(prepared, options.seed);
    const [h, w, c] = inputShape;
    const inputs = Array.from({ length: options.images }, (_, index) => ({
      index,
      label: dataset.test.labels[index] as number,
      x: toChannelsFirst(shiftedImages(dataset.test, dataset, bias, index, 1), h, w, c),
    }));
    const boundsBar = startProgress(g.mode, 'bounds', options.images * (options.eps.length + 1), 'bounds');
    const images = boundsAtImages(prepared, inputs, global, {
      epsGrid: options.eps,
      samples: 200,
      ascentSteps: 30,
      ascentRestarts: 2,
      radiusTolerance: 0.02,
      seed: options.seed,
      onProgress: (done) => boundsBar.update(done),
    });
    boundsBar.stop();
    stages.bounds = (performance.now() - t) / 1000;

    const cpu = process.cpuUsage(cpu0);
    const norms = result.log.norms as QuickstartReport['training']['norms'];
    return {
      command: `lipkit quickstart --epochs ${options.epochs} --train-size ${options.trainSize} --images ${options.images} --seed ${options.seed}`,
      createdAt: new Date().toISOString(),
      backend: backendName,
      config: {
        epochs: options.epochs,
        trainSize: options.trainSize,
        testSize: dataset.test.count,
        images: options.images,
        seed: options.seed,
        batchSize: BATCH_SIZE,
        channels: options.channels,
        learningRate: LEARNING_RATE,
        projectionFrequency: PROJECTION_FREQUENCY,
        inputShape,
        lipCond: QUICKSTART_LIP_COND.map(limit),
        distCond: QUICKSTART_DIST_COND.map(limit),
      },
      training: {
        runDir,
        steps: result.steps,
        stepLoss,
        epochs: result.epochs.map((e) => ({
          epoch: e.epoch,
          trainLoss: e.trainLoss,
          trainAccuracy: e.trainAccuracy,
          testLoss: e.testLoss,
          testAccuracy: e.testAccuracy,
          step: e.step,
        })),
        final: {
          trainAccuracy: result.final.trn_acc,
          testAccuracy: result.final.tst_acc,
          trainLoss: result.final.trn_loss,
          testLoss: result.final.tst_loss,
        },
        norms,
      },
      biasTrajectory: {
        description:
          "b1 is the bias of a frozen-identity first layer (steady-learner): f(x) = g(x + b1), so ∂loss/∂b1 = ∂loss/∂x summed over the batch. Recorded after every step by steady-learner's TrajectoryRecorder (normaliser ε = 1; Adam rescales each coordinate, so normalisedStep = ‖Δb1‖/η measures how far b1 moves per unit learning rate: an estimate, not a bound).",
        kind: 'estimate',
        steps: trajectorySteps,
        distanceFromFirstStep: trajectory.flatMap((e) => Array.from(e.distances)),
        normalisedStep: trajectory.flatMap((e) => Array.from(e.normalisedSteps)),
        epochs: trajectory.map((e) => ({ epoch: e.epoch, trajectory: e.trajectory, variance: e.variance })),
      },
      layers,
      capacity: {
        n: quantities.n,
        margin: { value: gamma, kind: 'estimate' },
        trainRampLoss: { value: rampLoss, kind: 'estimate' },
        rademacher,
      },
      bounds: {
        mode: 'certified',
        note: `Bounds of the trained model f(x) = g(x + b1) on the zero-padded ${h}×${w} input, in normalised pixel units (ℓ2). Local bounds are upper bounds on the Lipschitz constant over the ε-ball (certified mode: every factor guaranteed, float64); random (${200} samples) and gradient-ascent lower bounds are ratios actually attained; the certified radius is a lower bound on the smallest ℓ2 perturbation that changes the predicted class.`,
        global,
        images,
      },
      timing: {
        wallSeconds: (performance.now() - wall0) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        stages,
      },
    };
  } finally {
    recorder.dispose();
    model.dispose();
  }
}
