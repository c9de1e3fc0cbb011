import { describe, expect, it } from 'vitest';
import {
  buildSeedNetwork,
  type NetworkDescription,
  NetworkDescriptionError,
  networkOutput,
  prepareNetwork,
  seedNetworkLayout,
  seedNetworkParameterCount,
  validateNetworkDescription,
} from '../src/index.js';
import { fixtureInput, fixtureJson } from './fixtureNetworks.js';

describe('seed network builders', () => {
  it('rebuild tiny, compnet and the MNIST LeNet from their description files', () => {
    const tiny = buildSeedNetwork('tiny');
    expect(tiny.layers).toEqual((fixtureJson('tiny.json') as NetworkDescription).layers);
    for (const name of ['compnet', 'mnist-lenet'] as const) {
      const file = fixtureJson(`${name}.json`) as NetworkDescription;
      const built = prepareNetwork(buildSeedNetwork(name, { weights: file }));
      const x = name === 'compnet' ? new Float64Array(7).fill(0.3) : fixtureInput('mnist-8-x0');
      expect(Array.from(networkOutput(built, x))).toEqual(Array.from(networkOutput(prepareNetwork(file), x)));
    }
  });

  it('have the torchvision parameter counts and shapes for AlexNet and VGG16', () => {
    expect(seedNetworkParameterCount(seedNetworkLayout('alexnet'))).toBe(61_100_840);
    expect(seedNetworkParameterCount(seedNetworkLayout('vgg16'))).toBe(138_357_544);
    expect(seedNetworkParameterCount(seedNetworkLayout('cifar10'))).toBe(890_410);
    const { shapes } = validateNetworkDescription(buildSeedNetwork('cifar10', { seed: 1 }));
    expect(shapes.at(-1)).toEqual([10]);
    expect(shapes[11]).toEqual([1600]);
  });

  it('rejects a weights file of another architecture, naming the layer', () => {
    const lenet = fixtureJson('mnist-lenet.json') as NetworkDescription;
    expect(() => buildSeedNetwork('cifar10', { weights: lenet })).toThrow(NetworkDescriptionError);
    expect(() => buildSeedNetwork('cifar10', { weights: lenet })).toThrow(
      /layers\[0\]\.weight\.shape: cifar10 needs a conv2d weight of shape \[32,3,3,3\]/,
    );
  });
});
