// Record the bias trajectory of your own tfjs training loop with steady-learner's TrajectoryRecorder: a one-hidden-
// layer ReLU regressor trained by plain SGD with batch size 1 (the setting of the steady-learner paper, Corollaries
// 1–2). The recorder tracks the first layer's bias b₁ on the device and reads its statistics back once per epoch:
// the normalised trajectory length ‖Δb₁‖/(η·ε), the within-epoch variance of b₁ divided by η², and the distance to
// the initial bias. ε is the step's |∂ℓ/∂ŷ| (here 2|ŷ − y| for the squared loss).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients under Node ESM
import { TrajectoryRecorder } from '@lipkit/steady-learner';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');

const inputs = 2;
const hidden = 16;
const w1 = tf.variable(tf.randomUniform([inputs, hidden], -0.7, 0.7, 'float32', 1));
const b1 = tf.variable(tf.zeros([hidden]));
const w2 = tf.variable(tf.randomUniform([hidden, 1], -0.25, 0.25, 'float32', 2));
const b2 = tf.variable(tf.zeros([1]));
const predict = (x: tf.Tensor2D) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);

// Target: y = cos(2x₀)·cos(3x₁) on 64 fixed points.
const n = 64;
const xs: number[][] = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 2.3)]);
const ys = xs.map(([a, b]) => Math.cos(2 * (a as number)) * Math.cos(3 * (b as number)));

const recorder = new TrajectoryRecorder({ bias: b1, formulas: 'theory' });
recorder.begin();
const epochs = 6;
const report = [];
// Independent check: ∂ℓ/∂b₁ = ε·(w₂ ⊙ relu′), so every normalised step ‖Δb₁‖/(η·ε) is at most ‖w₂‖ at that step.
let maxW2Norm = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  const eta = epoch < 3 ? 0.05 : 0.005; // a decayed learning rate: the steps should shrink with it
  const optimizer = tf.train.sgd(eta);
  recorder.beginEpoch(eta);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const j = (i * 37 + epoch * 11) % n; // a deterministic shuffle
    const epsilon = tf.tidy(() => {
      const x = tf.tensor2d([xs[j] as number[]]);
      const y = tf.scalar(ys[j] as number);
      const residual = tf.sub(tf.reshape(predict(x), []), y);
      maxW2Norm = Math.max(maxW2Norm, tf.norm(w2).dataSync()[0] as number);
      const squaredError = (): tf.Scalar => tf.square(tf.sub(tf.reshape(predict(x), []), y)) as tf.Scalar;
      optimizer.minimize(squaredError, false, [w1, b1, w2, b2]);
      return tf.mul(2, tf.abs(residual)); // ε = |∂ℓ/∂ŷ| at the parameters of this step
    });
    loss += (epsilon.dataSync()[0] as number) ** 2 / 4;
    recorder.recordStep(epsilon);
    epsilon.dispose();
  }
  optimizer.dispose();
  const stats = recorder.endEpoch();
  const lastDistance = stats.distances[stats.distances.length - 1] as number;
  console.log(
    `epoch ${epoch} η=${eta}: loss ${(loss / n).toFixed(4)}, trajectory ${stats.trajectory.toFixed(4)}, ` +
      `variance/η² ${stats.variance.toExponential(3)}, distance to init ${lastDistance.toFixed(4)}`,
  );
  const maxStep = Math.max(...stats.normalisedSteps);
  report.push({
    epoch,
    eta,
    loss: loss / n,
    trajectory: stats.trajectory,
    maxStep,
    variance: stats.variance,
    distance: lastDistance,
    steps: stats.steps,
  });
}
recorder.dispose();
tf.dispose([w1, b1, w2, b2]);
console.log(`max ‖w₂‖ ${maxW2Norm.toFixed(4)} bounds every normalised step`);
console.log(`result: ${JSON.stringify({ epochs: report, maxW2Norm })}`);
