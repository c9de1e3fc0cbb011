import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '@lipkit/constrained-layers';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addGlobalOptions } from '../src/globalOptions.js';
import { CliUsageError, parseTrainFlags, registerTrainCommand, runCli, type TrainCommandDeps } from '../src/index.js';
import { deps, linearNetwork } from './trainFixtures.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lipkit-train-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function runTrain(argv: string[], withDeps = deps) {
  const program = new Command('lipkit').exitOverride();
  addGlobalOptions(program);
  registerTrainCommand(program, withDeps);
  const stdout: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout.push(String(s));
    return true;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return stdout.join('');
}

describe('lipkit train', () => {
  it('trains, prints JSON epoch records and writes the whole run folder', async () => {
    const dir = join(tempDir(), 'run');
    const out = await runTrain([
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
    const records = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
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
    await runTrain([...base, '--logdir', full]);
    const dir = join(tempDir(), 'killed');
    // the 3rd per-layer measurement happens at the end of epoch 2, before its checkpoint: 1 epoch is saved
    const killing: TrainCommandDeps = {
      ...deps,
      buildNetwork: (config, shape, k) => linearNetwork(config.lip[3], shape, k, 3),
    };
    await expect(runTrain([...base, '--logdir', dir], killing)).rejects.toThrow('killed');
    expect(readCheckpoint(join(dir, 'checkpoint.lkc')).header).toMatchObject({ epoch: 1, finished: false });
    await runTrain(['--quiet', '--backend', 'cpu', 'train', '--resume', dir]);
    const a = readCheckpoint(join(full, 'checkpoint.lkc'));
    const b = readCheckpoint(join(dir, 'checkpoint.lkc'));
    expect(b.header).toMatchObject({ epoch: 3, finished: true, step: a.header.step });
    for (const name of ['fc/kernel', 'fc/bias']) {
      expect(Array.from(b.tensorData(name, 'weight')!)).toEqual(Array.from(a.tensorData(name, 'weight')!));
    }
    await expect(runTrain(['--quiet', 'train', '--resume', dir])).rejects.toThrow(/already finished/);
  });
});

describe('lipkit train: bad input', () => {
  const flags = () => ({
    arch: 'simple_convnet6',
    dataset: 'fashion-mnist-embedded',
    lip: ['-1', '-1', '-1', '-1'],
    dist: ['-1', '-1', '-1', '-1'],
    nProj: '1',
    projFreq: '15',
    bs: '256',
    epochs: '100',
    lr: '0.003',
    wd: '0.0001',
    momentum: '0.9',
    comment: '',
    limitTo: '-1',
    bn: false,
    rand: false,
    projMode: 'orthogonal',
    saveModel: false,
    optimizer: 'sgd',
    nChannels: '512',
    schedule: 'auto',
    milestones: ['60', '120', '160'],
    gamma: '0.2',
    seed: '0',
  });
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
  });

  it('resolves defaults like the original: -1 = none, auto schedule by architecture', () => {
    const c = parseTrainFlags({ ...flags(), lip: ['2', '0.8', '1.4', '1'], dist: ['90', '90', 'inf', '0'] });
    expect(c.lip).toEqual([2, 0.8, 1.4, 1]);
    expect(c.dist).toEqual([90, 90, -1, 0]);
    expect(c.schedule).toBe('cosine');
    expect(parseTrainFlags({ ...flags(), arch: 'no_stride_preactresnet18' }).schedule).toBe('multistep');
    expect(c.logdir).toMatch(/^runs\/lip_2_0.8_1.4_1__dist_90_90_inf_0\/[A-Z][a-z]{2}\d{2}_\d{2}-\d{2}-\d{2}_/);
  });

  it('rejects an unwritable run folder naming --logdir', async () => {
    const err = await runTrain(['--quiet', '--backend', 'cpu', 'train', '--logdir', '/proc/lipkit-no/run']).catch(
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
