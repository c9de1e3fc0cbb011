/**
 * Training-step benchmark of the wasm kernels (run: `pnpm bench`; env BENCH_REPEATS, BENCH_ONLY=substring,
 * BENCH_BACKENDS=wasm,wasm-shipped, BENCH_WASM_THREADS=2 for the threaded-SIMD experiment). Prints img/s and GFLOP/s against the machine's fp32 peak, per wall-clock
 * second and per CPU second of this (single-threaded) process: on a shared machine the CPU time is the stable number.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../src/index.js';
import { type BenchModel, conv64At16, lenet, simpleConvnet6 } from './benchModels.js';
import { useThreadedWasm } from './threadedWasmBackend.js';

/** fp32 peak: cores × clock × 32 FLOP/cycle (AVX2: 2 FMA units × 8 lanes × 2 FLOP). */
function peakGflops(): { ghz: number; cores: number; peak: number } {
  const mhz = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('cpu MHz'))
    .map((l) => Number(l.split(':')[1]));
  const ghz = (mhz.length > 0 ? Math.max(...mhz) : 0) / 1000;
  const cores = cpus().length;
  return { ghz, cores, peak: ghz * cores * 32 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall and process-CPU (user + system) milliseconds of each step. */
async function timeSteps(model: BenchModel, repeats: number): Promise<{ wall: number[]; cpu: number[] }> {
  const opt = tf.train.sgd(1e-3);
  const step = () => {
    const loss = opt.minimize(model.loss, true, model.variables);
    loss!.dataSync();
    loss!.dispose();
  };
  step(); // warm-up: XNNPACK operator creation, weight packing
  const before = tf.memory().numTensors;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    step();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  if (tf.memory().numTensors !== before) throw new Error(`${model.name}: tensors leaked`);
  opt.dispose();
  return { wall, cpu };
}

async function main(): Promise<void> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 5);
  const only = process.env.BENCH_ONLY;
  const variants = (process.env.BENCH_BACKENDS ?? 'wasm').split(',');
  const threads = Number(process.env.BENCH_WASM_THREADS ?? 1);
  if (threads > 1) useThreadedWasm(threads); // experiment: the threaded-SIMD build (see threadedWasmBackend.ts)
  const { ghz, cores, peak } = peakGflops();
  console.log(
    `machine: ${cores} cores @ ${ghz.toFixed(2)} GHz, fp32 peak ${peak.toFixed(0)} GFLOP/s (32 FLOP/cycle/core)`,
  );
  const rows: string[][] = [];
  for (const variant of variants) {
    await tf.setBackend(variant === 'cpu' ? 'cpu' : 'wasm');
    await tf.ready();
    if (variant === 'wasm') registerWasmTrainingKernels();
    else unregisterWasmTrainingKernels();
    const models = [() => simpleConvnet6(128, 64), () => lenet(128), () => conv64At16(64)];
    for (const make of models) {
      const model = make();
      if (only !== undefined && !model.name.includes(only)) {
        model.dispose();
        continue;
      }
      let cells: string[];
      try {
        const { wall, cpu } = await timeSteps(model, repeats);
        const w = median(wall);
        const c = median(cpu);
        const gflops = (ms: number) => (3 * model.forwardFlops) / (ms / 1000) / 1e9;
        cells = [
          (w / 1000).toFixed(3),
          ((model.batch * 1000) / w).toFixed(1),
          (c / 1000).toFixed(3),
          ((model.batch * 1000) / c).toFixed(1),
          `${gflops(c).toFixed(2)} (${((100 * gflops(c)) / peak).toFixed(1)}%)`,
          wall.map((m) => (m / 1000).toFixed(2)).join(' '),
        ];
      } catch (err) {
        cells = ['FAIL', '', '', '', '', (err as Error).message.split('\n')[0]!.slice(0, 60)];
      }
      rows.push([threads > 1 ? `${variant} ${threads} threads` : variant, model.name, ...cells]);
      model.dispose();
    }
  }
  const header = [
    'backend',
    'benchmark',
    'wall s/step',
    'wall img/s',
    'CPU s/step',
    'img/CPU-s',
    'GFLOP/CPU-s (3×fwd; % of peak)',
    'wall runs (s)',
  ];
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

await main();
process.exit(0); // the threaded build's pthread workers would keep the process alive
