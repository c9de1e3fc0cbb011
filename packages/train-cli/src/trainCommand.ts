/**
 * `lipkit train`: the excess-capacity training pipeline (the original `train.py`, spec §9). This file only parses
 * flags and composes: @lipkit/datasets loads the data, the architecture builder makes the network, and
 * `trainModel` from @lipkit/constrained-layers trains it and writes the run folder; the CLI adds progress bars,
 * summary lines and the SVG/PNG plots.
 */
import { join } from 'node:path';
import {
  CHECKPOINT_FILE_NAME,
  type EpochRecord,
  GENERALIZATION_BOUND_TAG,
  type HparamValue,
  type LearningRateSchedule,
  type LoadedCheckpoint,
  measureGeneralizationBoundSetup,
  type RunSetup,
  readCheckpoint,
  registerWasmTrainingKernels,
  trainModel,
} from '@lipkit/constrained-layers';
import { DATASET_NAMES, type ImageDataset, limitTo, loadDataset, randomizeLabels } from '@lipkit/datasets';
import type { Command } from 'commander';
import { activateBackend } from './activateBackend.js';
import { BackendUnavailableError } from './backendSelection.js';
import { CliUsageError } from './cliErrors.js';
import { type DataParallelGradients, parseWorkers, startDataParallelGradients } from './dataParallelTraining.js';
import { type GlobalOptions, globalOptionsOf } from './globalOptions.js';
import { startProgress } from './progressReporter.js';
import { type BuiltNetwork, defaultTrainDeps } from './trainArchitectures.js';
import { trainingDataOf } from './trainingDataOf.js';
import { writeTrainingPlots } from './trainingPlots.js';
import {
  ARCHITECTURE_NAMES,
  backendForDevice,
  parseTrainFlags,
  type TrainFlags,
  type TrainRunConfig,
} from './trainRunConfig.js';

/** What `lipkit train` needs from the outside; tests inject small stand-ins. */
export interface TrainCommandDeps {
  /** Builds the (initialised) network of `config` for images of `inputShape` [h, w, c] and `numClasses` classes. */
  buildNetwork(config: TrainRunConfig, inputShape: [number, number, number], numClasses: number): BuiltNetwork;
  /** Loads a dataset by name (default: @lipkit/datasets' `loadDataset`, which downloads missing files). */
  loadDataset?(name: string, dataDir: string | null): Promise<ImageDataset>;
}

/** The original's hparams (spec §9.6) plus the categorical choices; unconstrained limits are −1. */
export function runHparams(c: TrainRunConfig): Record<string, HparamValue> {
  const slots = ['conv1', 'block', 'sc', 'fc'] as const;
  const out: Record<string, HparamValue> = {};
  slots.forEach((s, i) => {
    out[`dist/${s}`] = c.dist[i]!;
  });
  slots.forEach((s, i) => {
    out[`lip/${s}`] = c.lip[i]!;
  });
  Object.assign(out, {
    lr: c.lr,
    momentum: c.momentum,
    weight_decay: c.wd,
    ds_size: c.limitTo,
    bs: c.bs,
    epochs: c.epochs,
    arch: c.arch,
    dataset: c.dataset,
    optimizer: c.optimizer,
    n_proj: c.nProj,
    proj_freq: c.projFreq,
    seed: c.seed,
  });
  return out;
}

/** The learning-rate schedule of a configuration (spec §9.4). */
export function scheduleOf(c: TrainRunConfig): LearningRateSchedule {
  switch (c.schedule) {
    case 'multistep':
      return { kind: 'multistep', baseLr: c.lr, milestones: c.milestones, gamma: c.gamma };
    case 'cosine':
      return { kind: 'cosine', baseLr: c.lr, tMax: c.epochs };
    case 'constant':
      return { kind: 'constant', baseLr: c.lr };
  }
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function summaryLine(r: EpochRecord): string {
  const lips = Object.values(r.lipschitz);
  const lipText = lips.length > 0 ? ` | max layer lip ${Math.max(...lips).toPrecision(4)} (upper bound)` : '';
  return (
    `Epoch ${String(r.epoch + 1).padStart(4, '0')}/${r.epochs} | lr ${r.learningRate.toPrecision(3)} | ` +
    `train loss ${r.trainLoss.toFixed(4)} | test loss ${r.testLoss.toFixed(4)} | train acc ${pct(r.trainAccuracy)} | ` +
    `test acc ${pct(r.testAccuracy)} | gap ${pct(r.accuracyGap)} | ${r.imagesPerSecond.toFixed(1)} img/s${lipText}`
  );
}

/** The start-of-run generalisation-bound line (the original logs the same quantities to TensorBoard). */
function setupLine(setup: RunSetup): string {
  const q = setup.quantities;
  const curve = setup.scalars[GENERALIZATION_BOUND_TAG];
  const sc = q.spectral_complexity_bound!;
  const bound =
    curve === undefined
      ? 'no generalisation bound (a layer has no Lipschitz or distance limit)'
      : `generalisation bound (upper bound, ramp loss) ${curve.values[0]!.toPrecision(4)} at γ=${curve.steps[0]} … ${curve.values.at(-1)!.toPrecision(4)} at γ=${curve.steps.at(-1)}`;
  return (
    `setup: spectral complexity bound ${Number.isFinite(sc) ? sc.toPrecision(4) : '∞'} (from the limits), ` +
    `‖X‖_F ${q.data_norm!.toPrecision(6)}, n ${q.n_train}, max layer weights ${q.max_layer_params}; ${bound}`
  );
}

/** Loads the dataset of a run configuration, with its random labels and `--limit-to` applied. */
export async function prepareDataset(config: TrainRunConfig, deps: TrainCommandDeps): Promise<ImageDataset> {
  const load = deps.loadDataset ?? ((name, dataDir) => loadDataset(name, dataDir === null ? {} : { dataDir }));
  let dataset = await load(config.dataset, config.datadir);
  if (config.rand) dataset = randomizeLabels(dataset, { seed: config.seed });
  if (config.limitTo > 0) dataset = { ...dataset, train: limitTo(dataset.train, config.limitTo) };
  return dataset;
}

/** How a training runs, without changing what it computes (not stored in the run configuration). */
export interface TrainingExecution {
  /**
   * Processes computing each batch's gradients (`--workers`, default 1 = this process only). With n > 1, n − 1
   * worker processes build the architecture from the run configuration with the shipped builder (not
   * `deps.buildNetwork`).
   */
  workers?: number;
  /** Worker entry script (tests); default: the CLI's `dataParallelWorker.js`. */
  workerScript?: string;
}

/** Runs one training (fresh or resumed) and prints progress and results in the mode of `g`. */
export async function runTraining(
  config: TrainRunConfig,
  g: GlobalOptions,
  deps: TrainCommandDeps,
  resume: boolean,
  execution: TrainingExecution = {},
): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const workers = execution.workers ?? 1;
  if (workers > 1 && config.bn) {
    // BatchNorm's batch statistics and running averages would differ per shard: not the same training
    throw new CliUsageError('--workers', `${workers} with --bn: BatchNorm needs the whole batch; allowed: 1 with --bn`);
  }
  const backend = await activateBackend(g);
  if (backend.tfjsName === 'wasm') registerWasmTrainingKernels();
  const dataset = await prepareDataset(config, deps);
  const { height, width, channels } = dataset.train;
  const inputShape: [number, number, number] = [height, width, channels];
  const network = deps.buildNetwork(config, inputShape, dataset.classNames.length);
  let bar: ReturnType<typeof startProgress> | undefined;
  let parallel: DataParallelGradients | undefined;
  try {
    if (workers > 1) {
      parallel = await startDataParallelGradients(network, {
        workers,
        backend: backend.backend,
        config,
        inputShape,
        numClasses: dataset.classNames.length,
        ...(execution.workerScript !== undefined && { workerScript: execution.workerScript }),
      });
    }
    const data = trainingDataOf(dataset, config.bs);
    let setup: RunSetup | undefined;
    if (!resume && network.constrained !== undefined) {
      setup = await measureGeneralizationBoundSetup(network.constrained, data);
      if (g.mode === 'json') out(JSON.stringify({ event: 'setup', ...setup }));
      else if (g.mode === 'bar') process.stderr.write(`${setupLine(setup)}\n`);
    }
    const result = await trainModel({
      network,
      data,
      ...(setup && { setup }),
      runDir: config.logdir,
      optimizer: config.optimizer,
      optimizerHyperparameters: { momentum: config.momentum, weightDecay: config.wd },
      schedule: scheduleOf(config),
      epochs: config.epochs,
      projectionIterations: config.nProj,
      projectionFrequency: config.projFreq,
      seed: config.seed,
      config: { ...config },
      hparams: runHparams(config),
      keepEpochCheckpoints: config.saveModel,
      checkpointEvery: config.checkpointEvery ?? 0,
      resume,
      ...(parallel && { gradientsOf: parallel.gradientsOf }),
      onEpochStart: (epoch, epochs, images, alreadyDone) => {
        bar = startProgress(g.mode, `epoch ${epoch + 1}/${epochs}`, images, 'img', { initial: alreadyDone });
      },
      onProgress: (done) => bar?.update(done),
      onEpochEnd: (r) => {
        bar?.stop();
        bar = undefined;
        if (g.mode === 'json') out(JSON.stringify({ event: 'epoch', ...r }));
        else if (g.mode === 'bar') process.stderr.write(`${summaryLine(r)}\n`);
      },
      onPhase: (phase) => {
        if (g.mode === 'bar') process.stderr.write(`${phase}…\n`);
      },
    });
    const plots = await writeTrainingPlots(join(config.logdir, 'plots'), result.log);
    const f = result.final;
    if (g.mode === 'json') {
      out(JSON.stringify({ event: 'result', runDir: config.logdir, steps: result.steps, final: f, plots }));
    } else {
      out(`run folder: ${config.logdir}`);
      out(
        `final (clean re-evaluation${config.nProj > 0 ? ' after the 15-iteration projection' : ''}): ` +
          `train acc ${pct(f.trn_acc)}, test acc ${pct(f.tst_acc)}, gap ${pct(f.gap_acc)}; ` +
          `train loss ${f.trn_loss.toFixed(4)}, test loss ${f.tst_loss.toFixed(4)}, gap ${f.gap_loss.toFixed(4)}`,
      );
    }
  } finally {
    bar?.stop();
    parallel?.close();
    network.dispose?.();
  }
}

/**
 * The `lipkit train` configuration stored in a checkpoint (for `--resume` and `lipkit capacity`).
 * @throws CliUsageError naming `argument` when the checkpoint was written by something else (e.g. `lipkit quickstart`,
 * whose network the train builders cannot rebuild) — instead of failing later on a missing field.
 */
export function trainRunConfigOf(checkpoint: LoadedCheckpoint, runDir: string, argument: string): TrainRunConfig {
  const config = checkpoint.header.config as Partial<Record<keyof TrainRunConfig, unknown>>;
  const known = (value: unknown, names: readonly string[]) => typeof value === 'string' && names.includes(value);
  if (!known(config.arch, ARCHITECTURE_NAMES) || !known(config.dataset, DATASET_NAMES)) {
    throw new CliUsageError(
      argument,
      `${runDir} holds a checkpoint without a lipkit train configuration (arch ${JSON.stringify(config.arch)}, dataset ${JSON.stringify(config.dataset)}); allowed: run folders written by lipkit train`,
    );
  }
  return config as unknown as TrainRunConfig;
}

/** Reads the configuration stored in a run folder's checkpoint (for `--resume`). */
export function resumeConfig(runDir: string): TrainRunConfig {
  const checkpoint = readCheckpoint(join(runDir, CHECKPOINT_FILE_NAME));
  return { ...trainRunConfigOf(checkpoint, runDir, '--resume'), logdir: runDir };
}

/** Registers `lipkit train`. `deps.buildNetwork` supplies the architectures. */
export function registerTrainCommand(program: Command, deps: TrainCommandDeps = defaultTrainDeps): void {
  program
    .command('train')
    .description(
      'train a network under Lipschitz and distance-to-init constraints (the excess-capacity train.py); writes TensorBoard logs, log.json, plots and checkpoints to one run folder',
    )
    .option(
      '--arch <name>',
      'architecture: no_stride_preactresnet18, simple_convnet6, simple_convnet11',
      'simple_convnet6',
    )
    .option(
      '--dataset <name>',
      'fashion-mnist-embedded (no download), mnist, fashion-mnist, cifar10, cifar100, tiny-imagenet-200',
      'fashion-mnist-embedded',
    )
    .option(
      '--lip <limits...>',
      'Lipschitz limits [stem conv, in-block convs, shortcut, classifier]; -1/inf = none. Applied for every architecture (the original ignores them for the simple convnets)',
      ['-1', '-1', '-1', '-1'],
    )
    .option(
      '--dist <limits...>',
      '(2,1) distance-to-init limits, same order; -1/inf = none; a last value 0 selects the simplex classifier',
      ['-1', '-1', '-1', '-1'],
    )
    .option('--n-proj <n>', 'Dykstra iterations per projection; 0 disables projections', '1')
    .option('--proj-freq <n>', 'project after every n-th step of an epoch, and at the end of each epoch', '15')
    .option('--bs <n>', 'training batch size', '256')
    .option('--epochs <n>', 'number of epochs (the original runs epochs+1)', '100')
    .option('--lr <x>', 'initial learning rate', '0.003')
    .option('--wd <x>', 'weight decay (SGD only, as the original)', '0.0001')
    .option('--momentum <x>', 'SGD/LARS momentum', '0.9')
    .option('--optimizer <name>', 'sgd, adam, lars (trust ratio applied), lamb', 'sgd')
    .option(
      '--schedule <name>',
      'auto (multistep for the ResNet, cosine otherwise), multistep, cosine, constant',
      'auto',
    )
    .option('--milestones <epochs...>', 'MultiStep milestones (epochs)', ['60', '120', '160'])
    .option('--gamma <x>', 'MultiStep factor', '0.2')
    .option('--n-channels <n>', 'width of the simple convnets', '512')
    .option('--bn', 'BatchNorm instead of identity (ResNet only); a real boolean', false)
    .option(
      '--proj-mode <mode>',
      'projections: orthogonal (nearest point of each constraint set) or radial (rescale the kernel / its offset from the init)',
      'orthogonal',
    )
    .option('--limit-to <n>', 'use the first n training samples; -1 = all', '-1')
    .option('--rand', 'random labels for train and test (seeded; not for tiny-imagenet-200)', false)
    .option('--comment <text>', 'used in the default run folder name', '')
    .option('--logdir <dir>', 'run folder (default runs/<comment>/lip_…__dist_…/<MonDD_HH-MM-SS>_<host>)')
    .option('--datadir <dir>', 'dataset cache folder (default: @lipkit/datasets default)')
    .option('--save-model', 'also keep checkpoint-epoch<k>.lkc at epochs 0, 10, 20, … and the last', false)
    .option('--seed <n>', 'seed of the epoch shuffles and random labels', '0')
    .option(
      '--checkpoint-every <steps>',
      'also checkpoint every n optimiser steps, mid-epoch (a resume continues inside the epoch); 0 = epoch ends only',
      '0',
    )
    .option(
      '--resume <dir>',
      'continue the run in <dir> from its last checkpoint (all other flags but --workers come from it)',
    )
    .option(
      '--workers <n>',
      'processes computing each batch (data-parallel gradients, one core each); 1 = this process only; up to the CPU count',
      '1',
    )
    .option(
      '--device <name>',
      "the original's PyTorch device: cpu (= --backend cpu), cuda or cuda:0 (= --backend tfjs-node-gpu); --backend supersedes it",
    )
    .option('--n-power-it <n>', "accepted for the original's scripts; no effect (unused in the original too)")
    .action(async (opts: TrainFlags & { resume?: string; device?: string; workers: string }, command: Command) => {
      const global = globalOptionsOf(command);
      const g = { ...global, backend: backendForDevice(opts.device, global.backend) };
      const workers = parseWorkers(opts.workers);
      const config = opts.resume !== undefined ? resumeConfig(opts.resume) : parseTrainFlags(opts);
      try {
        await runTraining(config, g, deps, opts.resume !== undefined, { workers });
      } catch (err) {
        if (err instanceof BackendUnavailableError && opts.device !== undefined) {
          throw new CliUsageError('--device', `'${opts.device}' cannot start: ${err.message}; allowed: cpu`);
        }
        throw err;
      }
    });
}
