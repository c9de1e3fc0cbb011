/**
 * Benchmarks of @lipkit/constrained-layers (`pnpm bench`). Prints a table; numbers go to the README with machine and
 * date. Runs on the wasm backend (SIMD, one thread) with lipkit's wasm training kernels.
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels, simpleConvnet6 } from '../src/index.js';
import { measureThroughput, type ThroughputResult } from './trainThroughput.js';

tf.env().set('PROD', true);
await tf.setBackend('wasm');
registerWasmTrainingKernels();

/** The constrained simpleConvnet6 of spec §7.1 (circular convs, conv classifier) as the loop's network. */
const convnet6 = (channels: number, inputSize: number, inputChannels: number, lipCond = [2, 0.8, 1.4, 1]) =>
  simpleConvnet6({
    numClasses: 10,
    channels,
    inputSize,
    inputChannels,
    lipCond,
    distCond: [90, 90, 90, -1].map((d) => (d < 0 ? Infinity : d)),
    seed: 0,
  }).trainable();

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average at start ${loadavg()[0]!.toFixed(1)} (shared machine: numbers vary with other jobs)`,
);
const rows: ThroughputResult[] = [];
const steps = Number(process.env.BENCH_STEPS ?? 15);
rows.push(
  await measureThroughput(`simpleConvnet6 64 ch, 32×32×3, batch 128, no projection`, convnet6(64, 32, 3), {
    batchSize: 128,
    batches: steps,
    projectionFrequency: 15,
    projectionIterations: 0,
    warmupEpochs: 0,
  }),
  await measureThroughput(`simpleConvnet6 64 ch, 32×32×3, batch 128, project(1) every 15 steps`, convnet6(64, 32, 3), {
    batchSize: 128,
    batches: steps,
    projectionFrequency: 15,
    projectionIterations: 1,
    warmupEpochs: 0,
  }),
  // quickstart-sized: the embedded Fashion-MNIST training set (2000 images of 28×28×1), 32 channels, batch 64
  await measureThroughput(
    `quickstart epoch: simpleConvnet6 32 ch, 28×28×1, 2000 img, batch 64, proj every 15`,
    convnet6(32, 28, 1),
    {
      batchSize: 64,
      batches: Math.ceil(2000 / 64),
      projectionFrequency: 15,
      projectionIterations: 1,
      warmupEpochs: 0,
    },
  ),
);
console.log(`load average at end ${loadavg()[0]!.toFixed(1)}`);
console.table(
  rows.map((r) => ({
    config: r.label,
    'img/s': r.imagesPerSecond.toFixed(1),
    's/step': r.secondsPerStep.toFixed(3),
    's/epoch': r.secondsPerEpoch.toFixed(1),
    'tensors (first→last step)': `${r.tensorsFirst}→${r.tensorsLast}`,
  })),
);
