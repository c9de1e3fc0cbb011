import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeIdxSplit,
  EMBEDDED_FILES,
  embeddedDir,
  loadDataset,
  loadEmbeddedFashionMnist,
  splitStatistics,
} from '../src/index.js';

const DEBIAN = '/usr/share/datasets/fashion-mnist';

describe('embedded Fashion-MNIST subset', () => {
  const ds = loadEmbeddedFashionMnist();

  it('has 2,000 train and 500 test 28×28×1 images, balanced 200 / 50 per class', () => {
    expect([ds.train.count, ds.test.count]).toEqual([2000, 500]);
    expect([ds.train.height, ds.train.width, ds.train.channels]).toEqual([28, 28, 1]);
    expect(splitStatistics(ds.train, 10).classCounts).toEqual(new Array(10).fill(200));
    expect(splitStatistics(ds.test, 10).classCounts).toEqual(new Array(10).fill(50));
    expect(ds.classNames[9]).toBe('Ankle boot');
    expect(ds.name).toBe('fashion-mnist-embedded');
  });

  it('looks like Fashion-MNIST: pixel statistics close to the full set (mean 0.286, std 0.353)', () => {
    const s = splitStatistics(ds.train, 10);
    expect(Math.abs(s.mean[0]! - 0.286)).toBeLessThan(0.02);
    expect(Math.abs(s.std[0]! - 0.353)).toBeLessThan(0.02);
  });

  it('ships its files and licence inside the package, within 2 MB, and loadDataset returns it without a cache', async () => {
    const total = Object.values(EMBEDDED_FILES).reduce((s, f) => s + statSync(join(embeddedDir(), f)).size, 0);
    expect(total).toBeLessThan(2_000_000);
    expect(readFileSync(join(embeddedDir(), 'LICENSE-fashion-mnist'), 'utf8')).toMatch(/Copyright © 2017 Zalando SE/);
    const viaLoad = await loadDataset('fashion-mnist-embedded', { dataDir: '/nonexistent/never-created' });
    expect(viaLoad.train.count).toBe(2000);
    expect(existsSync('/nonexistent')).toBe(false);
  });

  it.skipIf(!existsSync(DEBIAN))('is the first 200 train / 50 test images per class of the full Debian files', () => {
    const read = (f: string) => readFileSync(join(DEBIAN, f));
    const full = decodeIdxSplit(read('train-images-idx3-ubyte.gz'), read('train-labels-idx1-ubyte.gz'), 10, ['a', 'b']);
    const taken = new Array(10).fill(0);
    let k = 0;
    for (let i = 0; i < full.count && k < 2000; i++) {
      const l = full.labels[i]!;
      if (taken[l] >= 200) continue;
      taken[l]++;
      expect(ds.train.labels[k]).toBe(l);
      if (k % 97 === 0)
        expect(
          Buffer.compare(
            ds.train.pixels.subarray(k * 784, (k + 1) * 784),
            full.pixels.subarray(i * 784, (i + 1) * 784),
          ),
        ).toBe(0);
      k++;
    }
    expect(k).toBe(2000);
  });
});
