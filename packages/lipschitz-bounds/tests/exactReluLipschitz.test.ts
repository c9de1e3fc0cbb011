import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  exactReluLipschitz,
  LipschitzBoundsError,
  type NetworkDescription,
  reluChainJacobian,
  sampledJacobianLowerBound,
  singularValues,
} from '../src/index.js';
import { chainToDescription, randomReluChain } from './randomReluChain.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

describe('exactReluLipschitz', () => {
  it('gives the spec §11 values on the tiny net: global = σ_max(W1) = 9.10111416, local near x0 = 7.538264', () => {
    const tiny = fixture('tiny.json') as NetworkDescription;
    const global = exactReluLipschitz(tiny);
    expect(global.value).toBeCloseTo(9.10111416, 7);
    expect(global.kind).toBe('exact');
    // Around the spec's x0 only two regions meet a unit ball; the spec's local bound for small ε is 7.538264.
    const x0 = fixture('tiny-x0.json') as { data: number[] };
    const local = exactReluLipschitz(tiny, { ball: { center: x0.data, radius: 1 } });
    expect(local.value).toBeCloseTo(7.538264, 5);
    expect(local.value).toBeLessThanOrEqual(global.value);
  });

  it('matches a brute-force maximum of ‖J‖ over a dense grid in 1-D and 2-D inputs', () => {
    for (let seed = 0; seed < 6; seed++) {
      const chain = randomReluChain([seed % 2 === 0 ? 1 : 2, 3, 3, 2], seed);
      const exact = exactReluLipschitz(chain).value;
      let grid = 0;
      const n0 = chain.sizes[0]!;
      const steps = n0 === 1 ? 20001 : 251;
      for (let a = 0; a < steps; a++) {
        for (let b = 0; b < (n0 === 1 ? 1 : steps); b++) {
          const x =
            n0 === 1 ? [-20 + (40 * a) / (steps - 1)] : [-20 + (40 * a) / (steps - 1), -20 + (40 * b) / (steps - 1)];
          const j = reluChainJacobian(chain, x);
          if (j) grid = Math.max(grid, singularValues({ rows: 2, cols: n0, data: j })[0]!);
        }
      }
      // Every region of these nets reaches the [−20, 20]^n box generously, so the grid sees them all.
      expect(exact).toBeGreaterThanOrEqual(grid * (1 - 1e-12));
      expect(exact).toBeCloseTo(grid, 9);
    }
  });

  it('is ≥ the sampled Jacobian lower bound, globally and on balls, for random tiny nets', () => {
    for (let seed = 0; seed < 12; seed++) {
      const chain = randomReluChain([2 + (seed % 2), 4, 3, 2], 100 + seed);
      const exact = exactReluLipschitz(chain);
      const lb = sampledJacobianLowerBound(chain, { samples: 500, scale: 3, seed });
      expect(lb.kind).toBe('lower bound');
      expect(exact.value).toBeGreaterThanOrEqual(lb.value * (1 - 1e-12));
      const center = Array.from({ length: chain.sizes[0]! }, (_, i) => (i - 0.5) * 0.7);
      const local = exactReluLipschitz(chain, { ball: { center, radius: 0.8 } });
      const llb = sampledJacobianLowerBound(chain, { samples: 300, seed, ball: { center, radius: 0.8 } });
      expect(local.value).toBeGreaterThanOrEqual(llb.value * (1 - 1e-9));
      expect(local.value).toBeLessThanOrEqual(exact.value * (1 + 1e-12));
    }
  });

  it('rejects networks it cannot handle with typed errors', () => {
    const big = chainToDescription(randomReluChain([2, 30, 30, 1], 1));
    expect(() => exactReluLipschitz(big)).toThrow(LipschitzBoundsError);
    expect(() => exactReluLipschitz(big)).toThrow(/at most 40 hidden neurons/);
    const lenet = fixture('mnist-lenet.json');
    try {
      exactReluLipschitz(lenet);
      expect.unreachable();
    } catch (e) {
      expect((e as LipschitzBoundsError).argument).toBe('net');
      expect(String(e)).toMatch(/maxpool2d/);
    }
    const small = randomReluChain([2, 3, 1], 2);
    expect(() => exactReluLipschitz(small, { ball: { center: [0, 0], radius: 0 } })).toThrow(/ball.radius/);
    expect(() => exactReluLipschitz(small, { ball: { center: [0], radius: 1 } })).toThrow(/ball.center/);
    expect(() => exactReluLipschitz(randomReluChain([2, 8, 8, 1], 3), { maxProblems: 5 })).toThrow(/maxProblems/);
  });
});
