import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachBackend } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, expect, it } from 'vitest';
import {
  assignCheckpointVariables,
  type BatchGradientsFunction,
  batchGradients,
  CheckpointError,
  layersModelNetwork,
  readCheckpoint,
  type StepRecord,
  TrainingConfigError,
  TrainingDivergedError,
  type TrainModelOptions,
  trainModel,
} from '../src/index.js';
import { syntheticData, tinyDenseNetwork } from './tinyDenseNetwork.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lipkit-train-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const baseOptions = (runDir: string, network: ReturnType<typeof tinyDenseNetwork>, epochs = 4): TrainModelOptions => ({
  network,
  data: syntheticData(96, 48, 16),
  runDir,
  optimizer: 'sgd',
  optimizerHyperparameters: { momentum: 0.9, weightDecay: 1e-4 },
  schedule: { kind: 'multistep', baseLr: 0.1, milestones: [3], gamma: 0.2 },
  epochs,
  projectionIterations: 1,
  projectionFrequency: 4,
  seed: 7,
  config: { arch: 'tiny_dense' },
  hparams: { lr: 0.1, 'lip/fc': -1 },
});

const weightsOf = (network: ReturnType<typeof tinyDenseNetwork>) =>
  network.variables.map((v) => Array.from(v.variable.dataSync()));

describeEachBackend('trainModel', () => {
  it('trains, projects on schedule and at epoch ends, and writes the run folder', async () => {
    const dir = join(tempDir(), 'run');
    const network = tinyDenseNetwork(1);
    const epochsSeen: number[] = [];
    const steps: StepRecord[] = [];
    const projectionsAtStep: number[] = [];
    const result = await trainModel({
      ...baseOptions(dir, network),
      onEpochEnd: (r) => epochsSeen.push(r.epoch),
      onStep: (r) => {
        steps.push(r);
        projectionsAtStep.push(network.projections.length);
      },
    });
    expect(epochsSeen).toEqual([0, 1, 2, 3]);
    // 6 batches per epoch, frequency 4: after batch 4 and at the end of the epoch (batch 6), then the final 15
    expect(network.projections).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 15]);
    // onStep: once per step, after the step's projection (batch 4 of each epoch), with the epoch's learning rate
    expect(steps.map((r) => r.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(steps.filter((r) => r.projected).map((r) => r.step)).toEqual([4, 10, 16, 22]);
    expect(projectionsAtStep[3]).toBe(1);
    expect(projectionsAtStep[2]).toBe(0);
    expect(steps.map((r) => r.epoch)).toEqual(Array.from({ length: 24 }, (_, i) => Math.floor(i / 6)));
    expect(steps[23]!.learningRate).toBeCloseTo(0.02, 7);
    expect(steps.every((r) => Number.isFinite(r.loss) && r.loss > 0)).toBe(true);
    expect(result.steps).toBe(24);
    expect(result.epochs.at(-1)!.trainAccuracy).toBeGreaterThan(result.epochs[0]!.trainAccuracy);
    expect(result.final.tst_acc).toBeGreaterThan(0.6);
    expect(result.final.gap_acc).toBeCloseTo(result.final.trn_acc - result.final.tst_acc, 12);
    const files = readdirSync(dir);
    expect(files).toEqual(
      expect.arrayContaining([
        'log.json',
        'args.json',
        'checkpoint.lkc',
        'Condition_lip_dense1',
        'Condition_dist_dense2',
      ]),
    );
    expect(files.some((f) => f.startsWith('events.out.tfevents.'))).toBe(true);
    expect(files.some((f) => /^\d+\.?\d*$/.test(f))).toBe(true); // the hparams session sub-run
    const log = JSON.parse(readFileSync(join(dir, 'log.json'), 'utf8'));
    expect(Object.keys(log).sort()).toEqual(['final', 'hist', 'hparam', 'norms', 'scalar']);
    expect(log.scalar['Accuracy/Gap'].steps).toEqual([0, 1, 2, 3]);
    expect(log.scalar['Loss/Test'].values).toHaveLength(4);
    expect(log.scalar.LearningRate.values[3]).toBeCloseTo(0.02, 7);
    expect(log.norms.lip.dense1.steps).toEqual([0, 6, 12, 18, 24]);
    expect(Math.max(...log.norms.lip.dense2.values.slice(1))).toBeLessThanOrEqual(3 + 1e-5);
    expect(log.hist['Margins/Train'].values.reduce((a: number, b: number) => a + b, 0)).toBe(96);
    expect(log.hist['Normalized Margins/Test'].values.reduce((a: number, b: number) => a + b, 0)).toBe(48);
    expect(log.hparam).toEqual({ lr: 0.1, 'lip/fc': -1 });
    expect(log.final.tst_acc).toBe(result.final.tst_acc);
    const ckpt = readCheckpoint(join(dir, 'checkpoint.lkc'));
    expect(ckpt.header).toMatchObject({ architecture: 'tiny_dense', epoch: 4, step: 24, finished: true });
    expect(Array.from(ckpt.tensorData('dense1/kernel', 'weight')!)).toEqual(
      Array.from(network.variables[0]!.variable.dataSync()),
    );
    expect(ckpt.tensorData('dense1/kernel/momentum', 'optimizer')).toBeDefined();
    expect(Array.from(ckpt.tensorData('dense1/kernel', 'init')!)).toEqual(
      Array.from(network.variables[4]!.variable.dataSync()),
    );
    network.dispose();
  });

  it('resumes a killed run and reaches exactly the weights of an uninterrupted run', async () => {
    const full = tinyDenseNetwork(1);
    await trainModel(baseOptions(join(tempDir(), 'full'), full));

    const dir = join(tempDir(), 'killed');
    const first = tinyDenseNetwork(1);
    await expect(
      trainModel({
        ...baseOptions(dir, first),
        onEpochEnd: (r) => {
          if (r.epoch === 1) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(readCheckpoint(join(dir, 'checkpoint.lkc')).header.epoch).toBe(2);
    // a different init proves that everything comes from the checkpoint
    const resumed = tinyDenseNetwork(99);
    const result = await trainModel({ ...baseOptions(dir, resumed), resume: true });
    expect(result.epochs.map((r) => r.epoch)).toEqual([2, 3]);
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
    const log = JSON.parse(readFileSync(join(dir, 'log.json'), 'utf8'));
    expect(log.scalar['Accuracy/Train'].steps).toEqual([0, 1, 2, 3]);
    for (const n of [full, first, resumed]) n.dispose();
  });

  it('logs the run setup before the first step (log.json setup, hparams, scalars) and not again on resume', async () => {
    const dir = join(tempDir(), 'setup');
    const setup = {
      quantities: { data_norm: 12.5, spectral_complexity_bound: Number.POSITIVE_INFINITY, n_train: 96 },
      scalars: { 'Generalization Bound': { steps: [1, 2, 3], values: [9, 4.5, 3] } },
    };
    const first = tinyDenseNetwork(1);
    await expect(
      trainModel({
        ...baseOptions(dir, first, 2),
        setup,
        onEpochEnd: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const resumed = tinyDenseNetwork(1);
    // a resume takes the setup from the checkpoint's log: a different one passed here is ignored
    await trainModel({ ...baseOptions(dir, resumed, 2), resume: true, setup: { quantities: { x: 1 }, scalars: {} } });
    const log = JSON.parse(readFileSync(join(dir, 'log.json'), 'utf8'));
    expect(log.setup).toEqual({ data_norm: 12.5, spectral_complexity_bound: null, n_train: 96 });
    expect(log.scalar['Generalization Bound']).toEqual({ steps: [1, 2, 3], values: [9, 4.5, 3] });
    expect(log.hparam).toEqual({ lr: 0.1, 'lip/fc': -1, data_norm: 12.5, n_train: 96 });
    // the TensorBoard main run holds the curve too (tag bytes in the event file)
    const events = readdirSync(dir).find((f) => f.startsWith('events.out.tfevents.'))!;
    expect(readFileSync(join(dir, events)).includes(Buffer.from('Generalization Bound'))).toBe(true);
    for (const n of [first, resumed]) n.dispose();
  });

  it('resumes from a mid-epoch checkpoint (checkpointEvery) to the weights, metrics and margins of an uninterrupted run', async () => {
    const full = tinyDenseNetwork(1);
    const fullRun = await trainModel(baseOptions(join(tempDir(), 'full'), full));
    const dir = join(tempDir(), 'mid');
    const first = tinyDenseNetwork(1);
    // 6 batches per epoch; checkpoints at steps 5, 6 (epoch end), 10, 12, 15, 18, 20; killed in step 21 (epoch 3)
    await expect(
      trainModel({
        ...baseOptions(dir, first),
        checkpointEvery: 5,
        onStep: (r) => {
          if (r.step === 21) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const header = readCheckpoint(join(dir, 'checkpoint.lkc')).header;
    expect(header).toMatchObject({ epoch: 3, step: 20, finished: false });
    expect(header.epochProgress).toMatchObject({ batchIndex: 2, seen: 32, projectedAfterLastStep: false });
    const resumed = tinyDenseNetwork(99);
    const steps: number[] = [];
    const starts: number[][] = [];
    const result = await trainModel({
      ...baseOptions(dir, resumed),
      checkpointEvery: 5,
      resume: true,
      onStep: (r) => steps.push(r.step),
      onEpochStart: (...args) => starts.push(args),
    });
    expect(starts).toEqual([[3, 4, 96, 32]]); // the resumed epoch starts with 32 images done
    expect(steps[0]).toBe(21);
    expect(result.steps).toBe(24);
    // epoch 3's batches 3–6: the projection after batch 4 and at the epoch end, then the final 15
    expect(resumed.projections).toEqual([1, 1, 15]);
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
    // running train metrics and the epoch's margin histogram continue from the checkpoint's partial sums
    expect(result.epochs.map((r) => [r.trainLoss, r.trainAccuracy])).toEqual(
      fullRun.epochs.slice(3).map((r) => [r.trainLoss, r.trainAccuracy]),
    );
    expect(result.final).toEqual(fullRun.final);
    expect(result.log.hist['Margins/Train']).toEqual(fullRun.log.hist['Margins/Train']);
    expect(readCheckpoint(join(dir, 'checkpoint.lkc')).header.epochProgress).toBeUndefined();
    for (const n of [full, first, resumed]) n.dispose();
  });

  it('gradientsOf: batches computed in two shards and averaged reach the default run; wrong margins are refused', async () => {
    const reference = tinyDenseNetwork(1);
    const a = await trainModel({ ...baseOptions(join(tempDir(), 'a'), reference), epochs: 2 });
    const sharded = tinyDenseNetwork(1);
    const calls: number[] = [];
    // what a data-parallel caller does: gradients of two halves, weighted by their sizes
    const twoShards: BatchGradientsFunction = async (batch, variables) => {
      const n = batch.labels.length;
      const k = Math.ceil(n / 2);
      const pixels = batch.images.length / n;
      const parts = [0, 1].map((i) => {
        const [from, to] = i === 0 ? [0, k] : [k, n];
        const shard = { images: batch.images.slice(from * pixels, to * pixels), labels: batch.labels.slice(from, to) };
        return { w: (to - from) / n, ...batchGradients(sharded, shard, variables) };
      });
      calls.push(n);
      const gradients = variables.map((_, v) =>
        tf.tidy(() =>
          tf.add(tf.mul(parts[0]!.gradients[v]!, parts[0]!.w), tf.mul(parts[1]!.gradients[v]!, parts[1]!.w)),
        ),
      );
      for (const p of parts) tf.dispose(p.gradients);
      const negativeMargins = new Float32Array(n);
      negativeMargins.set(parts[0]!.negativeMargins);
      negativeMargins.set(parts[1]!.negativeMargins, k);
      return { loss: parts[0]!.w * parts[0]!.loss + parts[1]!.w * parts[1]!.loss, negativeMargins, gradients };
    };
    const before = tf.memory().numTensors;
    const b = await trainModel({ ...baseOptions(join(tempDir(), 'b'), sharded), epochs: 2, gradientsOf: twoShards });
    expect(tf.memory().numTensors).toBe(before);
    expect(calls).toHaveLength(12);
    expect(b.steps).toBe(a.steps);
    const wa = weightsOf(reference).flat();
    const wb = weightsOf(sharded).flat();
    const scale = Math.max(...wa.map(Math.abs));
    for (const [i, x] of wa.entries()) expect(Math.abs(x - wb[i]!)).toBeLessThanOrEqual(1e-4 * scale);
    expect(b.log.scalar['Loss/Train']!.values[1]).toBeCloseTo(a.log.scalar['Loss/Train']!.values[1]!, 4);
    const wrong: BatchGradientsFunction = async (batch, variables) => {
      const r = batchGradients(sharded, batch, variables);
      return { ...r, negativeMargins: r.negativeMargins.subarray(1) };
    };
    await expect(
      trainModel({ ...baseOptions(join(tempDir(), 'c'), sharded), gradientsOf: wrong }),
    ).rejects.toMatchObject({ argument: 'gradientsOf' });
    reference.dispose();
    sharded.dispose();
  });

  it('stops on a NaN loss with the step number and keeps the last good checkpoint', async () => {
    const dir = join(tempDir(), 'nan');
    const network = tinyDenseNetwork(1);
    const options = { ...baseOptions(dir, network), data: syntheticData(96, 48, 16, { batch: 2, call: 2 }) };
    const err = await trainModel(options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect(err).toMatchObject({ step: 9, epoch: 1 });
    expect((err as Error).message).toMatch(/at step 9/);
    expect(readCheckpoint(join(dir, 'checkpoint.lkc')).header).toMatchObject({ epoch: 1, step: 6 });
    for (const w of Object.values(readCheckpoint(join(dir, 'checkpoint.lkc')).tensorData('dense1/kernel', 'weight')!)) {
      expect(Number.isFinite(w)).toBe(true);
    }
    network.dispose();
  });

  it('keeps the number of live tensors flat over 1,000 steps within a run', async () => {
    const network = tinyDenseNetwork(1);
    const counts: number[] = [];
    await trainModel({
      ...baseOptions(join(tempDir(), 'flat'), network, 1),
      data: syntheticData(1000, 8, 1),
      projectionFrequency: 3,
      onProgress: () => counts.push(tf.memory().numTensors),
    });
    expect(counts).toHaveLength(1000);
    expect(new Set(counts.slice(1)).size).toBe(1);
    network.dispose();
  });

  it('works with projection frequency 1 and keeps the tensor count flat over runs', async () => {
    const network = tinyDenseNetwork(1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await trainModel({ ...baseOptions(join(tempDir(), `r${i}`), network, 2), projectionFrequency: 1 });
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(network.projections.filter((p) => p === 1)).toHaveLength(3 * 2 * 6);
    network.dispose();
  });
});

it('rejects bad options, foreign checkpoints and unwritable folders with typed errors', async () => {
  const network = tinyDenseNetwork(1);
  const dir = join(tempDir(), 'bad');
  await expect(trainModel({ ...baseOptions(dir, network), projectionFrequency: 0 })).rejects.toThrow(
    /--proj-freq: must be an integer ≥ 1/,
  );
  expect(existsSync(dir)).toBe(false);
  await expect(trainModel({ ...baseOptions(dir, network), resume: true })).rejects.toThrow(CheckpointError);
  await expect(trainModel({ ...baseOptions(dir, network), resume: true })).rejects.toThrow(/--resume: no checkpoint/);

  const done = join(tempDir(), 'done');
  await trainModel(baseOptions(done, network, 1));
  const other = tinyDenseNetwork(1, 3, 'other_arch');
  await expect(trainModel({ ...baseOptions(done, other, 2), resume: true })).rejects.toThrow(
    /architecture 'tiny_dense', not 'other_arch'/,
  );
  await expect(trainModel(baseOptions(done, network, 1))).rejects.toThrow(/--logdir: .* already holds a run/);

  const locked = tempDir();
  chmodSync(locked, 0o500);
  try {
    const err = await trainModel(baseOptions(join(locked, 'run'), network)).catch((e: unknown) => e);
    if (process.getuid?.() !== 0) {
      expect(err).toBeInstanceOf(TrainingConfigError);
      expect((err as TrainingConfigError).argument).toBe('--logdir');
    }
  } finally {
    chmodSync(locked, 0o700);
  }
  network.dispose();
  other.dispose();
});

describeEachBackend('trainModel with a plain tfjs-layers model', () => {
  it('trains a tf.sequential through layersModelNetwork and resumes it by position-based names', async () => {
    const build = () => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.flatten({ inputShape: [2, 2, 1] }),
          tfl.layers.dense({
            units: 8,
            activation: 'relu',
            kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
          }),
          tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
      return {
        model,
        network: layersModelNetwork(model, { architecture: 'mlp', inputShape: [2, 2, 1], numClasses: 3 }),
      };
    };
    const a = build();
    const b = build();
    expect(a.network.variables.map((v) => v.name)).toEqual(b.network.variables.map((v) => v.name));
    expect(a.network.variables.map((v) => v.name)).toEqual(['0:kernel', '1:bias', '2:kernel', '3:bias']);
    const dir = join(tempDir(), 'layers');
    const options = { ...baseOptions(dir, tinyDenseNetwork(1)), network: a.network, epochs: 2 };
    const result = await trainModel(options);
    expect(result.final.trn_acc).toBeGreaterThan(0.5);
    // a second instance of the same architecture loads the checkpoint (the names match)
    const ckpt = readCheckpoint(join(dir, 'checkpoint.lkc'));
    assignCheckpointVariables(ckpt, 'weight', b.network.variables);
    expect(Array.from(b.network.variables[2]!.variable.dataSync())).toEqual(
      Array.from(a.network.variables[2]!.variable.dataSync()),
    );
    a.model.dispose();
    b.model.dispose();
  });
});
