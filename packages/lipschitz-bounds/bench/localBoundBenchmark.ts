import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type BoundMode, localLipschitzBound, networkForward, parseInputTensor, prepareNetwork } from '../src/index.js';
import { type BenchRow, medianMs } from './benchTiming.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function readJson(path: string): unknown {
  const bytes = readFileSync(path);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
}

/** The CIFAR-10 net is 11 MB, so it is not in fixtures/: `LIPKIT_CIFAR10_NET` or the shared fixtures path. */
function cifarPath(): string | null {
  for (const p of [process.env.LIPKIT_CIFAR10_NET, '/work/shared/fixtures/networks/cifar10-net.json']) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

/**
 * Local bound at one input and one ε (spec §11: the original takes 0.345 s median per MNIST local bound on this
 * machine with torch 1.13 on 2 threads; target ≤ 0.17 s in `converged` mode).
 */
export function localBoundBenchmark(quick: boolean): BenchRow[] {
  const rows: BenchRow[] = [];
  const cases: { name: string; net: string; x0: string; eps: number; repeats: number }[] = [
    {
      name: 'MNIST LeNet, image 8',
      net: `${fixtures}mnist-lenet.json`,
      x0: `${fixtures}mnist-8-x0.json`,
      eps: 1,
      repeats: quick ? 3 : 11,
    },
  ];
  const cifar = cifarPath();
  if (cifar)
    cases.push({
      name: 'CIFAR-10 net, dog4',
      net: cifar,
      x0: `${fixtures}cifar10-dog4-x0.json`,
      eps: 0.5,
      repeats: quick ? 1 : 3,
    });
  for (const c of cases) {
    const net = prepareNetwork(readJson(c.net));
    const x0 = parseInputTensor(readJson(c.x0)).data;
    for (const mode of ['repo', 'converged', 'certified'] as BoundMode[]) {
      let value = 0;
      let methods = '';
      const cpu0 = process.cpuUsage();
      const ms = medianMs(() => {
        const b = localLipschitzBound(net, x0, c.eps, { mode, activations: networkForward(net, x0) });
        value = b.value;
        methods = [
          ...new Set(b.layers.filter((l) => l.type === 'conv2d' || l.type === 'dense').map((l) => l.method)),
        ].join('+');
      }, c.repeats);
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000 / (c.repeats + 1);
      rows.push({
        task: `local bound, ${c.name}, ε = ${c.eps}`,
        method: mode,
        medianMs: ms,
        note: `${value.toPrecision(7)} (${mode === 'certified' ? 'upper bound' : 'estimate'}; ${methods}); CPU ${cpuMs.toFixed(0)} ms/run${c.name.startsWith('MNIST') && mode === 'converged' ? '; original 345 ms, target ≤ 170 ms' : ''}`,
      });
    }
  }
  return rows;
}
