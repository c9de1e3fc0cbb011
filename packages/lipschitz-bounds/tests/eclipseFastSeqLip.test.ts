import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  autoLip,
  eclipseFast,
  exactReluLipschitz,
  LipschitzBoundsError,
  lipSdp,
  lipSdpSlack,
  type NetworkDescription,
  sampledJacobianLowerBound,
  seqLip,
  singularValues,
  symmetricEigen,
} from '../src/index.js';
import { randomReluChain } from './randomReluChain.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

describe('eclipseFast', () => {
  it('is an upper bound ≥ the LipSDP-layer optimum ≥ the exact constant on random tiny nets', () => {
    for (let seed = 0; seed < 20; seed++) {
      const chain = randomReluChain([2 + (seed % 3), 4 + (seed % 2), 3, 2], seed);
      const exact = exactReluLipschitz(chain).value;
      const res = eclipseFast(chain);
      expect(res.kind).toBe('upper bound');
      expect(res.value).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
      // ECLipsE-Fast is a feasible point of LipSDP-layer, so it cannot beat the layer optimum.
      expect(res.value).toBeGreaterThanOrEqual(lipSdp(chain, { form: 'layer' }).value * (1 - 1e-6));
    }
  });

  it('its (L², T = (L²/2)·blkdiag(λ_i I)) satisfies the LipSDP LMI, checked independently in float64', () => {
    const chain = randomReluChain([3, 5, 4, 2], 11);
    const res = eclipseFast(chain);
    const widths = [5, 4];
    const nh = 9;
    const t = new Float64Array(nh * nh);
    let o = 0;
    widths.forEach((w, k) => {
      // ECLipsE normalises the LMI by 1/L² and uses Q with m = (α+β)/2 (half of LipSDP's α+β): T = (L²/2) λ_i.
      for (let i = 0; i < w; i++) t[(o + i) * nh + o + i] = (res.value ** 2 / 2) * res.lambdas[k]!;
      o += w;
    });
    const slack = lipSdpSlack(chain.weights, res.value ** 2 * (1 + 1e-9), t);
    const ev = symmetricEigen(slack.matrix, slack.size, { vectors: false }).values;
    expect(ev[0]).toBeGreaterThan(-1e-9 * Math.abs(ev[ev.length - 1]!));
    const smaller = lipSdpSlack(chain.weights, res.value ** 2 * 0.99, t);
    expect(symmetricEigen(smaller.matrix, smaller.size, { vectors: false }).values[0]).toBeLessThan(0);
  });

  it('equals the spectral norm for one affine layer and LipSDP on one hidden layer with W₁ = I scaling', () => {
    const one = randomReluChain([4, 3], 1);
    expect(eclipseFast(one).value).toBeCloseTo(singularValues(one.weights[0]!)[0]!, 10);
    const compnet = fixture('compnet.json') as NetworkDescription;
    const e = eclipseFast(compnet);
    expect(e.value).toBeLessThan(autoLip(compnet));
    expect(e.value).toBeGreaterThan(sampledJacobianLowerBound(compnet, { samples: 500 }).value);
  });

  it('rejects non-feed-forward-ReLU networks', () => {
    expect(() => eclipseFast(fixture('mnist-lenet.json'))).toThrow(LipschitzBoundsError);
    expect(() => eclipseFast(fixture('mnist-lenet.json'))).toThrow(/ECLipsE-Fast needs a feed-forward ReLU network/);
  });
});

describe('seqLip and autoLip', () => {
  it('exact SeqLip is an upper bound ≥ the exact constant; greedy ≤ exact SeqLip; AutoLip ≥ exact SeqLip', () => {
    for (let seed = 0; seed < 20; seed++) {
      const chain = randomReluChain([2 + (seed % 3), 5, 4, 3], 50 + seed);
      const exact = exactReluLipschitz(chain).value;
      const bf = seqLip(chain, { optimisation: 'exact' });
      expect(bf.kind).toBe('upper bound');
      expect(bf.junctions.every((j) => j.method === 'exact')).toBe(true);
      expect(bf.value).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
      const gr = seqLip(chain, { optimisation: 'greedy' });
      expect(gr.kind).toBe('estimate');
      expect(gr.value).toBeLessThanOrEqual(bf.value * (1 + 1e-12));
      expect(bf.value).toBeLessThanOrEqual(autoLip(chain) * (1 + 1e-12));
      expect(bf.autoLip).toBeCloseTo(autoLip(chain), 10);
    }
  });

  it('the brute force visits every pattern: it matches an explicit loop over {0,1}^n', () => {
    const chain = randomReluChain([3, 6, 2], 9);
    const res = seqLip(chain, { optimisation: 'exact' });
    const [w0, w1] = chain.weights as [(typeof chain.weights)[0], (typeof chain.weights)[0]];
    let best = 0;
    for (let p = 0; p < 64; p++) {
      // ‖W1 diag(σ) W0‖ for a single junction (Σ̃ = Σ on both sides: no splitting).
      const m = new Float64Array(2 * 3);
      for (let a = 0; a < 2; a++) {
        for (let b = 0; b < 3; b++) {
          let s = 0;
          for (let t = 0; t < 6; t++) if (p & (1 << t)) s += w1!.data[a * 6 + t]! * w0!.data[t * 3 + b]!;
          m[a * 3 + b] = s;
        }
      }
      best = Math.max(best, singularValues({ rows: 2, cols: 3, data: m })[0]!);
    }
    expect(res.value).toBeCloseTo(best, 10);
  });

  it('on compnet (junction widths 20, 30) falls back to the greedy optimisation and reports an estimate', () => {
    const res = seqLip(fixture('compnet.json'));
    expect(res.junctions.map((j) => j.method)).toEqual(['greedy', 'greedy']);
    expect(res.kind).toBe('estimate');
    expect(res.value).toBeLessThan(res.autoLip);
  });

  it('rejects bad options', () => {
    const chain = randomReluChain([2, 14, 1], 1);
    expect(() => seqLip(chain, { optimisation: 'exact' })).toThrow(/optimisation/);
    expect(() => seqLip(chain, { maxBruteForceWidth: 40 })).toThrow(/maxBruteForceWidth/);
  });
});
