/** Test helpers: load the seed fixtures and build small random networks. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type LayerDescription,
  type NetworkDescription,
  parseInputTensor,
  prepareNetwork,
  type SeededRandom,
} from '../src/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixtureJson(name: string): unknown {
  return JSON.parse(readFileSync(`${fixtures}${name}`, 'utf8'));
}

export function fixtureNetwork(name: string) {
  return prepareNetwork(fixtureJson(`${name}.json`));
}

export function fixtureInput(name: string): Float64Array {
  return parseInputTensor(fixtureJson(`${name}.json`)).data;
}

export function randomArray(rng: SeededRandom, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
}

/** A random dense ReLU network in → hidden… → out. */
export function randomDenseNetwork(rng: SeededRandom, sizes: number[]): NetworkDescription {
  const layers: LayerDescription[] = [];
  for (let k = 0; k + 1 < sizes.length; k++) {
    const [i, o] = [sizes[k] as number, sizes[k + 1] as number];
    layers.push({
      type: 'dense',
      weight: { shape: [o, i], data: randomArray(rng, o * i) },
      bias: { shape: [o], data: randomArray(rng, o) },
    });
    if (k + 2 < sizes.length) layers.push({ type: 'relu' });
  }
  return { format: 'lipkit-network', version: 1, inputShape: [sizes[0] as number], layers };
}

/** A small network using every layer type: conv (zeros, circular, stride 2), avg-pool, batchnorm, max-pool, add. */
export function randomMixedNetwork(rng: SeededRandom): NetworkDescription {
  const conv = (
    cout: number,
    cin: number,
    k: number,
    stride: number,
    pad: number,
    mode: 'zeros' | 'circular',
  ): LayerDescription => ({
    type: 'conv2d',
    weight: { shape: [cout, cin, k, k], data: randomArray(rng, cout * cin * k * k, 0.6) },
    bias: { shape: [cout], data: randomArray(rng, cout, 0.3) },
    stride: [stride, stride],
    padding: [pad, pad],
    paddingMode: mode,
  });
  return {
    format: 'lipkit-network',
    version: 1,
    inputShape: [2, 6, 6],
    layers: [
      conv(3, 2, 3, 1, 1, 'circular'), // 0: 3×6×6
      { type: 'relu' }, // 1
      conv(3, 3, 3, 1, 1, 'zeros'), // 2
      {
        type: 'batchnorm',
        scale: { shape: [3], data: randomArray(rng, 3, 1.5) },
        shift: { shape: [3], data: randomArray(rng, 3) },
      }, // 3
      { type: 'add', from: 1 }, // 4
      { type: 'relu' }, // 5
      { type: 'avgpool2d', kernel: [3, 3], stride: [1, 1], padding: [1, 1] }, // 6: 3×6×6
      conv(4, 3, 2, 2, 0, 'zeros'), // 7: 4×3×3
      { type: 'relu' }, // 8
      { type: 'maxpool2d', kernel: [2, 2], stride: [1, 1], padding: [0, 0] }, // 9: 4×2×2
      { type: 'flatten' }, // 10
      { type: 'dropout' }, // 11
      {
        type: 'dense',
        weight: { shape: [3, 16], data: randomArray(rng, 48) },
        bias: { shape: [3], data: randomArray(rng, 3) },
      },
    ],
  };
}
