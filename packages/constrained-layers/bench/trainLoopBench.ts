/**
 * Benchmarks of @lipkit/constrained-layers (`pnpm bench`). Prints a table; numbers go to the README with machine and
 * date. Runs on the wasm backend (SIMD, one thread) with lipkit's wasm training kernels.
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { layersModelNetwork, registerWasmTrainingKernels } from '../src/index.js';
import { measureThroughput, type ThroughputResult } from './trainThroughput.js';

tf.env().set('PROD', true);
await tf.setBackend('wasm');
registerWasmTrainingKernels();

/**
 * simpleConvnet6's shape without constraints (5 convs 3×3 stride 2 with `same` zero padding, ReLU, a 1×1 conv
 * classifier; 64 channels; 32×32×3 → 1×1×10), built from plain tfjs layers: the cost of the training loop itself.
 */
function plainConvnet6(channels: number) {
  const layers: tfl.layers.Layer[] = [];
  for (let i = 0; i < 5; i++) {
    layers.push(
      tfl.layers.conv2d({
        ...(i === 0 && { inputShape: [32, 32, 3] }),
        filters: channels,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        useBias: false,
        activation: 'relu',
      }),
    );
  }
  layers.push(tfl.layers.conv2d({ filters: 10, kernelSize: 1, useBias: false }), tfl.layers.flatten());
  const model = tfl.sequential({ layers });
  return layersModelNetwork(model, { architecture: 'plain_convnet6', inputShape: [32, 32, 3], numClasses: 10 });
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average at start ${loadavg()[0]!.toFixed(1)} (shared machine: numbers vary with other jobs)`,
);
const rows: ThroughputResult[] = [];
rows.push(
  await measureThroughput('plain tfjs convnet6 (64 ch), batch 128, no projection', plainConvnet6(64), {
    batchSize: 128,
    batches: 8,
    projectionFrequency: 15,
    projectionIterations: 0,
  }),
);
console.log(`load average at end ${loadavg()[0]!.toFixed(1)}`);
console.table(
  rows.map((r) => ({
    config: r.label,
    'img/s': r.imagesPerSecond.toFixed(1),
    's/step': r.secondsPerStep.toFixed(3),
    'tensors (first→last step)': `${r.tensorsFirst}→${r.tensorsLast}`,
  })),
);
