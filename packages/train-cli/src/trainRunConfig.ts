/**
 * `lipkit train` flags → a validated, JSON-storable run configuration. Every flag of the original `train.py`
 * (spec §9.1) keeps its meaning, in lipkit's conventions: kebab-case names, `--lip 2 0.8 1.4 1`, `-1`/`inf`/`none`
 * for "no constraint", `--bn` a real boolean. All checks happen here, before anything is read or written.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OPTIMIZER_NAMES, type OptimizerName } from '@lipkit/constrained-layers';
import { DATASET_NAMES, type DatasetName } from '@lipkit/datasets';
import type { BackendChoice } from './backendSelection.js';
import { CliUsageError } from './cliErrors.js';

/** Values of `--arch`. */
export const ARCHITECTURE_NAMES = ['no_stride_preactresnet18', 'simple_convnet6', 'simple_convnet11'] as const;
/** One of {@link ARCHITECTURE_NAMES}. */
export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];
/** Values of `--schedule` (`auto`: multistep for the ResNet, cosine for the simple convnets, as the original). */
export const SCHEDULE_CHOICES = ['auto', 'multistep', 'cosine', 'constant'] as const;
/**
 * Values of `--proj-mode` (spec §4.1–4.2): `orthogonal` moves a violating kernel to the nearest point of each
 * constraint set (singular-value clipping; group soft-thresholding), `radial` rescales it (the kernel by
 * limit/σ_max; its offset from the init by radius/distance).
 */
export const PROJECTION_MODES = ['orthogonal', 'radial'] as const;

/**
 * A resolved run configuration (stored as `args.json` and inside every checkpoint). Constraint limits use −1 for
 * "none" so the file stays plain JSON.
 */
export interface TrainRunConfig {
  arch: ArchitectureName;
  dataset: DatasetName;
  /** Lipschitz limits [stem conv, in-block convs, shortcut, classifier]; −1 = none. */
  lip: [number, number, number, number];
  /** (2,1) distance limits, same order; −1 = none; a last entry 0 selects the simplex classifier. */
  dist: [number, number, number, number];
  nProj: number;
  projFreq: number;
  bs: number;
  epochs: number;
  lr: number;
  wd: number;
  momentum: number;
  comment: string;
  /** First N training samples; −1 = all. */
  limitTo: number;
  logdir: string;
  /** Dataset cache folder; `null`: @lipkit/datasets' default. */
  datadir: string | null;
  bn: boolean;
  rand: boolean;
  projMode: (typeof PROJECTION_MODES)[number];
  saveModel: boolean;
  optimizer: OptimizerName;
  nChannels: number;
  schedule: Exclude<(typeof SCHEDULE_CHOICES)[number], 'auto'>;
  milestones: number[];
  gamma: number;
  seed: number;
  /** Also checkpoint after every this many optimiser steps (0 = epoch ends only; absent in older runs = 0). */
  checkpointEvery?: number;
}

/** Raw commander values of `lipkit train`. */
export interface TrainFlags {
  arch: string;
  dataset: string;
  lip: string[];
  dist: string[];
  nProj: string;
  projFreq: string;
  bs: string;
  epochs: string;
  lr: string;
  wd: string;
  momentum: string;
  comment: string;
  limitTo: string;
  logdir?: string;
  datadir?: string;
  bn: boolean;
  rand: boolean;
  projMode: string;
  saveModel: boolean;
  optimizer: string;
  nChannels: string;
  schedule: string;
  milestones: string[];
  gamma: string;
  seed: string;
  checkpointEvery?: string;
  /** The original's `--n_power_it` (unused there and here); validated, then ignored. */
  nPowerIt?: string;
}

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliUsageError(flag, `unknown value '${value}'; allowed: ${allowed.join(', ')}`);
}

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new CliUsageError(flag, `'${value}' is not an integer ≥ ${min}`);
  }
  return n;
}

function positive(flag: string, value: string, { allowZero = false } = {}): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new CliUsageError(flag, `'${value}' is not a finite number ${allowZero ? '≥' : '>'} 0`);
  }
  return n;
}

const NONE = new Set(['-1', 'inf', '+inf', 'infinity', 'none']);

/** Parses 4 constraint limits; −1/inf/none → −1 (none). `zeroLast`: 0 allowed in the classifier slot only. */
function limits(flag: string, values: string[], zeroLast: boolean): [number, number, number, number] {
  if (values.length !== 4) {
    throw new CliUsageError(
      flag,
      `needs exactly 4 values [stem conv, in-block convs, shortcut, classifier], got ${values.length}; allowed: numbers > 0, or -1/inf for none`,
    );
  }
  return values.map((v, i) => {
    if (NONE.has(v.trim().toLowerCase())) return -1;
    const n = Number(v);
    if (zeroLast && i === 3 && n === 0) return 0;
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new CliUsageError(
        flag,
        `value ${i + 1} '${v}' is invalid; allowed: a number > 0, or -1/inf for none${zeroLast ? ' (0 only as the 4th value: simplex classifier)' : ''}`,
      );
    }
    return n;
  }) as [number, number, number, number];
}

/** Folder-name form of limits, as the original's default log dir (`lip_2_0.8_1.4_1`; none → `inf`). */
const limitsTag = (l: readonly number[]) => l.map((x) => (x < 0 ? 'inf' : `${x}`)).join('_');

/** The original's default run folder `runs/{comment}/lip_…__dist_…/{MonDD_HH-MM-SS}_{host}`. */
export function defaultRunDir(config: Pick<TrainRunConfig, 'comment' | 'lip' | 'dist'>, now = new Date()): string {
  const mon = now.toLocaleString('en-US', { month: 'short' });
  const p = (n: number) => `${n}`.padStart(2, '0');
  const stamp = `${mon}${p(now.getDate())}_${p(now.getHours())}-${p(now.getMinutes())}-${p(now.getSeconds())}`;
  return join(
    'runs',
    config.comment,
    `lip_${limitsTag(config.lip)}__dist_${limitsTag(config.dist)}`,
    `${stamp}_${hostname()}`,
  );
}

/** Validates and resolves the flags of `lipkit train`; throws {@link CliUsageError} naming the flag. */
export function parseTrainFlags(f: TrainFlags): TrainRunConfig {
  const arch = choice('--arch', f.arch, ARCHITECTURE_NAMES);
  const dataset = choice('--dataset', f.dataset, DATASET_NAMES);
  const optimizer = choice('--optimizer', f.optimizer, OPTIMIZER_NAMES);
  const projMode = choice('--proj-mode', f.projMode, PROJECTION_MODES);
  const scheduleChoice = choice('--schedule', f.schedule, SCHEDULE_CHOICES);
  const lip = limits('--lip', f.lip, false);
  const dist = limits('--dist', f.dist, true);
  const limitTo = Number(f.limitTo) === -1 ? -1 : integer('--limit-to', f.limitTo, 1);
  const milestones = f.milestones.map((m) => integer('--milestones', m, 1));
  if (milestones.some((m, i) => i > 0 && m <= milestones[i - 1]!)) {
    throw new CliUsageError('--milestones', `must be increasing, got ${milestones.join(' ')}`);
  }
  if (f.rand && dataset === 'tiny-imagenet-200') {
    throw new CliUsageError(
      '--rand',
      'random labels are not supported for tiny-imagenet-200; allowed: any other dataset',
    );
  }
  const partial = {
    arch,
    dataset,
    lip,
    dist,
    nProj: integer('--n-proj', f.nProj, 0),
    projFreq: integer('--proj-freq', f.projFreq, 1),
    bs: integer('--bs', f.bs, 1),
    epochs: integer('--epochs', f.epochs, 1),
    lr: positive('--lr', f.lr),
    wd: positive('--wd', f.wd, { allowZero: true }),
    momentum: positive('--momentum', f.momentum, { allowZero: true }),
    comment: f.comment,
    limitTo,
    datadir: f.datadir ?? null,
    bn: f.bn,
    rand: f.rand,
    projMode,
    saveModel: f.saveModel,
    optimizer,
    nChannels: integer('--n-channels', f.nChannels, 1),
    schedule:
      scheduleChoice === 'auto' ? (arch === 'no_stride_preactresnet18' ? 'multistep' : 'cosine') : scheduleChoice,
    milestones,
    gamma: positive('--gamma', f.gamma),
    seed: integer('--seed', f.seed, 0),
    checkpointEvery: integer('--checkpoint-every', f.checkpointEvery ?? '0', 0),
  } as const;
  if (f.nPowerIt !== undefined) integer('--n-power-it', f.nPowerIt, 1); // accepted for the original's scripts; no effect
  if (partial.momentum >= 1) throw new CliUsageError('--momentum', `'${f.momentum}' must be < 1`);
  return { ...partial, logdir: f.logdir ?? defaultRunDir(partial) };
}

/** A limit as the layers take it: −1 → `Infinity`. */
export const limitValue = (x: number): number => (x < 0 ? Number.POSITIVE_INFINITY : x);

/**
 * The tfjs backend for the original's `--device` (PyTorch device strings), given the `--backend` choice: `cpu` → the
 * cpu backend, `cuda` / `cuda:0` → `tfjs-node-gpu` (which fails with a clear error where it is not installed or
 * finds no GPU). `--backend` supersedes `--device`: an explicit `--backend` that names a different backend is an
 * error rather than a silent choice. Without `--device` the `--backend` choice stands (the original's default
 * `cuda:0` is not assumed).
 * @throws CliUsageError naming `--device` for other devices (`cuda:1`, `mps`, …) or a conflict with `--backend`.
 */
export function backendForDevice(device: string | undefined, backend: BackendChoice): BackendChoice {
  if (device === undefined) return backend;
  const d = device.trim().toLowerCase();
  let mapped: BackendChoice;
  if (d === 'cpu') mapped = 'cpu';
  else if (d === 'cuda' || d === 'cuda:0') mapped = 'tfjs-node-gpu';
  else if (/^cuda:\d+$/.test(d)) {
    throw new CliUsageError(
      '--device',
      `'${device}': tfjs-node-gpu cannot pick a GPU by index; allowed: cpu, cuda, cuda:0 (select the GPU with CUDA_VISIBLE_DEVICES)`,
    );
  } else {
    throw new CliUsageError('--device', `unknown device '${device}'; allowed: cpu, cuda, cuda:0 (or use --backend)`);
  }
  if (backend !== 'auto' && backend !== mapped) {
    throw new CliUsageError(
      '--device',
      `'${device}' means --backend ${mapped}, which conflicts with --backend ${backend}; allowed: drop --device (--backend supersedes it) or make them agree`,
    );
  }
  return mapped;
}
