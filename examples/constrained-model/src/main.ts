// Constrained layers in your own tfjs model: a small classifier whose hidden layers carry a Lipschitz limit
// (spectral norm) and a distance-to-initialisation limit, trained with your own optimiser and projected back onto
// the constraint set every few steps, as the excess-capacity paper does (Dykstra projection, spec §4.4).
import '@tensorflow/tfjs-backend-cpu';
import { ConstrainedDense } from '@lipkit/constrained-layers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

await tf.setBackend('cpu'); // libraries never pick a backend: your program does.

const hidden1 = new ConstrainedDense({ units: 32, lipCond: 1.5, distCond: 2, seed: 1 });
const hidden2 = new ConstrainedDense({ units: 32, lipCond: 1.5, distCond: 2, seed: 2 });
const model = tfl.sequential({
  layers: [
    tfl.layers.inputLayer({ inputShape: [2] }),
    hidden1,
    tfl.layers.activation({ activation: 'relu' }),
    hidden2,
    tfl.layers.activation({ activation: 'relu' }),
    tfl.layers.dense({ units: 2, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

// Two interleaved noisy rings (deterministic data).
const n = 128;
const points: number[] = [];
const labels: number[] = [];
for (let i = 0; i < n; i++) {
  const label = i % 2;
  const angle = (i * 2.399963) % (2 * Math.PI);
  const radius = (label === 0 ? 1 : 2) + 0.15 * Math.sin(i * 12.9898);
  points.push(radius * Math.cos(angle), radius * Math.sin(angle));
  labels.push(label === 0 ? 1 : 0, label === 0 ? 0 : 1);
}
const x = tf.tensor2d(points, [n, 2]);
const y = tf.tensor2d(labels, [n, 2]);

const layers = { hidden1, hidden2 };
const projectEvery = 15;
let accuracy = 0;
for (let round = 0; round < 4; round++) {
  // `projectEvery` optimiser steps (full batch), then the projection onto {lip ≤ lipCond} ∩ {dist ≤ distCond}.
  const history = await model.fit(x, y, { epochs: projectEvery, batchSize: n, verbose: 0 });
  accuracy = history.history.acc?.at(-1) as number;
  const before = Object.values(layers).map((l) => l.lip());
  for (const layer of Object.values(layers)) layer.project(10);
  console.log(
    `round ${round}: accuracy ${accuracy.toFixed(3)}; lip before projection ${before.map((v) => v.toFixed(3)).join(', ')}`,
  );
}
x.dispose();
y.dispose();
// Ten Dykstra rounds (the original's projection) leave the last-projected constraint exact and may leave the other
// slightly violated; `guarantee: 'feasible'` (a lipkit addition) then makes both hold.
for (const layer of Object.values(layers)) layer.project(10, { guarantee: 'feasible' });

const report = Object.entries(layers).map(([name, layer]) => ({
  name,
  lip: layer.lip(), // exact σ_max (float64 SVD of the stored weights)
  lipCond: layer.lipCond,
  dist: layer.dist(), // (2,1) group distance to the init snapshot
  distCond: layer.distCond,
}));
for (const r of report) {
  console.log(`${r.name}: lip ${r.lip.toFixed(4)} ≤ ${r.lipCond}, dist ${r.dist.toFixed(4)} ≤ ${r.distCond}`);
}
console.log(`result: ${JSON.stringify({ accuracy, layers: report })}`);
