import { describe, expect, it } from 'vitest';
import {
  argmaxOf,
  carliniWagnerAttack,
  certifiedRadius,
  createSeededRandom,
  distance,
  fgsmMinimalPerturbation,
  globalCertifiedRadius,
  globalLipschitzBound,
  iterativeFgsmAttack,
  localLipschitzBound,
  logitGap,
  networkOutput,
  prepareNetwork,
} from '../src/index.js';
import { fixtureInput, fixtureNetwork, randomDenseNetwork } from './fixtureNetworks.js';

describe('Prop 6 (spec §10.5)', () => {
  it('every y with another argmax is at least δ/√2 from y0, and the bound is nearly attained', () => {
    const rng = createSeededRandom(6);
    for (let trial = 0; trial < 20; trial++) {
      const y0 = [rng.uniform(), rng.uniform(), rng.uniform()];
      const gap = logitGap(y0);
      const cls = argmaxOf(y0);
      let closest = Number.POSITIVE_INFINITY;
      for (let s = 0; s < 20000; s++) {
        const y = [rng.uniform(), rng.uniform(), rng.uniform()];
        if (argmaxOf(y) !== cls) closest = Math.min(closest, distance(y, y0));
      }
      expect(closest).toBeGreaterThanOrEqual(gap / Math.SQRT2);
      expect(closest).toBeLessThan(gap / Math.SQRT2 + 0.05);
    }
  });
  it('uses δ/(√2·G) for the global radius, not the original (δ + √2)/G (pitfall 7)', () => {
    expect(globalCertifiedRadius(2, 4)).toBeCloseTo(2 / (Math.SQRT2 * 4), 15);
    expect(() => globalCertifiedRadius(1, 0)).toThrow(/globalBound/);
  });
});

describe('certifiedRadius', () => {
  it('is certified, no attack beats it, and it lies above the global radius (random dense networks)', () => {
    const rng = createSeededRandom(8);
    for (let trial = 0; trial < 10; trial++) {
      const net = prepareNetwork(randomDenseNetwork(rng, [4, 8, 8, 3]));
      const x0 = Float64Array.from({ length: 4 }, () => rng.uniform() * 2 - 1);
      const r = certifiedRadius(net, x0);
      expect(r.kind).toBe('certified lower bound');
      const gap = logitGap(networkOutput(net, x0));
      expect(r.radius * localLipschitzBound(net, x0, r.radius, { mode: 'certified' }).value).toBeLessThan(
        gap / Math.SQRT2,
      );
      expect(r.failedAt).toBeLessThanOrEqual(r.radius * 1.001 + 1e-15);
      const global = globalCertifiedRadius(gap, globalLipschitzBound(net).value);
      expect(r.radius).toBeGreaterThanOrEqual(global * 0.999);
      const cw = carliniWagnerAttack(net, x0, { maxIterations: 300, binarySearchSteps: 5, learningRate: 0.05 });
      const fgsm = fgsmMinimalPerturbation(net, x0);
      const ifgsm = iterativeFgsmAttack(net, x0, { stepSize: 1e-3, maxSteps: 3000 });
      for (const attack of [cw, fgsm, ifgsm]) {
        if (attack.success) {
          expect(attack.perturbationNorm).toBeGreaterThanOrEqual(r.radius);
          expect(argmaxOf(networkOutput(net, attack.x))).not.toBe(argmaxOf(networkOutput(net, x0)));
        }
      }
    }
  });

  it('MNIST "8": close to the original local radius 0.052240 and below the attacks', () => {
    const net = fixtureNetwork('mnist-lenet');
    const x0 = fixtureInput('mnist-8-x0');
    const r = certifiedRadius(net, x0, { mode: 'converged', relativeTolerance: 1e-3 });
    expect(r.radius).toBeGreaterThan(0.05224 * 0.97);
    expect(r.radius).toBeLessThan(0.05224 * 1.03);
    const ifgsm = iterativeFgsmAttack(net, x0, { stepSize: 2e-3, maxSteps: 2000 });
    expect(ifgsm.success).toBe(true);
    expect(ifgsm.perturbationNorm).toBeGreaterThan(r.radius);
  });
});
