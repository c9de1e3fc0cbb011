/**
 * Steady-learner speed: MLP experiment steps/s at batch size 1 (typed-array path, with and without recording),
 * the tfjs MLP step with and without the online TrajectoryRecorder (cpu, wasm), and one CIFAR-CNN step at batch
 * size 1 (cpu; wasm with lipkit's training kernels). Prints a table of CPU time per step (see `cpuSeconds`). Run: `pnpm bench`
 * (from packages/steady-learner).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels } from '@lipkit/constrained-layers';
import { SeededRandom } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { createCifarCnn, MLP_RUN_DEFAULTS, runMlpTrajectory, sgdStep, TrajectoryRecorder } from '../src/index.js';
import { cpuSeconds, recorderOverheadRows } from './recorderOverhead.js';

tf.env().set('IS_TEST', true);
const rows: string[][] = [['benchmark', 'backend', 'per step', 'steps/s', 'note']];

// 1. The MLP experiment on the typed-array path (paper settings: N = 100, bs 1, 200 epochs = 20,000 steps per
// measurement). The variants are interleaved over 5 rounds and the fastest time of each is kept, so that load from
// other jobs on a shared machine hits every variant alike.
const epochs = 200;
const steps = epochs * 100;
type Variant = { name: string; cfg: Partial<Parameters<typeof runMlpTrajectory>[0]> };
const variants: Variant[] = [
  { name: 'bare', cfg: { recordSteps: false } },
  { name: 'store', cfg: { recordLipschitz: false } },
  { name: 'pre', cfg: { lipschitzAt: 'preUpdate' } },
  { name: 'post', cfg: { lipschitzAt: 'postUpdate' } },
];
const fastest = new Map<string, number>();
for (let round = 0; round < 5; round++) {
  for (const v of variants) {
    const t = cpuSeconds(() => runMlpTrajectory({ ...MLP_RUN_DEFAULTS, epochs, seed: 1, ...v.cfg }));
    fastest.set(v.name, Math.min(fastest.get(v.name) ?? Number.POSITIVE_INFINITY, t));
  }
}
const tOf = (n: string) => fastest.get(n) as number;
const us = (s: number, n: number) => `${((s / n) * 1e6).toFixed(1)} µs`;
const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
rows.push([
  'MLP experiment, bare SGD loop (bs 1)',
  'typed arrays',
  us(tOf('bare'), steps),
  (steps / tOf('bare')).toFixed(0),
  'no recording',
]);
rows.push([
  'MLP + recording b1, η, |ŷ − y|',
  'typed arrays',
  us(tOf('store'), steps),
  (steps / tOf('store')).toFixed(0),
  `recorder overhead ${pct(tOf('store'), tOf('bare'))}`,
]);
rows.push([
  'MLP + recording + pre-update Lipschitz',
  'typed arrays',
  us(tOf('pre'), steps),
  (steps / tOf('pre')).toFixed(0),
  `overhead ${pct(tOf('pre'), tOf('bare'))} (Lipschitz from the step's own backward pass)`,
]);
rows.push([
  'MLP + recording + post-update Lipschitz',
  'typed arrays',
  us(tOf('post'), steps),
  (steps / tOf('post')).toFixed(0),
  `overhead ${pct(tOf('post'), tOf('bare'))} (as the original: extra forward+backward); target ≥ 3,440 steps/s`,
]);

// 2. The same MLP in tfjs, one SGD step per sample, with and without the online recorder (bench/recorderOverhead.ts).
rows.push(...(await recorderOverheadRows()));

// 3. One CIFAR-CNN step at batch size 1.
for (const backend of ['wasm', 'cpu'] as const) {
  await tf.setBackend(backend);
  await tf.ready();
  if (backend === 'wasm') registerWasmTrainingKernels();
  const model = createCifarCnn(new SeededRandom(2));
  const x = tf.randomUniform([1, 32, 32, 3], -1, 1);
  const y = tf.tensor1d([1]);
  const rec = new TrajectoryRecorder({ bias: model.b1 });
  // cpu: one step each (≈10 s of CPU per step); wasm: 2 warm-up steps, then 3 interleaved rounds of 3 steps each.
  const n = backend === 'cpu' ? 1 : 3;
  const rounds = backend === 'cpu' ? 1 : 3;
  const step = (recorder?: TrajectoryRecorder) => {
    const { output, loss } = sgdStep(model, x, y, 2.5e-3, 'halfBce');
    if (recorder) recorder.recordStep(0.5);
    tf.dispose([output, loss]);
  };
  rec.begin();
  rec.beginEpoch(2.5e-3);
  if (backend === 'wasm') {
    step();
    step(rec);
  }
  let plain = Number.POSITIVE_INFINITY;
  let withRec = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    plain = Math.min(
      plain,
      cpuSeconds(() => {
        for (let i = 0; i < n; i++) step();
        model.b1.dataSync();
      }),
    );
    withRec = Math.min(
      withRec,
      cpuSeconds(() => {
        for (let i = 0; i < n; i++) step(rec);
        rec.endEpoch();
        rec.beginEpoch(2.5e-3);
      }),
    );
  }
  rows.push([
    'CIFAR CNN SGD step (bs 1, 1.08 M params)',
    backend,
    `${((plain / n) * 1000).toFixed(0)} ms`,
    (n / plain).toFixed(2),
    backend === 'cpu' ? '1 step (cpu Conv2DBackpropFilter is very slow)' : 'lipkit wasm training kernels',
  ]);
  rows.push([
    'CIFAR CNN step + TrajectoryRecorder',
    backend,
    `${((withRec / n) * 1000).toFixed(0)} ms`,
    (n / withRec).toFixed(2),
    `recorder overhead ${(((withRec - plain) / plain) * 100).toFixed(1)}%`,
  ]);
  rec.dispose();
  model.dispose();
  tf.dispose([x, y]);
}

const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
for (const [i, r] of rows.entries()) {
  process.stdout.write(
    `${r
      .map((cell, c) => cell.padEnd(widths[c] as number))
      .join('  ')
      .trimEnd()}\n`,
  );
  if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
}
