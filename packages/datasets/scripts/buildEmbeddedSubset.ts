/**
 * Rebuilds `embedded/` from the full Fashion-MNIST idx files (Debian: `apt-get install dataset-fashion-mnist`, files
 * in /usr/share/datasets/fashion-mnist; or a `lipkit datasets fetch fashion-mnist` cache folder):
 * the first 200 training and the first 50 test images of each class, in file order.
 *
 *   node --import tsx scripts/buildEmbeddedSubset.ts [source folder]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeIdxSplit,
  EMBEDDED_FILES,
  embeddedDir,
  encodeIdx,
  type ImageSplit,
  selectClasses,
} from '../src/index.js';

const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const read = (f: string) => readFileSync(join(source, f));
const split = (images: string, labels: string) =>
  decodeIdxSplit(read(images), read(labels), 10, [join(source, images), join(source, labels)]);
const full = {
  name: 'fashion-mnist',
  classNames: Array.from({ length: 10 }, (_, i) => String(i)),
  normalisation: { mean: [0.286], std: [0.353] },
  train: split('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
  test: split('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
};
const all = Array.from({ length: 10 }, (_, i) => i);
const subset = selectClasses(full, all, { trainPerClass: 200, testPerClass: 50 });
const write = (s: ImageSplit, images: string, labels: string) => {
  writeFileSync(join(embeddedDir(), images), encodeIdx([s.count, s.height, s.width], s.pixels));
  writeFileSync(join(embeddedDir(), labels), encodeIdx([s.count], Uint8Array.from(s.labels)));
};
write(subset.train, EMBEDDED_FILES.trainImages, EMBEDDED_FILES.trainLabels);
write(subset.test, EMBEDDED_FILES.testImages, EMBEDDED_FILES.testLabels);
process.stdout.write(`wrote ${subset.train.count} train and ${subset.test.count} test images to ${embeddedDir()}\n`);
