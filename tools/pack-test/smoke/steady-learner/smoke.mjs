import '@tensorflow/tfjs-backend-cpu';
import { SteadyLearnerError, TrajectoryRecorder } from '@lipkit/steady-learner';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');
// A bias moved by known steps: b ← b − η·ε·u with ‖u‖ = 1, so every normalised step ‖Δb‖/(η·ε) is exactly 1.
const bias = tf.variable(tf.tensor1d([0.1, -0.2, 0.3]));
const recorder = new TrajectoryRecorder({ bias, formulas: 'theory' });
recorder.begin();
const eta = 0.05;
for (let epoch = 0; epoch < 2; epoch++) {
  recorder.beginEpoch(eta);
  for (let step = 0; step < 20; step++) {
    const eps = 0.5 + step / 10;
    const angle = step * 0.7 + epoch;
    const u = tf.tensor1d([Math.cos(angle), Math.sin(angle), 0]);
    bias.assign(tf.sub(bias, tf.mul(u, eta * eps)));
    u.dispose();
    recorder.recordStep(eps);
  }
  const stats = recorder.endEpoch();
  if (stats.steps !== 20) throw new Error(`steps ${stats.steps}`);
  for (const s of stats.normalisedSteps) if (Math.abs(s - 1) > 1e-3) throw new Error(`normalised step ${s}`);
  if (!(stats.variance > 0) || !Number.isFinite(stats.variance)) throw new Error(`variance ${stats.variance}`);
  console.log(
    `epoch ${epoch}: trajectory ${stats.trajectory.toFixed(4)} variance/η² ${stats.variance.toExponential(3)}`,
  );
}
recorder.dispose();
try {
  new TrajectoryRecorder({ bias, formulas: 'exact' });
  throw new Error('unknown formulas accepted');
} catch (error) {
  if (!(error instanceof SteadyLearnerError) || error.argument !== 'formulas') throw error;
}
console.log('smoke ok');
