import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { circularPad2dAdjoint, registerWasmTrainingKernels } from '../src/index.js';

function cpu(name: string, f: () => void, reps = 7) {
  f();
  const c: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(c0);
    c.push((d.user + d.system) / 1000);
  }
  c.sort((a, b) => a - b);
  console.log(name.padEnd(40), 'cpu', c[Math.floor(reps / 2)]!.toFixed(1), 'ms');
}
async function main() {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
  const g = { n: 128, h: 18, w: 18, c: 64, kh: 3, kw: 3, sh: 2, sw: 2, ho: 8, wo: 8, top: 0, left: 0 };
  const x = new Float32Array(128 * 18 * 18 * 64).map(() => Math.random());
  const a = tf.randomNormal([576, 8192]);
  const b = tf.randomNormal([8192, 64]);
  cpu('matmul PT x dy', () =>
    tf.tidy(() => {
      tf.matMul(a, b).dataSync();
    }),
  );
  const d = tf.randomNormal([8192, 64]);
  const kt = tf.randomNormal([64, 576]);
  cpu('matmul dy x KT', () =>
    tf.tidy(() => {
      tf.matMul(d, kt).dataSync();
    }),
  );
  const xp = tf.randomNormal([128, 18, 18, 64]) as tf.Tensor4D;
  cpu('pad adjoint 128x18x18x64', () =>
    tf.tidy(() => {
      circularPad2dAdjoint(xp, { top: 1, bottom: 1, left: 1, right: 1 }).dataSync();
    }),
  );
  const k = tf.randomNormal([3, 3, 64, 64]) as tf.Tensor4D;
  cpu('conv fwd s2', () =>
    tf.tidy(() => {
      tf.conv2d(xp, k, 2, 'valid').dataSync();
    }),
  );
  const dy = tf.randomNormal([128, 8, 8, 64]) as tf.Tensor4D;
  cpu('BackpropInput kernel', () =>
    tf.tidy(() => {
      tf.conv2dTranspose(dy, k, [128, 18, 18, 64], 2, 'valid').dataSync();
    }),
  );
  cpu('BackpropFilter kernel', () =>
    tf.tidy(() => {
      (
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: xp, dy },
            { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 64, 64] },
          ) as tf.Tensor
      ).dataSync();
    }),
  );
}
main();
