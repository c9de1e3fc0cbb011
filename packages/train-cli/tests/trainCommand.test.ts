import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint } from '@lipkit/constrained-layers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { backendForDevice, CliUsageError, parseTrainFlags, runCli, type TrainCommandDeps } from '../src/index.js';
import { defaultTrainDeps } from '../src/trainArchitectures.js';
import { temporaryDirectories } from './captureOutput.js';
import { deps, linearNetwork, runTrainCommand, squareToyDataset, trainFlagDefaults } from './trainFixtures.js';

const tempDir = temporaryDirectories('lipkit-train-cli-');

/** The JSON records of `--json` output, one per line. */
const jsonLines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** Resumes the killed 3-epoch run in `dir`; it must end with the weights and step count of the run in `full`. */
async function resumeAndCompare(dir: string, full: string) {
  await runTrainCommand(['--quiet', '--backend', 'cpu', 'train', '--resume', dir]);
  const a = readCheckpoint(join(full, 'checkpoint.lkc'));
  const b = readCheckpoint(join(dir, 'checkpoint.lkc'));
  expect(b.header).toMatchObject({ epoch: 3, finished: true, step: a.header.step });
  for (const name of ['fc/kernel', 'fc/bias']) {
    expect(Array.from(b.tensorData(name, 'weight')!)).toEqual(Array.from(a.tensorData(name, 'weight')!));
  }
}

describe('lipkit train', () => {
  it('trains, prints JSON epoch records and writes the whole run folder', async () => {
    const dir = join(tempDir(), 'run');
    const out = await runTrainCommand([
      '--json',
      '--backend',
      'cpu',
      'train',
      '--epochs',
      '3',
      '--bs',
      '16',
      '--lr',
      '0.5',
      '--lip',
      '-1',
      'inf',
      '-1',
      '2',
      '--proj-freq',
      '1',
      '--logdir',
      dir,
    ]);
    const records = jsonLines(out);
    const epochs = records.filter((r) => r.event === 'epoch');
    expect(epochs.map((r) => r.epoch)).toEqual([0, 1, 2]);
    const result = records.find((r) => r.event === 'result');
    expect(result.final.tst_acc).toBeGreaterThan(0.5);
    expect(Math.max(...epochs.map((r) => r.lipschitz.fc))).toBeLessThanOrEqual(2 + 1e-5);
    for (const f of ['log.json', 'args.json', 'checkpoint.lkc']) expect(existsSync(join(dir, f))).toBe(true);
    expect(readdirSync(join(dir, 'plots')).sort()).toEqual(
      ['accuracy', 'gap', 'lipschitz', 'loss'].flatMap((n) => [`${n}.png`, `${n}.svg`]),
    );
    expect(readFileSync(join(dir, 'plots', 'loss.svg'), 'utf8')).toMatch(/^<svg/);
    const args = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8'));
    expect(args).toMatchObject({ lip: [-1, -1, -1, 2], schedule: 'cosine', epochs: 3, bs: 16 });
    const log = JSON.parse(readFileSync(join(dir, 'log.json'), 'utf8'));
    expect(log.hparam).toMatchObject({ 'lip/fc': 2, 'dist/fc': -1, lr: 0.5, bs: 16, epochs: 3, ds_size: -1 });
  });

  it('resumes a killed run from its checkpoint and ends with the weights of an uninterrupted run', async () => {
    const base = ['--quiet', '--backend', 'cpu', 'train', '--bs', '16', '--lr', '0.5', '--seed', '3', '--epochs', '3'];
    const full = join(tempDir(), 'full');
    await runTrainCommand([...base, '--logdir', full]);
    const dir = join(tempDir(), 'killed');
    // the 3rd per-layer measurement happens at the end of epoch 2, before its checkpoint: 1 epoch is saved
    const killing: TrainCommandDeps = {
      ...deps,
      buildNetwork: (config, shape, k) => linearNetwork(config.lip[3], shape, k, 3),
    };
    await expect(runTrainCommand([...base, '--logdir', dir], killing)).rejects.toThrow('killed');
    expect(readCheckpoint(join(dir, 'checkpoint.lkc')).header).toMatchObject({ epoch: 1, finished: false });
    await resumeAndCompare(dir, full);
    await expect(runTrainCommand(['--quiet', 'train', '--resume', dir])).rejects.toThrow(/already finished/);
  });

  it('--checkpoint-every: a run killed mid-epoch resumes inside the epoch to the weights of an uninterrupted run', async () => {
    const base = ['--quiet', '--backend', 'cpu', 'train', '--bs', '16', '--lr', '0.5', '--seed', '3', '--epochs', '3'];
    const full = join(tempDir(), 'full');
    await runTrainCommand([...base, '--proj-freq', '1', '--logdir', full]);
    const dir = join(tempDir(), 'killed-mid');
    // 60 samples in batches of 16: 4 steps per epoch, one projection per step; killed in step 7's projection
    const killing: TrainCommandDeps = {
      ...deps,
      buildNetwork: (config, shape, k) => linearNetwork(config.lip[3], shape, k, 0, 'simple_convnet6', 7),
    };
    await expect(
      runTrainCommand([...base, '--proj-freq', '1', '--checkpoint-every', '3', '--logdir', dir], killing),
    ).rejects.toThrow('killed');
    const mid = readCheckpoint(join(dir, 'checkpoint.lkc')).header;
    expect(mid).toMatchObject({ epoch: 1, step: 6, finished: false, epochProgress: { batchIndex: 2, seen: 32 } });
    expect(mid.config).toMatchObject({ checkpointEvery: 3 });
    await resumeAndCompare(dir, full);
  });
});

describe('lipkit train --proj-mode', () => {
  it('radial reaches every real layer and keeps each inside its Lipschitz ball; the setup bound is logged first', async () => {
    const dir = join(tempDir(), 'radial');
    const real: TrainCommandDeps = { ...defaultTrainDeps, loadDataset: async () => squareToyDataset };
    const out = await runTrainCommand(
      [
        '--json',
        '--backend',
        'cpu',
        'train',
        '--n-channels',
        '2',
        '--proj-mode',
        'radial',
        '--lip',
        '0.6',
        '0.6',
        '-1',
        '0.6',
        '--dist',
        '2',
        '2',
        '-1',
        '2',
        '--epochs',
        '2',
        '--bs',
        '20',
        '--lr',
        '0.5',
        '--proj-freq',
        '2',
        '--logdir',
        dir,
      ],
      real,
    );
    const records = jsonLines(out);
    const epochs = records.filter((r) => r.event === 'epoch');
    expect(epochs).toHaveLength(2);
    // the original's start-of-run generalisation bound: quantities from the limits and the data, curve at γ = 1..100
    const setup = records.find((r) => r.event === 'setup');
    expect(records.indexOf(setup)).toBeLessThan(records.indexOf(epochs[0]));
    const sc = ((2 / 0.6) ** (2 / 3) * 6) ** 1.5 * 0.6 ** 6; // 6 layers with lip 0.6 and dist 2
    expect(setup.quantities.spectral_complexity_bound).toBeCloseTo(sc, 9);
    expect(setup.quantities.n_train).toBe(60);
    expect(setup.scalars['Generalization Bound'].steps).toHaveLength(100);
    for (const r of epochs) {
      expect(Object.keys(r.lipschitz)).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'classifier']);
      // one radial Dykstra round ends with a support-preserving rescale, so σ ≤ limit holds exactly (an orthogonal
      // round ends with the support mask, which can leave σ above it, spec §14.6)
      for (const lip of Object.values(r.lipschitz) as number[]) expect(lip).toBeLessThanOrEqual(0.6 + 1e-5);
    }
    const log = JSON.parse(readFileSync(join(dir, 'log.json'), 'utf8'));
    expect(log.setup).toEqual(setup.quantities);
    expect(log.scalar['Generalization Bound']).toEqual(setup.scalars['Generalization Bound']);
    expect(log.hparam).toMatchObject(setup.quantities);
    const config = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8'));
    expect(config.projMode).toBe('radial');
    // the builder hands the mode to every constrained layer (as a resume or `lipkit capacity` rebuilds it)
    const built = defaultTrainDeps.buildNetwork(config, [3, 3, 1], 3);
    expect(built.constrained?.constrainedLayers().map((l) => l.projMode)).toEqual(Array(6).fill('radial'));
    built.dispose?.();
  });
});

describe("lipkit train: the original's --device and --n-power-it", () => {
  it('--device maps to the backend: cpu → cpu, cuda/cuda:0 → tfjs-node-gpu; --backend supersedes it', () => {
    expect(backendForDevice(undefined, 'wasm')).toBe('wasm');
    expect(backendForDevice('cpu', 'auto')).toBe('cpu');
    expect(backendForDevice('CUDA:0', 'auto')).toBe('tfjs-node-gpu');
    expect(backendForDevice('cuda', 'tfjs-node-gpu')).toBe('tfjs-node-gpu');
    const argumentOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CliUsageError);
        return `${(e as CliUsageError).argument} ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(argumentOf(() => backendForDevice('cpu', 'wasm'))).toMatch(/^--device .*conflicts with --backend wasm/);
    expect(argumentOf(() => backendForDevice('cuda:1', 'auto'))).toMatch(/^--device .*CUDA_VISIBLE_DEVICES/);
    expect(argumentOf(() => backendForDevice('mps', 'auto'))).toMatch(/^--device .*allowed: cpu, cuda, cuda:0/);
  });

  it('trains with --device cpu and --n-power-it (no effect); --device cuda without tfjs-node-gpu is a --device error', async () => {
    const dir = join(tempDir(), 'device');
    const common = ['train', '--epochs', '1', '--bs', '16', '--n-power-it', '20'];
    await runTrainCommand(['--quiet', ...common, '--device', 'cpu', '--logdir', dir]);
    expect(tf.getBackend()).toBe('cpu');
    expect(JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8'))).not.toHaveProperty('nPowerIt');
    const gpuDir = join(tempDir(), 'gpu');
    const err = await runTrainCommand(['--quiet', ...common, '--device', 'cuda', '--logdir', gpuDir]).catch(
      (e: unknown) => e,
    );
    expect(existsSync(gpuDir)).toBe(false);
    expect(err).toBeInstanceOf(CliUsageError);
    expect((err as Error).message).toMatch(/^--device: 'cuda' cannot start: .*tfjs-node-gpu/);
  });
});

describe('lipkit train: bad input', () => {
  const flags = trainFlagDefaults;
  const rejects = (patch: object, argument: string, message: RegExp) => {
    let err: unknown;
    try {
      parseTrainFlags({ ...flags(), ...patch });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliUsageError);
    expect((err as CliUsageError).argument).toBe(argument);
    expect((err as Error).message).toMatch(message);
  };

  it('names the flag and the allowed values', () => {
    rejects({ lip: ['1', '2'] }, '--lip', /exactly 4 values.*got 2; allowed/);
    rejects({ dist: ['90', '0', '90', '0'] }, '--dist', /value 2 '0'.*0 only as the 4th value/);
    rejects({ optimizer: 'rmsprop' }, '--optimizer', /allowed: sgd, adam, lars, lamb/);
    rejects({ arch: 'vgg' }, '--arch', /allowed: no_stride_preactresnet18, simple_convnet6, simple_convnet11/);
    rejects({ dataset: 'imagenet' }, '--dataset', /allowed: fashion-mnist-embedded, mnist/);
    rejects({ bs: '0' }, '--bs', /not an integer ≥ 1/);
    rejects({ projFreq: '0' }, '--proj-freq', /≥ 1/);
    rejects({ milestones: ['120', '60'] }, '--milestones', /increasing/);
    rejects({ rand: true, dataset: 'tiny-imagenet-200' }, '--rand', /not supported/);
    rejects({ projMode: 'spherical' }, '--proj-mode', /allowed: orthogonal, radial/);
    rejects({ nPowerIt: '0' }, '--n-power-it', /not an integer ≥ 1/);
    rejects({ checkpointEvery: '-2' }, '--checkpoint-every', /not an integer ≥ 0/);
  });

  it('resolves defaults like the original: -1 = none, auto schedule by architecture', () => {
    const c = parseTrainFlags({ ...flags(), lip: ['2', '0.8', '1.4', '1'], dist: ['90', '90', 'inf', '0'] });
    expect(c.lip).toEqual([2, 0.8, 1.4, 1]);
    expect(c.dist).toEqual([90, 90, -1, 0]);
    expect(c.schedule).toBe('cosine');
    expect(c.projMode).toBe('orthogonal');
    expect(parseTrainFlags({ ...flags(), projMode: 'radial' }).projMode).toBe('radial');
    expect(parseTrainFlags({ ...flags(), arch: 'no_stride_preactresnet18' }).schedule).toBe('multistep');
    expect(c.logdir).toMatch(/^runs\/lip_2_0.8_1.4_1__dist_90_90_inf_0\/[A-Z][a-z]{2}\d{2}_\d{2}-\d{2}-\d{2}_/);
  });

  it('rejects an unwritable run folder naming --logdir', async () => {
    // a folder below a regular file cannot be created (even by root)
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const err = await runTrainCommand(['--quiet', '--backend', 'cpu', 'train', '--logdir', join(file, 'run')]).catch(
      (e: unknown) => e,
    );
    expect((err as { argument?: string }).argument).toBe('--logdir');
    expect((err as Error).message).toMatch(/--logdir: cannot write the run folder/);
  });

  it('exits 2 through the real CLI and writes nothing', async () => {
    const dir = join(tempDir(), 'never');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['train', '--lip', '1', '2', '--logdir', dir])).toBe(2);
      expect(await runCli(['train', '--bs', '0', '--logdir', dir])).toBe(2);
      expect(await runCli(['train', '--resume', join(dir, 'nothing')])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(existsSync(dir)).toBe(false);
  });
});
