/**
 * EXPERIMENT: data-parallel SGD over W child processes (`child_process.fork`, structured-clone IPC), each with its
 * own single-threaded wasm backend. Every step the main process sends the weights to the W workers, each computes
 * the gradient of simpleConvnet6 (64 channels) on its 128/W images, the main process averages the gradients and
 * applies the SGD update. W = 1 is the same code path with one worker doing all 128 images. (worker_threads were the
 * first choice, but this TypeScript file could not be loaded in a worker thread under tsx on Node 20, also not with
 * tsx's register/tsImport API inside the worker; processes answer "does a second core pay" the same way.)
 * Run: `node --import tsx bench/dataParallel.ts [steps]`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels } from '../src/index.js';
import { simpleConvnet6 } from './benchModels.js';

const BATCH = 128;
const CHANNELS = 64;

async function workerMain(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
  const model = simpleConvnet6(Number(process.env.DP_BATCH), CHANNELS);
  process.on('message', (weights: Float32Array[]) => {
    const c0 = process.cpuUsage();
    model.variables.forEach((v, i) => {
      v.assign(tf.tensor(weights[i]!, v.shape));
    });
    const { grads } = tf.variableGrads(model.loss, model.variables);
    const out = model.variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
    tf.dispose(Object.values(grads));
    const c = process.cpuUsage(c0);
    process.send!({ grads: out, cpuMs: (c.user + c.system) / 1000 } satisfies WorkerReply);
  });
  process.send!('ready');
}

/** A worker's gradients for one step and the CPU time it spent on them. */
interface WorkerReply {
  grads: Float32Array[];
  cpuMs: number;
}

function request(w: ChildProcess, weights: Float32Array[]): Promise<WorkerReply> {
  return new Promise((resolve) => {
    w.once('message', (m) => resolve(m as WorkerReply));
    w.send(weights);
  });
}

async function run(workers: number, steps: number): Promise<{ wall: number[]; cpu: number[] }> {
  const pool = Array.from({ length: workers }, () =>
    fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DP_WORKER: '1', DP_BATCH: String(BATCH / workers) },
      serialization: 'advanced',
    }),
  );
  await Promise.all(pool.map((w) => new Promise((r) => w.once('message', r))));
  await tf.setBackend('cpu'); // the main process only averages and updates
  const init = simpleConvnet6(1, CHANNELS); // same seeded initial weights as the workers'
  let weights = init.variables.map((v) => v.dataSync().slice() as Float32Array);
  init.dispose();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const t0 = performance.now();
    const results = await Promise.all(pool.map((w) => request(w, weights)));
    weights = weights.map((wt, i) => {
      const next = new Float32Array(wt.length);
      for (let e = 0; e < wt.length; e++) {
        let g = 0;
        for (const r of results) g += r.grads[i]![e]!;
        next[e] = wt[e]! - (1e-3 * g) / workers;
      }
      return next;
    });
    if (s === 0) continue; // warm-up
    wall.push(performance.now() - t0);
    cpu.push(results.reduce((sum, r) => sum + r.cpuMs, 0));
  }
  for (const w of pool) w.kill();
  return { wall, cpu };
}

async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 4);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    '| processes | wall s/step | wall img/s | worker CPU s/step (sum) | img/CPU-s | wall runs (s) |\n|---|---|---|---|---|---|',
  );
  for (const workers of [1, 2]) {
    const { wall, cpu } = await run(workers, steps);
    const w = median(wall);
    const c = median(cpu);
    const runs = wall.map((m) => (m / 1000).toFixed(2)).join(' ');
    console.log(
      `| ${workers} | ${(w / 1000).toFixed(3)} | ${((BATCH * 1000) / w).toFixed(1)} | ${(c / 1000).toFixed(3)} | ${((BATCH * 1000) / c).toFixed(1)} | ${runs} |`,
    );
  }
}

if (process.env.DP_WORKER === '1') await workerMain();
else await main();
