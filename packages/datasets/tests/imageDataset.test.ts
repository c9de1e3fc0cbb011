import { describe, expect, it } from 'vitest';
import {
  CIFAR10_LOCAL_LIPSCHITZ_NORMALISATION,
  DatasetError,
  halfNormalisation,
  type ImageBatch,
  iterateBatches,
  limitTo,
  normaliseImages,
  selectClasses,
  splitStatistics,
  withNormalisation,
} from '../src/index.js';
import { syntheticDataset, syntheticSplit } from './syntheticDataset.js';

async function collect(it: AsyncIterable<ImageBatch>): Promise<ImageBatch[]> {
  const out: ImageBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('normaliseImages', () => {
  it('computes (x/255 − mean[c]) / std[c] per channel in NHWC order', () => {
    const split = syntheticSplit(3, 3, 2);
    const norm = { mean: [0.1, 0.5, 0.9], std: [0.2, 0.3, 0.4] };
    const out = normaliseImages(split, norm, 1, 2);
    expect(out.length).toBe(2 * 12);
    for (let k = 0; k < out.length; k++) {
      const c = k % 3;
      const expected = (split.pixels[12 + k]! / 255 - norm.mean[c]!) / norm.std[c]!;
      expect(out[k]).toBeCloseTo(expected, 5);
    }
  });

  it('rejects a wrong channel count, a zero std and an out-of-range window', () => {
    const split = syntheticSplit(2, 3, 2);
    expect(() => normaliseImages(split, { mean: [0], std: [1] })).toThrow(/normalisation: needs 3/);
    expect(() => normaliseImages(split, { mean: [0, 0, 0], std: [1, 0, 1] })).toThrow(DatasetError);
    expect(() => normaliseImages(split, { mean: [0, 0, 0], std: [1, 1, 1] }, 1, 2)).toThrow(/start/);
  });
});

describe('limitTo, selectClasses, withNormalisation, splitStatistics', () => {
  it('limitTo keeps the first N images as views', () => {
    const split = syntheticSplit(10, 1, 3);
    const first = limitTo(split, 4);
    expect(first.count).toBe(4);
    expect(Array.from(first.labels)).toEqual([0, 1, 2, 0]);
    expect(first.pixels.buffer).toBe(split.pixels.buffer);
    expect(Array.from(first.pixels)).toEqual(Array.from(split.pixels.subarray(0, 16)));
    for (const bad of [0, 11, 2.5, Number.NaN]) expect(() => limitTo(split, bad)).toThrow(/^limitTo: /);
  });

  it('selectClasses keeps e.g. airplane (0) and dog (5), renumbered 0 and 1, with per-class caps', () => {
    const ds = syntheticDataset('cifar10', 50, 30, 10);
    const two = selectClasses(ds, [5, 0], { trainPerClass: 3 });
    expect(two.classNames).toEqual(['c0', 'c5']);
    expect(two.train.count).toBe(6);
    // Original indices of class 0: 0, 10, 20; of class 5: 5, 15, 25 → dataset order 0, 5, 10, 15, 20, 25.
    expect(Array.from(two.train.labels)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(two.train.pixels.subarray(4 * 3, 8 * 3))).toEqual(
      Array.from(ds.train.pixels.subarray(5 * 12, 6 * 12)),
    );
    expect(two.test.count).toBe(6);
    expect(() => selectClasses(ds, [0, 0])).toThrow(/^classes: /);
    expect(() => selectClasses(ds, [10])).toThrow(/allowed: distinct class indices 0…9/);
    expect(() => selectClasses(ds, [1], { testPerClass: 0 })).toThrow(/^testPerClass: /);
  });

  it('halfNormalisation maps pixels 0 and 255 to −1 and 1 (steady-learner)', () => {
    const split = {
      ...syntheticSplit(1, 3, 1),
      pixels: Uint8Array.from([0, 255, 0, 255, 0, 255, 0, 255, 0, 255, 0, 255]),
    };
    expect(Array.from(normaliseImages(split, halfNormalisation(3)))).toEqual([
      -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1,
    ]);
    expect(CIFAR10_LOCAL_LIPSCHITZ_NORMALISATION.std).toEqual([0.247, 0.2435, 0.2616]);
    expect(() => halfNormalisation(0)).toThrow(/^channels: /);
  });

  it('withNormalisation replaces the statistics after checking them', () => {
    const ds = syntheticDataset('x', 2, 2, 2);
    expect(withNormalisation(ds, { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }).normalisation.std).toEqual([
      0.5, 0.5, 0.5,
    ]);
    expect(() => withNormalisation(ds, { mean: [0.5], std: [0.5] })).toThrow(DatasetError);
  });

  it('splitStatistics matches a brute-force two-pass computation', () => {
    const split = syntheticSplit(7, 3, 4);
    const stats = splitStatistics(split, 4);
    for (let c = 0; c < 3; c++) {
      const vals = Array.from(split.pixels)
        .filter((_, i) => i % 3 === c)
        .map((v) => v / 255);
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
      expect(stats.mean[c]).toBeCloseTo(mean, 10);
      expect(stats.std[c]).toBeCloseTo(std, 10);
    }
    expect(stats.classCounts).toEqual([2, 2, 2, 1]);
  });
});

describe('iterateBatches', () => {
  const split = syntheticSplit(10, 3, 3);
  const normalisation = { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };

  it('yields dataset order without shuffle, with a smaller last batch', async () => {
    const batches = await collect(iterateBatches(split, { batchSize: 4, normalisation }));
    expect(batches.map((b) => b.shape)).toEqual([
      [4, 2, 2, 3],
      [4, 2, 2, 3],
      [2, 2, 2, 3],
    ]);
    expect(batches.flatMap((b) => Array.from(b.indices))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(batches[0]!.images)).toEqual(Array.from(normaliseImages(split, normalisation, 0, 4)));
    expect((await collect(iterateBatches(split, { batchSize: 4, normalisation, dropLast: true }))).length).toBe(2);
  });

  it('with shuffle visits every image once in a seeded order, with matching labels and pixels', async () => {
    const run = async (seed: number) =>
      collect(iterateBatches(split, { batchSize: 3, normalisation, shuffle: true, seed }));
    const a = await run(1);
    const order = a.flatMap((b) => Array.from(b.indices));
    expect([...order].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(order).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await run(1)).flatMap((b) => Array.from(b.indices))).toEqual(order);
    expect((await run(2)).flatMap((b) => Array.from(b.indices))).not.toEqual(order);
    for (const b of a) {
      b.indices.forEach((i, k) => {
        expect(b.labels[k]).toBe(split.labels[i]);
        expect(Array.from(b.images.subarray(k * 12, (k + 1) * 12))).toEqual(
          Array.from(normaliseImages(split, normalisation, i, 1)),
        );
      });
    }
  });

  it('materialises only the current batch: each batch owns a buffer of exactly its own size', async () => {
    const big = syntheticSplit(1000, 3, 10);
    let batches = 0;
    for await (const b of iterateBatches(big, { batchSize: 64, normalisation, shuffle: true, seed: 3 })) {
      expect(b.images.buffer.byteLength).toBe(b.shape[0] * 12 * 4); // not a view into a full-size float copy
      batches++;
    }
    expect(batches).toBe(16);
  });

  it('rejects a batch size below 1 and a non-integer seed', async () => {
    await expect(collect(iterateBatches(split, { batchSize: 0, normalisation }))).rejects.toThrow(/^batchSize: /);
    await expect(
      collect(iterateBatches(split, { batchSize: 2, normalisation, shuffle: true, seed: 0.3 })),
    ).rejects.toThrow(/^seed: /);
  });
});
