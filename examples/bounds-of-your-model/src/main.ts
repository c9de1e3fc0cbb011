// Certified Lipschitz bounds of a model trained elsewhere, two ways in:
//  1. a network JSON file (the lipkit network format; here compnet from the local_lipschitz paper's repository,
//     exported from PyTorch), read with `loadNetworkDescription`;
//  2. a tfjs LayersModel (trained here for a few steps, standing in for "your model"), converted with
//     `networkFromTfjsModel`.
// Bounds are computed in float64. Every number printed is labelled: upper bound, lower bound, or estimate.
import '@tensorflow/tfjs-backend-cpu';
import { fileURLToPath } from 'node:url';
import {
  ascentLowerBound,
  certifiedRadius,
  globalLipschitzBound,
  loadNetworkDescription,
  localLipschitzBound,
  networkFromTfjsModel,
  networkOutput,
  prepareNetwork,
} from '@lipkit/lipschitz-bounds';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

await tf.setBackend('cpu');

// 1. From a network JSON file.
const compnet = prepareNetwork(
  await loadNetworkDescription(fileURLToPath(new URL('../models/compnet.json', import.meta.url))),
);
const x0 = Array.from({ length: 7 }, (_, i) => Math.sin(i + 1));
const eps = 0.1;
const jsonGlobal = globalLipschitzBound(compnet, { mode: 'certified' });
const jsonLocal = localLipschitzBound(compnet, x0, eps, { mode: 'certified' });
const jsonLower = ascentLowerBound(compnet, x0, eps, { seed: 1 });
console.log(`compnet.json: global ${jsonGlobal.value.toFixed(4)} (${jsonGlobal.kind})`);
console.log(`compnet.json: local at ε=${eps} ${jsonLocal.value.toFixed(4)} (${jsonLocal.kind})`);
console.log(`compnet.json: gradient ascent ${jsonLower.value.toFixed(4)} (${jsonLower.kind})`);

// 2. From a tfjs LayersModel.
const model = tfl.sequential({
  layers: [
    tfl.layers.dense({
      inputShape: [4],
      units: 16,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    }),
    tfl.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
const xs = tf.randomNormal([64, 4], 0, 1, 'float32', 4);
const ys = tf.tidy(() => tf.cast(tf.argMax(tf.slice(xs, [0, 0], [64, 3]), 1), 'float32'));
await model.fit(xs, ys, { epochs: 20, batchSize: 64, verbose: 0 });
xs.dispose();
ys.dispose();

const converted = prepareNetwork(networkFromTfjsModel(model));
const point = [0.5, -0.3, 0.8, 0.1];
// The conversion is exact: the float64 network reproduces the tfjs model's logits (up to float32 rounding).
const tfjsLogits = tf.tidy(() => (model.predict(tf.tensor2d([point])) as tf.Tensor).dataSync());
const f64Logits = networkOutput(converted, point);
const conversionError = Math.max(...Array.from(f64Logits, (v, i) => Math.abs(v - (tfjsLogits[i] as number))));
const tfGlobal = globalLipschitzBound(converted, { mode: 'certified' });
const tfLocal = localLipschitzBound(converted, point, eps, { mode: 'certified' });
const tfLower = ascentLowerBound(converted, point, eps, { seed: 1 });
const radius = certifiedRadius(converted, point, { mode: 'certified' });
console.log(`tfjs model: max |logit difference| after conversion ${conversionError.toExponential(2)}`);
console.log(`tfjs model: global ${tfGlobal.value.toFixed(4)} (${tfGlobal.kind})`);
console.log(`tfjs model: local at ε=${eps} ${tfLocal.value.toFixed(4)} (${tfLocal.kind})`);
console.log(`tfjs model: gradient ascent ${tfLower.value.toFixed(4)} (${tfLower.kind})`);
console.log(`tfjs model: certified radius ${radius.radius.toExponential(3)} (${radius.kind})`);

console.log(
  `result: ${JSON.stringify({
    json: { global: jsonGlobal.value, local: jsonLocal.value, lower: jsonLower.value, kind: jsonLocal.kind },
    tfjs: {
      conversionError,
      global: tfGlobal.value,
      local: tfLocal.value,
      lower: tfLower.value,
      kind: tfLocal.kind,
      radius: radius.radius,
      radiusKind: radius.kind,
    },
  })}`,
);
