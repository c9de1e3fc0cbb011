import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  affineReluChain,
  exactReluLipschitz,
  type LipSdpForm,
  LipschitzBoundsError,
  lipSdp,
  lipSdpSlack,
  type NetworkDescription,
  sampledJacobianLowerBound,
  singularValues,
  symmetricEigen,
} from '../src/index.js';
import { chainToDescription, randomReluChain } from './randomReluChain.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

describe('lipSdp', () => {
  it('on a single affine layer solves L² I − WᵀW ⪰ 0 and returns the spectral norm', () => {
    for (const seed of [1, 2, 3]) {
      const chain = randomReluChain([5, 3 + seed], seed);
      const res = lipSdp(chain);
      expect(res.chunks[0]!.method).toBe('sdp');
      expect(res.kind).toBe('upper bound');
      const sigma = singularValues(chain.weights[0]!)[0]!;
      expect(res.value).toBeGreaterThanOrEqual(sigma);
      expect(res.value).toBeCloseTo(sigma, 6);
    }
  });

  it('neuron and layer forms are certified upper bounds ≥ the exact constant ≥ the sampled lower bound (random tiny nets)', () => {
    for (let seed = 0; seed < 15; seed++) {
      const chain = randomReluChain([2 + (seed % 2), 4, 4, 2], seed);
      const exact = exactReluLipschitz(chain).value;
      const lower = sampledJacobianLowerBound(chain, { samples: 300, scale: 3, seed }).value;
      expect(exact).toBeGreaterThanOrEqual(lower * (1 - 1e-12));
      for (const form of ['neuron', 'layer'] as const) {
        const res = lipSdp(chain, { form });
        expect(res.kind).toBe('upper bound');
        expect(res.chunks.every((c) => c.certified && c.lmiMinEigenvalue > 0)).toBe(true);
        expect(res.value).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
      }
      const split = lipSdp(chain, { split: true, splitSize: 2 });
      expect(split.kind).toBe('upper bound');
      expect(split.value).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
    }
  });

  it('finds that the coupled network form can fall below the exact constant (Pauli et al. 2021) and labels it an estimate', () => {
    let below = 0;
    for (let seed = 0; seed < 10; seed++) {
      const chain = randomReluChain([2, 4, 4, 2], seed);
      const exact = exactReluLipschitz(chain).value;
      const res = lipSdp(chain, { form: 'network' });
      expect(res.kind).toBe('estimate');
      expect(res.reason).toMatch(/Pauli/);
      if (res.value < exact * (1 - 1e-6)) below++;
    }
    // Seed 0: network 5.650 < exact 6.353 (neuron 6.601).
    expect(below).toBeGreaterThan(0);
  });

  it('wider slope bounds [α, β] ⊇ [0, 1] give larger (still valid) bounds; splitting gives larger bounds', () => {
    const chain = randomReluChain([3, 5, 4, 2], 7);
    const base = lipSdp(chain).value;
    const wide = lipSdp(chain, { alpha: -0.5, beta: 1.5 });
    expect(wide.kind).toBe('upper bound');
    expect(wide.value).toBeGreaterThan(base);
    const split1 = lipSdp(chain, { split: true, splitSize: 1 });
    const product = chain.weights.reduce((p, w) => p * singularValues(w)[0]!, 1);
    expect(split1.value).toBeCloseTo(product, 10);
    expect(split1.chunks.every((c) => c.method === 'spectral-norm')).toBe(true);
    expect(base).toBeLessThanOrEqual(product * (1 + 1e-9));
  });

  it('on compnet: neuron ≤ layer ≤ product, all ≥ the sampled lower bound, LMI certified by float64 eigenvalues', () => {
    const net = fixture('compnet.json') as NetworkDescription;
    const chain = affineReluChain(net);
    const product = chain.weights.reduce((p, w) => p * singularValues(w)[0]!, 1);
    const lower = sampledJacobianLowerBound(chain, { samples: 2000 }).value;
    const neuron = lipSdp(net, { form: 'neuron' });
    const layer = lipSdp(net, { form: 'layer' });
    expect(neuron.value).toBeLessThanOrEqual(layer.value);
    expect(layer.value).toBeLessThanOrEqual(product);
    expect(neuron.value).toBeGreaterThan(lower);
    expect(neuron.chunks[0]!.lmiSize).toBe(57);
    expect(neuron.chunks[0]!.variables).toBe(51);
    expect(neuron.chunks[0]!.iterations).toBeLessThan(40);
    // The multipliers matter: with T = 0 the slack at the same L² has a negative eigenvalue (−W_ℓᵀW_ℓ block).
    const slack = lipSdpSlack(chain.weights, neuron.value ** 2, new Float64Array(50 * 50));
    expect(symmetricEigen(slack.matrix, slack.size, { vectors: false }).values[0]).toBeLessThan(0);
  });

  it('the exact input reduction of a wide first layer (Cholesky factor of W₀W₀ᵀ, SVD when singular) keeps the value', () => {
    // Zero input columns make n_0 > n_1, which triggers the reduction, without changing the network's constant.
    const padded = (chain: ReturnType<typeof randomReluChain>, extra: number) => {
      const w = chain.weights[0]!;
      const cols = w.cols + extra;
      const data = new Float64Array(w.rows * cols);
      for (let i = 0; i < w.rows; i++) data.set(w.data.subarray(i * w.cols, (i + 1) * w.cols), i * cols);
      return {
        ...chain,
        weights: [{ rows: w.rows, cols, data }, ...chain.weights.slice(1)],
        sizes: [cols, ...chain.sizes.slice(1)],
      };
    };
    const fullRank = randomReluChain([2, 2, 3, 2], 5);
    // A dead first neuron (zero row) makes W₀W₀ᵀ singular: the Cholesky factorisation fails and the SVD is used.
    const singular = randomReluChain([2, 3, 3, 2], 6);
    singular.weights[0]!.data.fill(0, 0, 2);
    for (const chain of [fullRank, singular]) {
      const direct = lipSdp(chain);
      const reduced = lipSdp(padded(chain, 2));
      expect(direct.kind).toBe('upper bound');
      expect(reduced.kind).toBe('upper bound');
      // The reduced LMI has n_1 input rows: n_1 + (n_1 + n_2).
      expect(reduced.chunks[0]!.lmiSize).toBe(2 * chain.sizes[1]! + chain.sizes[2]!);
      expect(Math.abs(reduced.value - direct.value)).toBeLessThan(1e-6 * direct.value);
    }
  });

  it('network-rand and network-dec-vars use the requested number of pairs and are estimates', () => {
    const chain = randomReluChain([2, 5, 5, 1], 4);
    const rand = lipSdp(chain, { form: 'network-rand', numRandomPairs: 7, seed: 3 });
    expect(rand.chunks[0]!.variables).toBe(1 + 10 + 7);
    expect(rand.kind).toBe('estimate');
    const dec = lipSdp(chain, { form: 'network-dec-vars', numDecisionVars: 5 });
    expect(dec.chunks[0]!.variables).toBe(1 + 10 + 5); // C(10,2) = 45, stride 9 → 5 pairs
    const full = lipSdp(chain, { form: 'network' });
    expect(full.chunks[0]!.variables).toBe(1 + 10 + 45);
    expect(full.value).toBeLessThanOrEqual(rand.value * (1 + 1e-6));
  });

  it('rejects bad input with typed errors', () => {
    const chain = randomReluChain([2, 3, 1], 1);
    const expectArg = (fn: () => unknown, argument: string) => {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(LipschitzBoundsError);
        expect((e as LipschitzBoundsError).argument).toBe(argument);
      }
    };
    expectArg(() => lipSdp(chain, { split: true, splitSize: 0 }), 'splitSize');
    expectArg(() => lipSdp(chain, { alpha: 1, beta: 0 }), 'beta');
    expectArg(() => lipSdp(chain, { form: 'full' as LipSdpForm }), 'form');
    expectArg(() => lipSdp(fixture('mnist-lenet.json')), 'net');
    const relu = chainToDescription(chain);
    relu.layers.push({ type: 'relu' });
    expectArg(() => lipSdp(relu), 'net');
  });
});
