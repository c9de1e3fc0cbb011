/**
 * The embedded default dataset: a balanced real subset of Fashion-MNIST (Xiao, Rasul & Vollgraf 2017,
 * MIT licence, Copyright 2017 Zalando SE; notice in `embedded/LICENSE-fashion-mnist`) shipped inside the package,
 * so it loads with no network and no cache: the first 200 training and the first 50 test images of each class, in
 * file order (2,000 train / 500 test). Built by `scripts/buildEmbeddedSubset.ts` from Debian's
 * `dataset-fashion-mnist`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeDataset } from './datasetCatalog.js';
import { embeddedDir } from './fetchDataset.js';
import { decodeIdxSplit } from './idxSplit.js';
import type { ImageDataset } from './imageDataset.js';

/** File names of the embedded subset inside `embedded/`. */
export const EMBEDDED_FILES = {
  trainImages: 'fashion-mnist-subset-train-images-idx3-ubyte.gz',
  trainLabels: 'fashion-mnist-subset-train-labels-idx1-ubyte.gz',
  testImages: 'fashion-mnist-subset-t10k-images-idx3-ubyte.gz',
  testLabels: 'fashion-mnist-subset-t10k-labels-idx1-ubyte.gz',
} as const;

/**
 * Loads the embedded Fashion-MNIST subset (synchronous, ~20 ms). Normalisation: Fashion-MNIST's full training-set
 * statistics (mean 0.2860, std 0.3530).
 * @throws CorruptFileError if the package's files are damaged (reinstall the package)
 */
export function loadEmbeddedFashionMnist(): ImageDataset {
  const desc = describeDataset('fashion-mnist-embedded');
  const dir = embeddedDir();
  const read = (f: string) => {
    const path = join(dir, f);
    return { path, bytes: readFileSync(path) };
  };
  const split = (images: string, labels: string) => {
    const i = read(images);
    const l = read(labels);
    return decodeIdxSplit(i.bytes, l.bytes, desc.numClasses, [i.path, l.path], 'Reinstall @lipkit/datasets');
  };
  return {
    name: desc.name,
    classNames: desc.classNames!,
    normalisation: desc.normalisation,
    train: split(EMBEDDED_FILES.trainImages, EMBEDDED_FILES.trainLabels),
    test: split(EMBEDDED_FILES.testImages, EMBEDDED_FILES.testLabels),
  };
}
