import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { runClassifierTrajectory } from './src/index.js';
import { syntheticTwoClassImages } from './tests/support/syntheticImages.js';

tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');
const data = syntheticTwoClassImages(32, 3, 4, 2);
const t0 = performance.now();
runClassifierTrajectory(data, { model: 'cifar-cnn', epochs: 1, batchSize: 1, learningRate: 0.0025, seed: 1 });
console.log('cpu 4 steps + test', (performance.now() - t0) / 1000);
