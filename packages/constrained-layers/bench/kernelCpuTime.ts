/**
 * Where the time of one 64→64 3×3 stride-2 circular conv layer goes (simpleConvnet6's block 2: x 128×16×16×64):
 * process CPU time (median of 7) of each kernel and of the GEMMs inside them, so the numbers hold on a shared
 * machine. Run: `node --import tsx bench/kernelCpuTime.ts`.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { circularPad2d, circularPad2dAdjoint, registerWasmTrainingKernels } from '../src/index.js';

function cpuMs(name: string, flops: number, f: () => void, reps = 7): void {
  f();
  const c: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(c0);
    c.push((d.user + d.system) / 1000);
  }
  c.sort((a, b) => a - b);
  const ms = c[Math.floor(reps / 2)]!;
  const rate = flops > 0 ? `${(flops / ms / 1e6).toFixed(1)} GFLOP/s` : '';
  console.log(`| ${name} | ${ms.toFixed(1)} | ${rate} |`);
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
  const flops = 2 * 128 * 8 * 8 * 9 * 64 * 64;
  const pad = { top: 1, bottom: 1, left: 1, right: 1 };
  const x = tf.randomNormal([128, 16, 16, 64]) as tf.Tensor4D;
  const xp = tf.randomNormal([128, 18, 18, 64]) as tf.Tensor4D;
  const k = tf.randomNormal([3, 3, 64, 64]) as tf.Tensor4D;
  const dy = tf.randomNormal([128, 8, 8, 64]) as tf.Tensor4D;
  const patchesT = tf.randomNormal([576, 8192]);
  const dy2 = tf.randomNormal([8192, 64]);
  console.log('| step (64→64 3×3 s2, x 128×16×16×64) | CPU ms | rate |\n|---|---|---|');
  cpuMs('circular pad (heap copy)', 0, () => tf.tidy(() => void circularPad2d(x, pad).dataSync()));
  cpuMs('forward conv (XNNPACK)', flops, () => tf.tidy(() => void tf.conv2d(xp, k, 2, 'valid').dataSync()));
  cpuMs('Conv2DBackpropFilter (im2col + GEMM)', flops, () =>
    tf.tidy(() => {
      const attrs = { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 64, 64] };
      (tf.engine().runKernel('Conv2DBackpropFilter', { x: xp, dy }, attrs) as tf.Tensor).dataSync();
    }),
  );
  cpuMs('  of which GEMM [576×8192]·[8192×64]', flops, () => tf.tidy(() => void tf.matMul(patchesT, dy2).dataSync()));
  cpuMs('Conv2DBackpropInput (4 phase convs)', flops, () =>
    tf.tidy(() => void tf.conv2dTranspose(dy, k, [128, 18, 18, 64], 2, 'valid').dataSync()),
  );
  cpuMs('circular pad adjoint (fold)', 0, () => tf.tidy(() => void circularPad2dAdjoint(xp, pad).dataSync()));
  process.exit(0);
}

await main();
