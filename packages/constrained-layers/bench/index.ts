import { type ConvKernel, convKernel, createSeededRandom } from '@lipkit/lipschitz-bounds';
import { projectConvKernelConstraints } from '../src/index.js';
import { formatMs, medianTiming } from './benchTiming.js';

/**
 * One `project()` (one Dykstra round over [distance ball, spectral ball, support mask]) of every conv of
 * simpleConvnet6 (spec §7.1: 32×32 input, strides; kernel surgery makes the block-5 conv 2×2 on a 2×2 grid, the
 * classifier is a 1×1 conv on 1×1), with PyTorch-init kernels U(±1/√fan_in) moved away from their init.
 */
function simpleConvnet6Layers(
  channels: number,
  seed: number,
): { kernel: ConvKernel; init: ConvKernel; grid: [number, number] }[] {
  const random = createSeededRandom(seed);
  const shapes: [[number, number, number, number], number][] = [
    [[channels, 3, 3, 3], 32],
    [[channels, channels, 3, 3], 16],
    [[channels, channels, 3, 3], 8],
    [[channels, channels, 3, 3], 4],
    [[channels, channels, 2, 2], 2],
    [[10, channels, 1, 1], 1],
  ];
  return shapes.map(([shape, size]) => {
    const count = shape.reduce((a, b) => a * b);
    const bound = 1 / Math.sqrt(shape[1] * shape[2] * shape[3]);
    const init = Float64Array.from({ length: count }, () => (2 * random.uniform() - 1) * bound);
    const kernel = init.map((v) => v + 0.5 * bound * random.normal());
    return { kernel: convKernel(shape, kernel), init: convKernel(shape, init), grid: [size, size] };
  });
}

const rows: string[] = [];
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--channels='))?.slice(11);
for (const channels of only !== undefined ? [Number(only)] : quick ? [64] : [64, 128]) {
  const layers = simpleConvnet6Layers(channels, channels);
  for (const [label, lipCond, distCond, report] of [
    ['lipCond 1.0, distCond 90', 1.0, 90, false],
    ['lipCond 1.0, distCond 90, with report', 1.0, 90, true],
    ['lipCond 0.5, distCond 5', 0.5, 5, false],
  ] as const) {
    const timing = medianTiming(
      () => {
        for (const layer of layers) {
          projectConvKernelConstraints(layer.kernel, layer.init, layer.grid, { lipCond, distCond, report });
        }
      },
      channels === 64 ? 3 : 1,
    );
    const original = channels === 64 ? '1.40 s' : '3.91 s';
    rows.push(
      `| simpleConvnet6, ${channels} ch | ${label} | ${formatMs(timing.wallMs)} | ${formatMs(timing.cpuMs)} | ${original} |`,
    );
  }
}
console.log(`constrained-layers benchmarks — ${new Date().toISOString()} — node ${process.version}`);
console.log('| task | constraints | wall (median) | CPU time | original (PyTorch, wall) |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
