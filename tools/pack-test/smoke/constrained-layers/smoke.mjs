import '@tensorflow/tfjs-backend-cpu';
import { ConstrainedDense, ConstrainedLayersError } from '@lipkit/constrained-layers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

await tf.setBackend('cpu');
const hidden = new ConstrainedDense({ units: 8, lipCond: 0.5, distCond: 0.3, seed: 1 });
const model = tfl.sequential({
  layers: [
    tfl.layers.inputLayer({ inputShape: [4] }),
    hidden,
    tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }),
  ],
});
model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
const x = tf.randomNormal([32, 4], 0, 1, 'float32', 2);
const y = tf.randomNormal([32, 1], 0, 1, 'float32', 3);
await model.fit(x, y, { epochs: 5, batchSize: 32, verbose: 0 });
// Ten Dykstra rounds may leave the first-projected constraint slightly violated; 'feasible' makes both hold.
const report = hidden.project(10, { guarantee: 'feasible' });
if (!(hidden.lip() <= 0.5 * (1 + 1e-6))) throw new Error(`lip ${hidden.lip()} > 0.5`);
if (!(hidden.dist() <= 0.3 * (1 + 1e-6))) throw new Error(`dist ${hidden.dist()} > 0.3`);
if (report.lipExcess > 1e-6 || report.distExcess > 1e-6) throw new Error(JSON.stringify(report));
try {
  new ConstrainedDense({ units: 2, lipCond: -1 });
  throw new Error('negative lipCond accepted');
} catch (error) {
  if (!(error instanceof ConstrainedLayersError) || error.argument !== 'lipCond') throw error;
}
console.log(`lip ${hidden.lip().toFixed(4)} dist ${hidden.dist().toFixed(4)}`);
console.log('smoke ok');
