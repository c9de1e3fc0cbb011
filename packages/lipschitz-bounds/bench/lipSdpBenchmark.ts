/**
 * LipSDP / ECLipsE-Fast / exact-oracle timings on the seed networks (issue 8 targets): LipSDP-neuron on compnet
 * (57×57 LMI) and on the MNIST LeNet's dense part [256, 120, 84, 10], the network form on compnet (1,275 multipliers),
 * and a 203k-parameter MNIST MLP [784, 256, 10] (random PyTorch-style init; published: LipSDP + MOSEK 46.96 s).
 * Peak memory is the process's maximum resident set size after each task.
 */
import { readFileSync } from 'node:fs';
import {
  affineReluChain,
  createSeededRandom,
  eclipseFast,
  type LipSdpForm,
  lipSdp,
  type NetworkDescription,
  seqLip,
} from '../src/index.js';
import { type BenchRow, formatMs, medianTiming, type Timing } from './benchTiming.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as NetworkDescription;

/** The LeNet's layers after `flatten`: dense 256→120, ReLU, dense 120→84, ReLU, dense 84→10. */
function lenetDensePart(): NetworkDescription {
  const lenet = fixture('mnist-lenet.json');
  const from = lenet.layers.findIndex((l) => l.type === 'flatten') + 1;
  return { format: 'lipkit-network', version: 1, inputShape: [256], layers: lenet.layers.slice(from) };
}

/** A dense ReLU MLP with PyTorch's default init (U(±1/√fan_in) weights and biases), seeded. */
function randomMlp(sizes: number[], seed: number): NetworkDescription {
  const r = createSeededRandom(seed);
  const layers: NetworkDescription['layers'] = [];
  for (let k = 0; k + 1 < sizes.length; k++) {
    const [cols, rows] = [sizes[k]!, sizes[k + 1]!];
    const bound = 1 / Math.sqrt(cols);
    if (k > 0) layers.push({ type: 'relu' });
    layers.push({
      type: 'dense',
      weight: {
        shape: [rows, cols],
        data: Float64Array.from({ length: rows * cols }, () => (2 * r.uniform() - 1) * bound),
      },
      bias: { shape: [rows], data: Float64Array.from({ length: rows }, () => (2 * r.uniform() - 1) * bound) },
    });
  }
  return { format: 'lipkit-network', version: 1, inputShape: [sizes[0]!], layers };
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Wall and CPU time of a single run (no warm-up: for tasks that take minutes). */
function singleTiming(run: () => unknown): Timing {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function lipSdpRow(task: string, net: NetworkDescription, form: LipSdpForm, repeats: number): BenchRow {
  const chain = affineReluChain(net);
  let last = lipSdp(chain, { form });
  const run = () => {
    last = lipSdp(chain, { form });
  };
  const timing = repeats > 1 ? medianTiming(run, repeats) : singleTiming(run);
  const c = last.chunks[0]!;
  return {
    task,
    method: `LipSDP-${form}`,
    timing,
    note: `${last.kind} ${last.value.toPrecision(7)}; LMI ${c.lmiSize}, ${c.variables} variables, ${c.iterations} iterations (${c.status}); max RSS ${maxRssMb().toFixed(0)} MB`,
  };
}

/** The LipSDP benchmark rows (`quick` skips the slow network form and the 203k MLP). */
export function lipSdpBenchmark(quick: boolean): BenchRow[] {
  const compnet = fixture('compnet.json');
  const dense = lenetDensePart();
  const rows: BenchRow[] = [];
  const log = (row: BenchRow) => {
    rows.push(row);
    console.error(
      `${row.task} ${row.method}: ${formatMs(row.timing.wallMs)} wall, ${formatMs(row.timing.cpuMs)} CPU — ${row.note}`,
    );
  };
  log(lipSdpRow('compnet [7,20,30,10]', compnet, 'neuron', 3));
  log(lipSdpRow('compnet [7,20,30,10]', compnet, 'layer', 3));
  log(lipSdpRow('LeNet dense part [256,120,84,10]', dense, 'neuron', 1));
  for (const [task, net] of [
    ['compnet [7,20,30,10]', compnet],
    ['LeNet dense part [256,120,84,10]', dense],
  ] as const) {
    let value = 0;
    log({
      task,
      method: 'ECLipsE-Fast',
      timing: medianTiming(() => (value = eclipseFast(net).value), 3),
      note: `upper bound ${value.toPrecision(7)}`,
    });
    let s = seqLip(net);
    log({
      task,
      method: 'SeqLip (auto)',
      timing: singleTiming(() => (s = seqLip(net))),
      note: `${s.kind} ${s.value.toPrecision(7)}`,
    });
  }
  if (!quick) {
    log(lipSdpRow('compnet [7,20,30,10]', compnet, 'network', 1));
    const mlp = randomMlp([784, 256, 10], 0);
    log(lipSdpRow('MNIST MLP [784,256,10] (203,530 parameters, random init)', mlp, 'neuron', 1));
    let value = 0;
    log({
      task: 'MNIST MLP [784,256,10]',
      method: 'ECLipsE-Fast',
      timing: singleTiming(() => (value = eclipseFast(mlp).value)),
      note: `upper bound ${value.toPrecision(7)}`,
    });
  }
  return rows;
}
