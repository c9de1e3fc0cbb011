import { corruptTrainLabels } from '@lipkit/datasets';
import { expect, it } from 'vitest';
import { deriveSeed } from '../src/index.js';
import { syntheticTwoClassImages } from './support/syntheticImages.js';

it('test 9: corruption as the sweep applies it (seed derived from --seed): p = 0 no-op, p/2 changed, test untouched', () => {
  const data = syntheticTwoClassImages(2, 1, 4000, 50);
  const seed = deriveSeed(7, 'corruption');
  expect(corruptTrainLabels(data, { rate: 0, seed }).changedCount).toBe(0);
  for (const p of [0.4, 1]) {
    const { dataset, changedCount } = corruptTrainLabels(data, { rate: p, seed });
    const n = data.train.count;
    const expected = (n * p) / 2;
    const sd = Math.sqrt(n * (p / 2) * (1 - p / 2));
    expect(Math.abs(changedCount - expected)).toBeLessThan(4 * sd);
    expect(Array.from(dataset.test.labels)).toEqual(Array.from(data.test.labels));
    expect(dataset.train.labels.every((l) => l === 0 || l === 1)).toBe(true);
  }
});

it('deriveSeed gives distinct, deterministic child seeds', () => {
  const labels = ['data', 'init', 'shuffle', 'corruption', 'repeat/0', 'repeat/1'];
  const seeds = labels.map((l) => deriveSeed(0, l));
  expect(new Set(seeds).size).toBe(labels.length);
  expect(deriveSeed(0, 'init')).toBe(seeds[1]);
  expect(deriveSeed(1, 'init')).not.toBe(seeds[1]);
  for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
});
