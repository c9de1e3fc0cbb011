/**
 * Where the time of one training step goes: per-kernel wall time from `tf.profile` (nested kernels included, so
 * the rows overlap: a lipkit kernel's time contains the XNNPACK convs/GEMMs it calls). Run:
 * `node --import tsx bench/profileStep.ts [simpleConvnet6|lenet|conv64]`.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels } from '../src/index.js';
import { conv64At16, lenet, simpleConvnet6 } from './benchModels.js';

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
  const which = process.argv[2] ?? 'simpleConvnet6';
  const model = which === 'lenet' ? lenet(128) : which === 'conv64' ? conv64At16(64) : simpleConvnet6(128, 64);
  const opt = tf.train.sgd(1e-3);
  const step = () => tf.dispose(opt.minimize(model.loss, true, model.variables) ?? []);
  step();
  const t0 = performance.now();
  const info = await tf.profile(step);
  const total = performance.now() - t0;
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += k.kernelTimeMs as number;
    e.calls++;
    byName.set(k.name, e);
  }
  console.log(`${model.name}: step ${total.toFixed(0)} ms under tf.profile`);
  for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.log(`${name.padEnd(28)} ${e.ms.toFixed(1).padStart(9)} ms  ${String(e.calls).padStart(5)} calls`);
  }
  if (process.env.PROFILE_CALLS) {
    for (const k of [...info.kernels]
      .sort((a, b) => (b.kernelTimeMs as number) - (a.kernelTimeMs as number))
      .slice(0, 30)) {
      console.log(
        `${k.name.padEnd(28)} ${(k.kernelTimeMs as number).toFixed(1).padStart(8)} ms  ${JSON.stringify(k.inputShapes)}`,
      );
    }
  }
  model.dispose();
}

await main();
