/** Loading any catalog dataset into memory: fetch (or verify) its files, then decode them. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCifarBinary } from './cifarBinaryFormat.js';
import { datasetDir, defaultDataDir } from './dataDirectory.js';
import type { DatasetDescription } from './datasetCatalog.js';
import { CorruptFileError, DatasetError } from './datasetErrors.js';
import { loadEmbeddedFashionMnist } from './embeddedFashionMnist.js';
import { type FetchOptions, fetchDataset, resolveDescription } from './fetchDataset.js';
import { type Checksum, verifyFile } from './fileChecksum.js';
import { decodeIdxSplit } from './idxSplit.js';
import type { ImageDataset, ImageSplit } from './imageDataset.js';
import { readTar } from './tarArchive.js';
import { decodeTinyImageNetZip } from './tinyImageNet.js';

/** Options of {@link loadDataset}. */
export interface LoadOptions extends FetchOptions {
  /** Download missing files (default true). When false, a missing dataset is an error. */
  readonly download?: boolean;
  /** Called with (images decoded, total) while decoding Tiny-ImageNet's JPEGs. */
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

function cifarSplit(bytes: Uint8Array, desc: DatasetDescription, source: string): ImageSplit {
  const cifar100 = desc.format === 'cifar100-binary';
  const r = decodeCifarBinary(bytes, { labelBytes: cifar100 ? 2 : 1, numClasses: desc.numClasses, source });
  return { pixels: r.pixels, labels: r.labels, count: r.count, height: 32, width: 32, channels: 3 };
}

function checkCount(split: ImageSplit, expected: number, source: string, dataset: string): ImageSplit {
  if (split.count !== expected) {
    throw new CorruptFileError(source, `holds ${split.count} images, expected ${expected}`, remedy(dataset));
  }
  return split;
}

async function decode(desc: DatasetDescription, dir: string, options: LoadOptions): Promise<ImageDataset> {
  const path = (i: number) => join(dir, desc.files[i]!.fileName);
  const base = { name: desc.name, normalisation: desc.normalisation };
  switch (desc.format) {
    case 'idx': {
      const bytes = await Promise.all(desc.files.map((_, i) => readFile(path(i))));
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
        train: checkCount(cifarSplit(trainBytes, desc, src), desc.trainCount, src, desc.name),
        test: checkCount(cifarSplit(m('test_batch.bin'), desc, src), desc.testCount, src, desc.name),
      };
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
        train: checkCount(cifarSplit(m('train.bin'), desc, src), desc.trainCount, src, desc.name),
        test: checkCount(cifarSplit(m('test.bin'), desc, src), desc.testCount, src, desc.name),
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
 * Loads a dataset (a catalog name, or a description, e.g. with mirror URLs) into memory: the embedded subset directly; any other one from the cache, downloading missing
 * files first (unless `download: false`) and verifying each file's size and checksum before decoding it.
 * @throws DatasetError on an unknown name, an unusable `dataDir`, or a missing dataset with `download: false`;
 *   CorruptFileError naming the file on a bad cached file; DownloadError when a download fails
 */
export async function loadDataset(
  dataset: string | DatasetDescription,
  options: LoadOptions = {},
): Promise<ImageDataset> {
  const desc = resolveDescription(dataset);
  if (desc.format === 'embedded-idx') return loadEmbeddedFashionMnist();
  let dir: string;
  if (options.download === false) {
    dir = datasetDir(options.dataDir ?? defaultDataDir(), desc.name);
    for (const f of desc.files) {
      const p = join(dir, f.fileName);
      const problem = await verifyFile(p, f.size, f.checksum as Checksum);
      if (problem === 'missing') {
        throw new DatasetError(
          'download',
          `${p} is missing and downloads are off; allowed: true, or run \`lipkit datasets fetch ${desc.name}\``,
        );
      }
      if (problem) throw new CorruptFileError(p, problem, remedy(desc.name));
    }
  } else {
    dir = await fetchDataset(desc, options);
  }
  return decode(desc, dir, options);
}
