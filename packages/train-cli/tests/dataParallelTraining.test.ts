import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { readCheckpoint } from '@lipkit/constrained-layers';
import { describe, expect, it } from 'vitest';
import { parseWorkers, shardSizes } from '../src/dataParallelTraining.js';
import { CliUsageError, DataParallelWorkerError, type TrainCommandDeps } from '../src/index.js';
import { defaultTrainDeps } from '../src/trainArchitectures.js';
import { runTraining } from '../src/trainCommand.js';
import { parseTrainFlags } from '../src/trainRunConfig.js';
import { temporaryDirectories } from './captureOutput.js';
import { deps, runTrainCommand, squareToyDataset, trainFlagDefaults } from './trainFixtures.js';

const tempDir = temporaryDirectories('lipkit-workers-');

/** Live (non-zombie) child processes of this test process, as `pid comm` (Linux `ps`). */
function liveChildren(): string[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when nothing matches
  }
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, stat, comm]) => pid && !stat?.startsWith('Z') && comm !== 'ps')
    .map(([pid, , comm]) => `${pid} ${comm}`);
}

/** Files of a run folder, relative, with the time/host parts of event file and hparams session names blanked. */
const shapeOf = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      relative(dir, join(e.parentPath, e.name))
        .replace(/tfevents\..*$/, 'tfevents.*')
        .replace(/^\d+\.\d+\//, '<time>/'),
    )
    .sort();

describe('lipkit train --workers', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`${backend}: --workers 2 reaches the weights of --workers 1 up to float32 summation order, same run folder`, async () => {
      const real: TrainCommandDeps = { ...defaultTrainDeps, loadDataset: async () => squareToyDataset };
      const run = async (workers: string) => {
        const dir = join(tempDir(), `w${workers}`);
        // 60 samples in batches of 25: the last batch (10) checks uneven shards too
        await runTrainCommand(
          [
            '--quiet',
            '--backend',
            backend,
            'train',
            '--n-channels',
            '8',
            '--wd',
            '0',
            '--lip',
            '1',
            '1',
            '-1',
            '1',
          ].concat([
            '--epochs',
            '1',
            '--bs',
            '25',
            '--lr',
            '2',
            '--proj-freq',
            '2',
            '--logdir',
            dir,
            '--workers',
            workers,
          ]),
          real,
        );
        return dir;
      };
      const one = await run('1');
      const two = await run('2');
      expect(shapeOf(two)).toEqual(shapeOf(one));
      const a = readCheckpoint(join(one, 'checkpoint.lkc'));
      const b = readCheckpoint(join(two, 'checkpoint.lkc'));
      expect(b.header.step).toBe(a.header.step);
      const names = a.header.tensors.filter((t) => t.role === 'weight').map((t) => t.name);
      expect(names.length).toBeGreaterThan(6);
      for (const name of names) {
        const wa = a.tensorData(name, 'weight')!;
        const wb = b.tensorData(name, 'weight')!;
        const init = a.tensorData(name, 'init');
        let diff = 0;
        let moved = 0;
        let norm = 0;
        for (let i = 0; i < wa.length; i++) {
          diff += (wa[i]! - wb[i]!) ** 2;
          norm += wa[i]! ** 2;
          if (init) moved += (wa[i]! - init[i]!) ** 2;
        }
        expect(Math.sqrt(diff), name).toBeLessThanOrEqual(1e-4 * Math.sqrt(norm) + 1e-7);
        // training moved every trained tensor well beyond the tolerance, so a lost shard would show
        if (init) expect(Math.sqrt(moved), name).toBeGreaterThan(1e-3 * Math.sqrt(norm));
      }
      expect(b.header.log).toMatchObject({ final: expect.any(Object) });
      expect((b.header.log as { final: { trn_loss: number } }).final.trn_loss).toBeCloseTo(
        (a.header.log as { final: { trn_loss: number } }).final.trn_loss,
        4,
      );
    });
  }

  it('a failing worker fails the run with a clear message and leaves no process behind', async () => {
    const config = parseTrainFlags({
      ...parseTrainFlagsDefaults,
      logdir: join(tempDir(), 'fail'),
    });
    const exitListeners = process.listenerCount('exit');
    process.env.LIPKIT_TEST_WORKER_NAMES = JSON.stringify(['fc/kernel', 'fc/bias']);
    const workerScript = join(import.meta.dirname, 'fixtures', 'failingWorker.mjs');
    const quiet = { backend: 'cpu', mode: 'quiet' } as const;
    try {
      process.env.LIPKIT_TEST_WORKER_FAILURE = 'error';
      await expect(runTraining(config, quiet, deps, false, { workers: 2, workerScript })).rejects.toThrow(
        /^data-parallel worker 1: RangeError: shard too big$/,
      );
      process.env.LIPKIT_TEST_WORKER_FAILURE = 'crash';
      config.logdir = join(tempDir(), 'crash');
      const crash = runTraining(config, quiet, deps, false, { workers: 2, workerScript });
      await expect(crash).rejects.toBeInstanceOf(DataParallelWorkerError);
      await expect(crash).rejects.toThrow(/worker 1: exited unexpectedly \(code 3\): worker blew up/);
    } finally {
      delete process.env.LIPKIT_TEST_WORKER_FAILURE;
      delete process.env.LIPKIT_TEST_WORKER_NAMES;
    }
    expect(process.listenerCount('exit')).toBe(exitListeners); // every pool was closed
    await expect.poll(liveChildren, { timeout: 5000 }).toEqual([]); // and its workers are gone
  });

  it('an error in the real worker (here: its builder refusing the input) stops the run before training', async () => {
    const config = parseTrainFlags({ ...parseTrainFlagsDefaults, logdir: join(tempDir(), 'refused') });
    // the parent trains the linear stand-in on 2×3 images; the worker's simple_convnet6 needs square ones
    const run = runTraining(config, { backend: 'cpu', mode: 'quiet' }, deps, false, { workers: 2 });
    await expect(run).rejects.toThrow(/^data-parallel worker 1: CliUsageError: --dataset: images are 2×3/);
  });

  it('--workers: integer from 1 to the CPU count, else a typed error naming the flag', async () => {
    expect(parseWorkers('2', 2)).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'two', '', '3']) {
      expect(() => parseWorkers(bad, 2)).toThrow(CliUsageError);
      expect(() => parseWorkers(bad, 2)).toThrow(/^--workers: .*allowed: 1\.\.2$/);
    }
    await expect(
      runTrainCommand(['--quiet', 'train', '--workers', String(cpus().length + 1)], deps),
    ).rejects.toMatchObject({
      argument: '--workers',
    });
    expect(shardSizes(10, 3)).toEqual([4, 3, 3]);
    expect(shardSizes(1, 2)).toEqual([1, 0]);
  });
});

/** The defaults of `lipkit train`, made small for the toy dataset (3 epochs would be slower; 1 is enough). */
const parseTrainFlagsDefaults = {
  ...trainFlagDefaults(),
  bs: '16',
  epochs: '1',
  lr: '0.1',
  wd: '0',
  nChannels: '2',
  schedule: 'constant',
  milestones: ['60'],
};
