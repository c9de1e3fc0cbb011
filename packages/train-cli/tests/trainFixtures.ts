/** Fixtures of the train/capacity command tests: a toy dataset and a linear network. */
import type { TrainableNetwork } from '@lipkit/constrained-layers';
import type { ImageDataset, ImageSplit } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { Command } from 'commander';
import { vi } from 'vitest';
import { addGlobalOptions } from '../src/globalOptions.js';
import { registerTrainCommand, type TrainCommandDeps } from '../src/trainCommand.js';
import type { TrainFlags } from '../src/trainRunConfig.js';

/** 3 classes of `height`×3×1 images: the class is the brightest of three columns. */
function split(count: number, offset: number, height = 2): ImageSplit {
  const size = height * 3;
  const pixels = new Uint8Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const cls = (i * 7 + offset) % 3;
    for (let p = 0; p < size; p++) pixels[size * i + p] = ((i * 37 + p * 11 + offset) % 90) + (p % 3 === cls ? 150 : 0);
    labels[i] = cls;
  }
  return { pixels, labels, count, height, width: 3, channels: 1 };
}
export const toyDataset: ImageDataset = {
  name: 'toy',
  classNames: ['a', 'b', 'c'],
  normalisation: { mean: [0.5], std: [0.25] },
  train: split(60, 0),
  test: split(30, 1),
};
/** The same task on square 3×3 images, for the real architectures (which need square inputs). */
export const squareToyDataset: ImageDataset = { ...toyDataset, train: split(60, 0, 3), test: split(30, 1, 3) };

/** Linear softmax classifier whose "projection" caps the kernel's Frobenius norm at the --lip classifier limit. */
export function linearNetwork(
  lipFc: number,
  [h, w, c]: [number, number, number],
  k: number,
  killAtConditionCall = 0,
  architecture = 'simple_convnet6',
  killAtProjectCall = 0,
) {
  let conditionCalls = 0;
  let projectCalls = 0;
  const kernel = tf.variable(tf.randomUniform([h * w * c, k], -0.3, 0.3, 'float32', 5));
  const bias = tf.variable(tf.zeros([k]));
  const network: TrainableNetwork & { dispose(): void } = {
    architecture,
    inputShape: [h, w, c],
    numClasses: k,
    variables: [
      { name: 'fc/kernel', variable: kernel, trainable: true },
      { name: 'fc/bias', variable: bias, trainable: true },
    ],
    logits: (x) => tf.tidy(() => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], -1]), kernel), bias) as tf.Tensor2D),
    project: () =>
      tf.tidy(() => {
        if (++projectCalls === killAtProjectCall) throw new Error('killed');
        if (lipFc > 0) kernel.assign(tf.mul(kernel, tf.minimum(1, tf.div(lipFc, tf.norm(kernel)))));
      }),
    lipschitzByLayer: () => {
      if (++conditionCalls === killAtConditionCall) throw new Error('killed');
      return tf.tidy(() => ({ fc: tf.norm(kernel).dataSync()[0]! }));
    },
    dispose: () => tf.dispose([kernel, bias]),
  };
  return network;
}

export const deps: TrainCommandDeps = {
  buildNetwork: (config, shape, k) => linearNetwork(config.lip[3], shape, k),
  loadDataset: async () => toyDataset,
};

/** `lipkit <argv>` with only the train command, built on `withDeps` (default: the toy fixtures); returns stdout. */
export async function runTrainCommand(argv: string[], withDeps: TrainCommandDeps = deps): Promise<string> {
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

/** The option values `lipkit train` gets when no flag is given, read from the command's own definition. */
export function trainFlagDefaults(): TrainFlags {
  const program = new Command('lipkit');
  addGlobalOptions(program);
  registerTrainCommand(program, deps);
  return program.commands.find((c) => c.name() === 'train')!.opts<TrainFlags>();
}
