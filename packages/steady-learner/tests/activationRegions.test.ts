import { expect, it } from 'vitest';
import { activationRegions, BiasInputReluMlp, SteadyLearnerError, theorem2Bound } from '../src/index.js';

function handSetNet(c: [number, number]) {
  // d = 2, one hidden layer of width 2 with W2 = I₂, output weights [1, 2].
  return BiasInputReluMlp.fromParams(
    { inputDim: 2, hidden: [2] },
    {
      b1: Float64Array.from([0.3, -0.2]),
      weights: [Float64Array.from([1, 0, 0, 1]), Float64Array.from([1, 2])],
      biases: [Float64Array.from(c), Float64Array.from([0])],
    },
  );
}
const identityEmbed = (u: number, v: number, out: Float64Array) => {
  out[0] = u;
  out[1] = v;
};

it('test 12: region count equals the analytic count; κ = s2 ⊗ s1 ordering; dead layer ⇒ κ = 0', () => {
  // c = 0: four quadrants around (−0.3, 0.2); κ ∈ {all ones, e0, e3, 0}.
  const quad = activationRegions(handSetNet([0, 0]), { resolution: 41, embed: identityEmbed, trainingInputs: [] });
  expect(quad.numRegions).toBe(4);
  // c = (−0.5, 0) adds the line x1 = 0.2, but two of the six cells have κ = 0 and merge: 5 regions.
  const six = activationRegions(handSetNet([-0.5, 0]), { resolution: 61, embed: identityEmbed, trainingInputs: [] });
  expect(six.numRegions).toBe(5);
  const keys = new Set(six.regions.map((r) => Array.from(r.pattern).join('')));
  expect(keys).toEqual(new Set(['0000', '1000', '0001', '0011', '1111']));
  // (x1, x2) = (0, 0.9): s1 = (1, 1), s2 = (0, 1) ⇒ κ[a·2 + c] = s2[a]·s1[c] = [0, 0, 1, 1].
  const G = 61;
  const ix = Math.round(((0 + 1) / 2) * (G - 1));
  const iy = Math.round(((0.9 + 1) / 2) * (G - 1));
  const region = six.regions[six.regionOf[iy * G + ix] as number];
  expect(Array.from(region?.pattern ?? [])).toEqual([0, 0, 1, 1]);
  // Lipschitz there: only unit 2 is active: ∇f = 2·e2 ⇒ λ = 2. No transposition: x2 is the row index.
  expect(region?.lipschitz).toBeCloseTo(2, 12);
  const dead = six.regions.find((r) => r.pattern.every((v) => v === 0));
  expect(dead?.lipschitz).toBe(0);
});

it('test 13: LP with S_T = I, λ_T = [1, 2, 3], κ = [1, 1, 0] ⇒ α = [1, 1, 0], opt 3, k 2; infeasible ⇒ ∞', () => {
  const I = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const res = theorem2Bound(I, [1, 2, 3], [1, 1, 0]);
  expect(res.status).toBe('optimal');
  expect(Array.from(res.alpha).map((a) => Math.round(a * 1e9) / 1e9)).toEqual([1, 1, 0]);
  expect(res.bound).toBeCloseTo(3, 9);
  expect(res.combined).toBe(2);
  const inf = theorem2Bound([[1, 1, 0]], [1], [1, 0, 0]);
  expect(inf.bound).toBe(Number.POSITIVE_INFINITY);
  expect(inf.status).toBe('infeasible');
  // A cheaper combination through a difference: κ = p1 − p2 costs λ1 + λ2.
  const diff = theorem2Bound(
    [
      [1, 1],
      [0, 1],
    ],
    [1, 0.5],
    [1, 0],
  );
  expect(diff.bound).toBeCloseTo(1.5, 9);
  expect(() => theorem2Bound([], [], [1])).toThrow(SteadyLearnerError);
});

it('regions with training points: LP bounds are finite or Infinity, training regions carry their own λ', () => {
  const net = handSetNet([-0.5, 0]);
  const trainingInputs = [0.9, 0.9, 0, 0.9, 0.9, -0.9];
  const map = activationRegions(net, { resolution: 31, embed: identityEmbed, trainingInputs });
  expect(map.numTrainingPatterns).toBe(3);
  for (const r of map.regions) {
    expect(Number.isNaN(r.lpBound)).toBe(false);
    if (r.containsTraining) expect(r.lpBound).toBe(r.lipschitz);
    else expect(r.lpBound >= 0).toBe(true);
  }
  expect(() => activationRegions(net, { resolution: 1, embed: identityEmbed, trainingInputs })).toThrow(/resolution/);
});
