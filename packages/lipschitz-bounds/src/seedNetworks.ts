/**
 * Builders for the seed networks of Avant & Morgansen's experiments (local-Lipschitz spec §7): tiny, compnet, the
 * MNIST LeNet, the CIFAR-10 net, and the AlexNet and VGG16 shapes (torchvision `features` + `classifier`; AlexNet's
 * adaptive average pool is the identity at 224×224 and is left out). Weights come from a description file of the same
 * architecture, or (for shape and speed experiments) from a seeded PyTorch-default initialisation.
 */

import { NetworkDescriptionError } from './lipschitzBoundsError.js';
import type { LayerDescription, NetworkDescription, TensorData } from './networkDescription.js';
import { createSeededRandom } from './seededRandom.js';

/** Names accepted by {@link buildSeedNetwork}. */
export const seedNetworkNames = ['tiny', 'compnet', 'mnist-lenet', 'cifar10', 'alexnet', 'vgg16'] as const;
/** One of {@link seedNetworkNames}. */
export type SeedNetworkName = (typeof seedNetworkNames)[number];

/** A layer of a layout: a description layer whose tensors carry only their shape. */
export type LayoutLayer =
  | { type: 'dense'; out: number; in: number }
  | { type: 'conv2d'; out: number; in: number; kernel: number; stride: number; padding: number }
  | { type: 'maxpool2d'; kernel: number; stride: number }
  | { type: 'relu' | 'flatten' | 'dropout' };

/** The architecture of a seed network without weights. */
export interface SeedNetworkLayout {
  inputShape: number[];
  layers: LayoutLayer[];
}

const relu: LayoutLayer = { type: 'relu' };
const conv = (out: number, inC: number, kernel: number, stride = 1, padding = 0): LayoutLayer => ({
  type: 'conv2d',
  out,
  in: inC,
  kernel,
  stride,
  padding,
});
const pool = (kernel: number, stride: number): LayoutLayer => ({ type: 'maxpool2d', kernel, stride });
const dense = (inN: number, out: number): LayoutLayer => ({ type: 'dense', out, in: inN });

/** The layer list of a seed network (spec §7). */
export function seedNetworkLayout(name: SeedNetworkName): SeedNetworkLayout {
  switch (name) {
    case 'tiny':
      return { inputShape: [3], layers: [dense(3, 3), relu, dense(3, 3)] };
    case 'compnet':
      return { inputShape: [7], layers: [dense(7, 20), relu, dense(20, 30), relu, dense(30, 10)] };
    case 'mnist-lenet':
      return {
        inputShape: [1, 28, 28],
        layers: [
          conv(6, 1, 5),
          relu,
          pool(2, 2),
          conv(16, 6, 5),
          relu,
          pool(2, 2),
          { type: 'flatten' },
          dense(256, 120),
          relu,
          dense(120, 84),
          relu,
          dense(84, 10),
        ],
      };
    case 'cifar10':
      return {
        inputShape: [3, 32, 32],
        layers: [
          conv(32, 3, 3),
          relu,
          conv(32, 32, 3),
          relu,
          pool(2, 2),
          conv(64, 32, 3),
          relu,
          conv(64, 64, 3),
          relu,
          pool(2, 2),
          { type: 'flatten' },
          dense(1600, 512),
          relu,
          dense(512, 10),
        ],
      };
    case 'alexnet':
      return {
        inputShape: [3, 224, 224],
        layers: [
          conv(64, 3, 11, 4, 2),
          relu,
          pool(3, 2),
          conv(192, 64, 5, 1, 2),
          relu,
          pool(3, 2),
          conv(384, 192, 3, 1, 1),
          relu,
          conv(256, 384, 3, 1, 1),
          relu,
          conv(256, 256, 3, 1, 1),
          relu,
          pool(3, 2),
          { type: 'flatten' },
          { type: 'dropout' },
          dense(9216, 4096),
          relu,
          { type: 'dropout' },
          dense(4096, 4096),
          relu,
          dense(4096, 1000),
        ],
      };
    case 'vgg16': {
      const layers: LayoutLayer[] = [];
      let channels = 3;
      for (const v of [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]) {
        if (v === 0) layers.push(pool(2, 2));
        else {
          layers.push(conv(v, channels, 3, 1, 1), relu);
          channels = v;
        }
      }
      layers.push(
        { type: 'flatten' },
        dense(25088, 4096),
        relu,
        { type: 'dropout' },
        dense(4096, 4096),
        relu,
        { type: 'dropout' },
        dense(4096, 1000),
      );
      return { inputShape: [3, 224, 224], layers };
    }
  }
}

/** Number of weights and biases of a layout. */
export function seedNetworkParameterCount(layout: SeedNetworkLayout): number {
  return layout.layers.reduce(
    (n, l) =>
      n +
      (l.type === 'dense' ? l.out * (l.in + 1) : l.type === 'conv2d' ? l.out * (l.in * l.kernel * l.kernel + 1) : 0),
    0,
  );
}

/** Options of {@link buildSeedNetwork}. */
export interface SeedNetworkOptions {
  /**
   * A description of the same architecture whose dense/conv weights and biases are taken in order (e.g. the
   * fixtures' trained `mnist-lenet.json`). Default: seeded PyTorch-default initialisation (U(±1/√fan_in)).
   */
  weights?: NetworkDescription;
  /** Seed of the default initialisation. Default 0. */
  seed?: number;
}

const TINY_W1 = [3, -1, 2, -2, 7, 1, 5, -3, -1];

/**
 * Builds a seed network as a description (see the file comment). `tiny` always gets its hand-set weights
 * (W1 = [[3,−1,2],[−2,7,1],[5,−3,−1]], b1 = [3,4,2], W2 = I, b2 = 0).
 * @throws NetworkDescriptionError naming the layer when `weights` does not match the architecture
 */
export function buildSeedNetwork(name: SeedNetworkName, options: SeedNetworkOptions = {}): NetworkDescription {
  const layout = seedNetworkLayout(name);
  const donors = options.weights?.layers.filter((l) => l.type === 'dense' || l.type === 'conv2d') ?? null;
  const rng = createSeededRandom(options.seed ?? 0);
  const uniform = (n: number, bound: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rng.uniform() * 2 - 1) * bound;
    return a;
  };
  let param = 0;
  const layers: LayerDescription[] = layout.layers.map((l, index): LayerDescription => {
    if (l.type !== 'dense' && l.type !== 'conv2d') {
      return l.type === 'maxpool2d'
        ? { type: 'maxpool2d', kernel: [l.kernel, l.kernel], stride: [l.stride, l.stride], padding: [0, 0] }
        : { type: l.type };
    }
    const shape = l.type === 'dense' ? [l.out, l.in] : [l.out, l.in, l.kernel, l.kernel];
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    let weight: TensorData;
    let bias: TensorData;
    if (name === 'tiny') {
      weight = { shape, data: param === 0 ? TINY_W1 : [1, 0, 0, 0, 1, 0, 0, 0, 1] };
      bias = { shape: [3], data: param === 0 ? [3, 4, 2] : [0, 0, 0] };
    } else if (donors) {
      const donor = donors[param];
      if (!donor || donor.type !== l.type || donor.weight.shape.join() !== shape.join()) {
        throw new NetworkDescriptionError(
          index,
          'weight.shape',
          `${name} needs a ${l.type} weight of shape ${JSON.stringify(shape)} here; the weights file has ${donor ? `${donor.type} ${JSON.stringify(donor.weight.shape)}` : 'no more dense/conv layers'}`,
        );
      }
      weight = donor.weight;
      bias = donor.bias ?? { shape: [l.out], data: new Float32Array(l.out) };
    } else {
      const bound = 1 / Math.sqrt(fanIn);
      weight = {
        shape,
        data: uniform(
          shape.reduce((a, b) => a * b, 1),
          bound,
        ),
      };
      bias = { shape: [l.out], data: uniform(l.out, bound) };
    }
    param++;
    return l.type === 'dense'
      ? { type: 'dense', weight, bias }
      : {
          type: 'conv2d',
          weight,
          bias,
          stride: [l.stride, l.stride],
          padding: [l.padding, l.padding],
          paddingMode: 'zeros',
        };
  });
  if (donors && donors.length !== param) {
    throw new NetworkDescriptionError(-1, 'weights', `has ${donors.length} dense/conv layers; ${name} has ${param}`);
  }
  return {
    format: 'lipkit-network',
    version: 1,
    inputShape: layout.inputShape,
    layers,
    note: `${name} (lipkit seed network builder${donors ? ', weights from a description' : name === 'tiny' ? '' : `, seeded default init, seed ${options.seed ?? 0}`})`,
  };
}
