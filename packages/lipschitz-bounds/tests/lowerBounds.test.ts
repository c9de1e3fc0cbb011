import { describe, expect, it } from 'vitest';
import {
  ascentLowerBound,
  createSeededRandom,
  localLipschitzBound,
  prepareNetwork,
  randomLowerBound,
  repoAscentLowerBoundCurve,
} from '../src/index.js';
import { fixtureInput, fixtureNetwork, randomDenseNetwork, randomMixedNetwork } from './fixtureNetworks.js';

describe('lower bounds never exceed the certified local upper bound', () => {
  it('holds on 200 random small networks and inputs (random sampling and ratio ascent)', () => {
    const rng = createSeededRandom(2024);
    for (let trial = 0; trial < 200; trial++) {
      const mixed = trial % 10 === 0;
      const sizes = [
        1 + Math.floor(rng.uniform() * 4),
        2 + Math.floor(rng.uniform() * 6),
        2 + Math.floor(rng.uniform() * 6),
        1 + Math.floor(rng.uniform() * 3),
      ];
      const net = prepareNetwork(mixed ? randomMixedNetwork(rng) : randomDenseNetwork(rng, sizes));
      const n = net.sizes[0] as number;
      const x0 = Float64Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * 2);
      const eps = 10 ** (rng.uniform() * 4 - 3);
      const upper = localLipschitzBound(net, x0, eps, { mode: 'certified' });
      expect(upper.kind).toBe('upper bound');
      const random = randomLowerBound(net, x0, eps, { samples: mixed ? 100 : 200, seed: trial });
      const ascent = ascentLowerBound(net, x0, eps, { steps: mixed ? 10 : 30, restarts: 2, seed: trial });
      expect(random.value).toBeLessThanOrEqual(upper.value * (1 + 1e-9));
      expect(ascent.value).toBeLessThanOrEqual(upper.value * (1 + 1e-9));
      expect(random.kind).toBe('lower bound');
    }
  });
});

describe('tiny network', () => {
  const net = fixtureNetwork('tiny');
  const x0 = fixtureInput('tiny-x0');
  it('ratio ascent nearly attains the upper bound where the network is linear on the ball', () => {
    // For eps ≤ 1.81 no ReLU switches, so L(x0, eps) = ‖W2 R W1‖ = 7.538264 exactly.
    const ascent = ascentLowerBound(net, x0, 0.5, { steps: 200 });
    expect(ascent.value).toBeGreaterThan(7.538264 * 0.999);
    expect(ascent.value).toBeLessThanOrEqual(7.538264 * (1 + 1e-6));
    const random = randomLowerBound(net, x0, 0.5, { samples: 2000 });
    expect(random.value).toBeLessThanOrEqual(ascent.value * (1 + 1e-9));
    expect(random.value).toBeGreaterThan(7);
  });
  it("the original's logit-0 ascent is a non-decreasing step curve of valid lower bounds (spec pitfall 9)", () => {
    // One step moves x by 1e-4·‖∇y_0‖ = 1e-4·‖[3, −1, 2]‖ ≈ 3.7e-4: below that no iterate qualifies.
    const curve = repoAscentLowerBoundCurve(net, x0, [1e-5, 0.01, 1, 10], { stepSize: 1e-4 });
    expect(curve[0]?.value).toBe(0);
    expect(curve[1]?.value).toBeGreaterThan(0);
    for (let i = 1; i < curve.length; i++)
      expect(curve[i]?.value).toBeGreaterThanOrEqual(curve[i - 1]?.value as number);
    for (const point of curve) {
      expect(point.value).toBeLessThanOrEqual(localLipschitzBound(net, x0, point.eps, { mode: 'certified' }).value);
    }
  });
});
