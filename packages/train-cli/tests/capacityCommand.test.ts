import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CapacityLayerQuantities,
  type CapacityQuantities,
  RADEMACHER_BOUND_NAMES,
  rademacherBounds,
  saveCheckpoint,
} from '@lipkit/constrained-layers';
import * as tf from '@tensorflow/tfjs-core';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { addGlobalOptions } from '../src/globalOptions.js';
import {
  type CapacityCommandDeps,
  capacityTable,
  registerCapacityCommand,
  registerTrainCommand,
  runCli,
} from '../src/index.js';
import { temporaryDirectories } from './captureOutput.js';
import { deps, linearNetwork } from './trainFixtures.js';

const tempDir = temporaryDirectories('lipkit-capacity-');

const layer = (lip: number, dist: number): CapacityLayerQuantities => ({
  numParams: 18,
  stride: 1,
  kernelSize: 1,
  inputWidth: 1,
  inputChannels: 6,
  lip,
  norm22: lip * 1.5,
  dist22: dist,
  dist21: dist * 1.2,
  norm1inf: lip * 2,
  dist1inf: dist * 2,
  maxFilterNorm: lip,
  filterDist21: dist * 1.1,
  inputPatchNorm: 3,
});

/** Measures "quantities" from the loaded weights, so the test sees that the checkpoint was loaded. */
const measuringDeps: CapacityCommandDeps = {
  ...deps,
  measureCapacity: (network) => {
    const kernelNorm = tf.tidy(() => tf.norm(network.variables[0]!.variable).dataSync()[0]!);
    return {
      n: 60,
      numClasses: 3,
      margin: 0.5,
      inputFrobeniusNorm: 20,
      inputMaxAbs: 2,
      inputMaxColumnNorm: 7,
      layers: [layer(kernelNorm, 0.5)],
    } satisfies CapacityQuantities;
  },
};

async function run(argv: string[], capacityDeps: CapacityCommandDeps) {
  const program = new Command('lipkit').exitOverride();
  addGlobalOptions(program);
  registerTrainCommand(program, capacityDeps);
  registerCapacityCommand(program, capacityDeps);
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

describe('lipkit capacity', () => {
  it('loads the last checkpoint and prints the 12 bounds as a table and JSON', async () => {
    const dir = join(tempDir(), 'run');
    await run(
      [
        '--quiet',
        '--backend',
        'cpu',
        'train',
        '--epochs',
        '2',
        '--bs',
        '16',
        '--lip',
        '-1',
        '-1',
        '-1',
        '1.5',
        '--logdir',
        dir,
      ],
      measuringDeps,
    );
    const json = JSON.parse(await run(['--json', '--backend', 'cpu', 'capacity', dir], measuringDeps));
    expect(json).toMatchObject({ event: 'capacity', epoch: 2, kind: 'upper bound' });
    // the projected classifier of the run has Frobenius norm ≤ 1.5: the weights came from the checkpoint
    expect(json.quantities.layers[0].lip).toBeLessThanOrEqual(1.5 + 1e-5);
    expect(json.quantities.layers[0].lip).toBeGreaterThan(0.5);
    expect(json.bounds).toEqual(JSON.parse(JSON.stringify(rademacherBounds(json.quantities))));
    const overridden = JSON.parse(
      await run(['--json', '--backend', 'cpu', 'capacity', dir, '--margin', '2'], measuringDeps),
    );
    expect(overridden.quantities.margin).toBe(2);
    expect(overridden.bounds.oursNorms).toBeLessThan(json.bounds.oursNorms);
    await expect(run(['--json', 'capacity', dir, '--margin', '-1'], measuringDeps)).rejects.toThrow(/--margin/);
    const text = await run(['--backend', 'cpu', 'capacity', dir], measuringDeps);
    for (const name of RADEMACHER_BOUND_NAMES) expect(text).toMatch(new RegExp(`^${name} +\\S+ +\\S`, 'm'));
    expect(text).toContain(capacityTable(json.bounds));
  });

  it('refuses a checkpoint of another architecture and a folder without one', async () => {
    const dir = join(tempDir(), 'run');
    await run(['--quiet', '--backend', 'cpu', 'train', '--epochs', '1', '--bs', '16', '--logdir', dir], measuringDeps);
    const other: CapacityCommandDeps = {
      ...measuringDeps,
      buildNetwork: (config, shape, k) => linearNetwork(config.lip[3], shape, k, 0, 'simple_convnet11'),
    };
    await expect(run(['--quiet', '--backend', 'cpu', 'capacity', dir], other)).rejects.toThrow(
      /<run>: checkpoint is for architecture 'simple_convnet6', not 'simple_convnet11'/,
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['capacity', join(dir, 'missing')])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses (exit 2, naming the flag) a checkpoint that lipkit train did not write, e.g. a quickstart run', async () => {
    const dir = join(tempDir(), 'quickstart-run');
    mkdirSync(dir);
    const weight = tf.zeros([2, 2]);
    saveCheckpoint(
      join(dir, 'checkpoint.lkc'),
      {
        architecture: 'simpleConvnet6+inputBias',
        inputShape: [36, 36, 1],
        numClasses: 10,
        epoch: 4,
        step: 128,
        finished: true,
        rngState: [1, 2, 3, 4],
        config: { command: 'quickstart', epochs: 4, channels: 8 },
        log: {},
      },
      [{ name: 'w', role: 'weight', tensor: weight }],
    );
    weight.dispose();
    await expect(run(['--quiet', '--backend', 'cpu', 'capacity', dir], measuringDeps)).rejects.toThrow(
      /^<run>: .*quickstart-run holds a checkpoint without a lipkit train configuration \(arch undefined, dataset undefined\); allowed: run folders written by lipkit train$/,
    );
    await expect(run(['--quiet', 'train', '--resume', dir], measuringDeps)).rejects.toMatchObject({
      argument: '--resume',
    });
  });
});
