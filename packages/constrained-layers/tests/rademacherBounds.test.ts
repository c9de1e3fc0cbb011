import { describe, expect, it } from 'vitest';
import {
  boundNeyshaburFro,
  type CapacityQuantities,
  ConstrainedLayersError,
  capacityPsi,
  generalizationBound,
  hurwitzZeta,
  rademacherBounds,
} from '../src/index.js';

// Two layers with round numbers; the expected values come from an independent SciPy evaluation of the spec §10
// formulas (scipy.special.zeta for ζ and ζ_H), not from this code.
const q: CapacityQuantities = {
  n: 1000,
  numClasses: 3,
  margin: 0.5,
  inputFrobeniusNorm: 50,
  inputMaxAbs: 2.5,
  inputMaxColumnNorm: 7,
  layers: [
    {
      numParams: 108,
      stride: 2,
      kernelSize: 3,
      inputWidth: 8,
      inputChannels: 3,
      lip: 1.5,
      norm22: 2,
      dist22: 0.8,
      dist21: 1.7,
      norm1inf: 3,
      dist1inf: 0.9,
      maxFilterNorm: 1.1,
      filterDist21: 1.2,
      inputPatchNorm: 4,
    },
    {
      numParams: 12,
      stride: 1,
      kernelSize: 1,
      inputWidth: 4,
      inputChannels: 4,
      lip: 0.9,
      norm22: 1.3,
      dist22: 0.5,
      dist21: 0.6,
      norm1inf: 1.4,
      dist1inf: 0.3,
      maxFilterNorm: 0.8,
      filterDist21: 0.55,
      inputPatchNorm: 3,
    },
  ],
};

const expected = {
  oursNorms: 261.1769274029528,
  oursParams: 19.323701378774288,
  bartlett: 1173.5065231988592,
  lin: 19.38116918368628,
  neyshabur1inf: 9.719691413048192,
  golowich1inf: 0.5069005357972839,
  gouk1inf: 21.546855571769115,
  neyshaburFro: 8.824692629208114,
  golowichFro: 16.63028154724807,
  goukFro: 126.53251585264559,
  ledentFixedConstraints: 295828.928695937,
  ledentMain: 58142.122667738324,
};

describe('rademacherBounds', () => {
  it('matches an independent evaluation of all 12 formulas', () => {
    const got = rademacherBounds(q);
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(expected)) {
      expect(got[name as keyof typeof got], name).toBeCloseTo(value, 8 - Math.ceil(Math.log10(value)));
    }
  });

  it('neyshaburFro by hand for one layer', () => {
    // 2^0 · κ · (‖X‖/√(2n)) · (norm22·d/t) / √n = 2 · (10/√8) · (3·4/2) / 2 = 60/√8
    const one: CapacityQuantities = {
      ...q,
      n: 4,
      numClasses: 2,
      inputFrobeniusNorm: 10,
      layers: [{ ...(q.layers[0] as CapacityQuantities['layers'][number]), norm22: 3, inputWidth: 4, stride: 2 }],
    };
    expect(boundNeyshaburFro(one)).toBeCloseTo(60 / Math.sqrt(8), 12);
  });

  it('rejects a non-positive margin with a typed error naming it', () => {
    expect(() => rademacherBounds({ ...q, margin: -0.1 })).toThrowError(ConstrainedLayersError);
    try {
      rademacherBounds({ ...q, margin: 0 });
    } catch (e) {
      expect((e as ConstrainedLayersError).argument).toBe('margin');
    }
  });
});

describe('hurwitzZeta and ψ', () => {
  it('ζ(3/2) and ζ_H(3/2, 2.3) match SciPy', () => {
    expect(hurwitzZeta(1.5, 1)).toBeCloseTo(2.612375348685488, 13);
    expect(hurwitzZeta(1.5, 2.3)).toBeCloseTo(1.4772954621063163, 13);
    // ζ(2) = π²/6 (closed form)
    expect(hurwitzZeta(2, 1)).toBeCloseTo(Math.PI ** 2 / 6, 13);
  });
  it('ψ tends to ζ(3/2)^{4/3} ≈ 3.598', () => {
    expect(capacityPsi(1e6)).toBeCloseTo(3.597886310196301, 10);
  });
  it('ψ(0) = 0 (ζ_H(3/2, ∞) = 0: a layer that has not moved adds nothing)', () => {
    expect(capacityPsi(0)).toBe(0);
  });
  it('rejects s <= 1', () => {
    expect(() => hurwitzZeta(1, 1)).toThrowError(/s: got 1/);
  });
});

describe('generalizationBound (spec §7.2)', () => {
  it('matches the formula by hand', () => {
    // √R = 2·2·3·√(ln(2·10²))/0.5 ; bound = 2(4/100^{1.5} + 18 ln(100)/100 · √R)
    const sqrtR = (2 * 2 * 3 * Math.sqrt(Math.log(200))) / 0.5;
    const want = 2 * (4 / 1000 + ((18 * Math.log(100)) / 100) * sqrtR);
    expect(
      generalizationBound({ spectralComplexity: 2, dataNorm: 3, maxLayerParams: 10, n: 100, margin: 0.5 }),
    ).toBeCloseTo(want, 12);
  });
  it('rejects NaN', () => {
    expect(() =>
      generalizationBound({ spectralComplexity: Number.NaN, dataNorm: 3, maxLayerParams: 10, n: 100, margin: 0.5 }),
    ).toThrowError(/spectralComplexity/);
  });
});
