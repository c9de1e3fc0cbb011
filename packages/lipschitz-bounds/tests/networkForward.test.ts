import { describe, expect, it } from 'vitest';
import {
  createSeededRandom,
  networkForward,
  networkOutput,
  networkVectorJacobianProduct,
  prepareNetwork,
} from '../src/index.js';
import { fixtureInput, fixtureNetwork, randomMixedNetwork } from './fixtureNetworks.js';

describe('networkForward', () => {
  it('evaluates tiny by hand', () => {
    const y = networkOutput(fixtureNetwork('tiny'), [1, 0, -1]);
    // W1 x + b1 = [3-2+3, -2-1+4, 5+1+2] = [4, 1, 8], relu, identity.
    expect(Array.from(y)).toEqual([4, 1, 8]);
  });

  it('classifies the MNIST "8" as an 8', () => {
    const y = networkOutput(fixtureNetwork('mnist-lenet'), fixtureInput('mnist-8-x0'));
    expect(y.indexOf(Math.max(...y))).toBe(8);
  });

  it('computes avg-pool with padding counted as PyTorch and residual adds', () => {
    const net = prepareNetwork({
      format: 'lipkit-network',
      version: 1,
      inputShape: [1, 2, 2],
      layers: [{ type: 'avgpool2d', kernel: [2, 2], stride: [1, 1], padding: [1, 1] }, { type: 'flatten' }],
    });
    // 3×3 output; corner windows hold one input → x/4.
    expect(Array.from(networkOutput(net, [4, 8, 12, 16]))).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });
});

describe('networkVectorJacobianProduct', () => {
  it('matches central finite differences on networks with every layer type', () => {
    const rng = createSeededRandom(5);
    for (let trial = 0; trial < 4; trial++) {
      const net = prepareNetwork(randomMixedNetwork(rng));
      const x = Float64Array.from({ length: 72 }, () => rng.uniform() * 2 - 1);
      const u = Float64Array.from({ length: 3 }, () => rng.normal());
      const g = networkVectorJacobianProduct(net, networkForward(net, x), u);
      const h = 1e-6;
      for (let i = 0; i < 72; i += 7) {
        const xp = x.slice();
        const xm = x.slice();
        xp[i] = (xp[i] as number) + h;
        xm[i] = (xm[i] as number) - h;
        const fp = networkOutput(net, xp);
        const fm = networkOutput(net, xm);
        const fd = u.reduce((s, ui, k) => s + ui * ((fp[k] as number) - (fm[k] as number)), 0) / (2 * h);
        expect(g[i]).toBeCloseTo(fd, 5);
      }
    }
  });
});
