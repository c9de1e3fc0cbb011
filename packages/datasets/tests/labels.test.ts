import { describe, expect, it } from 'vitest';
import { corruptTrainLabels, DatasetError, randomizeLabels } from '../src/index.js';
import { syntheticDataset } from './syntheticDataset.js';

function counts(labels: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

describe('randomizeLabels', () => {
  it('CIFAR-10 style: i.i.d. uniform labels replace train and test, reproducibly', () => {
    const ds = syntheticDataset('cifar10', 5000, 1000, 10);
    const r = randomizeLabels(ds, { seed: 1 });
    expect(r.train.pixels).toBe(ds.train.pixels);
    expect(Array.from(r.train.labels)).toEqual(Array.from(randomizeLabels(ds, { seed: 1 }).train.labels));
    const agree = r.train.labels.filter((l, i) => l === ds.train.labels[i]).length / 5000;
    expect(Math.abs(agree - 0.1)).toBeLessThan(0.03);
    const c = counts(r.train.labels, 10);
    expect(Math.min(...c)).toBeGreaterThan(400);
    expect(c.some((x) => x !== 500)).toBe(true); // not balanced: i.i.d. draws
    expect(Array.from(r.test.labels)).not.toEqual(Array.from(ds.test.labels));
    expect(ds.train.labels[3]).toBe(3); // input untouched
  });

  it('CIFAR-100 style: a permutation of the true labels keeps the class counts exactly', () => {
    const ds = syntheticDataset('cifar100', 1000, 200, 100);
    const r = randomizeLabels(ds, { seed: 9 });
    expect(counts(r.train.labels, 100)).toEqual(counts(ds.train.labels, 100));
    expect(counts(r.test.labels, 100)).toEqual(counts(ds.test.labels, 100));
    expect(Array.from(r.train.labels)).not.toEqual(Array.from(ds.train.labels));
  });

  it('rejects a non-integer seed and an unknown mode', () => {
    const ds = syntheticDataset('cifar10', 10, 10, 10);
    expect(() => randomizeLabels(ds, { seed: 0.5 })).toThrow(DatasetError);
    expect(() => randomizeLabels(ds, { seed: 1, mode: 'other' as 'uniform' })).toThrow(
      /^mode: .*allowed: uniform, permutation/,
    );
  });
});

describe('corruptTrainLabels', () => {
  const ds = syntheticDataset('cifar10-binary', 20_000, 100, 2);

  it('rate 0 changes nothing and rate 1 redraws every label (about half change with 2 classes)', () => {
    expect(corruptTrainLabels(ds, { rate: 0 }).changedCount).toBe(0);
    const all = corruptTrainLabels(ds, { rate: 1 });
    expect(Math.abs(all.changedCount / 20_000 - 0.5)).toBeLessThan(0.02);
  });

  it('changes about p/2 of the labels for two classes, deterministically, and never the test labels', () => {
    for (const p of [0.2, 0.4, 0.6]) {
      const r = corruptTrainLabels(ds, { rate: p });
      // Binomial(20000, p/2): 5 standard deviations ≤ 0.018.
      expect(Math.abs(r.changedCount / 20_000 - p / 2)).toBeLessThan(0.018);
      const diff = r.dataset.train.labels.filter((l, i) => l !== ds.train.labels[i]).length;
      expect(diff).toBe(r.changedCount);
      expect(r.dataset.test.labels).toBe(ds.test.labels);
      expect(corruptTrainLabels(ds, { rate: p }).changedCount).toBe(r.changedCount);
    }
    expect(corruptTrainLabels(ds, { rate: 0.4, seed: 1 }).changedCount).not.toBe(
      corruptTrainLabels(ds, { rate: 0.4 }).changedCount,
    );
  });

  it('rejects rates outside [0, 1] and non-integer seeds', () => {
    for (const rate of [-0.1, 1.01, Number.NaN, '0.5' as unknown as number]) {
      try {
        corruptTrainLabels(ds, { rate });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
        expect((e as DatasetError).argument).toBe('rate');
        expect((e as Error).message).toMatch(/allowed: numbers in \[0, 1\]/);
      }
    }
    expect(() => corruptTrainLabels(ds, { rate: 0.1, seed: 1.2 })).toThrow(/^seed: /);
  });
});
