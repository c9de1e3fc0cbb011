/**
 * What lipkit knows about each dataset: official download URLs, byte sizes and published MD5 checksums (the ones
 * torchvision and the dataset pages publish), image shape, split sizes, classes, normalisation statistics
 * (excess-capacity §8.1; MNIST from local-lipschitz §7; Fashion-MNIST measured on its 60,000 training images) and
 * licences.
 */
import { DatasetError } from './datasetErrors.js';
import type { Normalisation } from './imageDataset.js';

/** Names accepted by `loadDataset`, `fetchDataset` and `lipkit datasets`. */
export const DATASET_NAMES = [
  'fashion-mnist-embedded',
  'mnist',
  'fashion-mnist',
  'cifar10',
  'cifar100',
  'tiny-imagenet-200',
] as const;

/** A dataset name from {@link DATASET_NAMES}. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** A file to download: mirrors in order of preference, exact byte size and published MD5. */
export interface RemoteFile {
  /** File name in the cache folder `<dataDir>/<dataset>/`. */
  readonly fileName: string;
  /** Download URLs, tried in order. */
  readonly urls: readonly string[];
  /** Exact size in bytes. */
  readonly size: number;
  /** Published checksum. */
  readonly checksum: { readonly algorithm: 'md5' | 'sha256'; readonly hex: string };
}

/** How the files of a dataset are decoded. */
export type DatasetFormat = 'embedded-idx' | 'idx' | 'cifar10-binary' | 'cifar100-binary' | 'tiny-imagenet-zip';

/** Catalog entry of a dataset. */
export interface DatasetDescription {
  readonly name: DatasetName;
  readonly title: string;
  readonly homepage: string;
  readonly licence: string;
  readonly format: DatasetFormat;
  /** `[height, width, channels]`. */
  readonly imageShape: readonly [number, number, number];
  readonly trainCount: number;
  readonly testCount: number;
  readonly numClasses: number;
  /** Class names when fixed by the dataset's documentation; `undefined` when read from the archive. */
  readonly classNames?: readonly string[];
  readonly normalisation: Normalisation;
  /** Files to download (empty for the embedded subset). */
  readonly files: readonly RemoteFile[];
}

const IDX_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

function idxFiles(bases: readonly string[], sizes: readonly number[], md5s: readonly string[]): RemoteFile[] {
  return IDX_FILES.map((fileName, i) => ({
    fileName,
    urls: bases.map((b) => `${b}${fileName}`),
    size: sizes[i]!,
    checksum: { algorithm: 'md5' as const, hex: md5s[i]! },
  }));
}

const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
const FASHION_NORMALISATION = { mean: [0.286], std: [0.353] };
const FASHION_LICENCE = 'MIT (Copyright 2017 Zalando SE)';

const CATALOG: Record<DatasetName, DatasetDescription> = {
  'fashion-mnist-embedded': {
    name: 'fashion-mnist-embedded',
    title: 'Fashion-MNIST balanced subset shipped inside @lipkit/datasets (no network)',
    homepage: 'https://github.com/zalandoresearch/fashion-mnist',
    licence: FASHION_LICENCE,
    format: 'embedded-idx',
    imageShape: [28, 28, 1],
    trainCount: 2000,
    testCount: 500,
    numClasses: 10,
    classNames: FASHION_CLASSES,
    normalisation: FASHION_NORMALISATION,
    files: [],
  },
  mnist: {
    name: 'mnist',
    title: 'MNIST handwritten digits',
    homepage: 'http://yann.lecun.com/exdb/mnist/',
    licence: 'CC BY-SA 3.0 (Yann LeCun and Corinna Cortes)',
    format: 'idx',
    imageShape: [28, 28, 1],
    trainCount: 60000,
    testCount: 10000,
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    normalisation: { mean: [0.1307], std: [0.3081] },
    files: idxFiles(
      ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
      [9912422, 28881, 1648877, 4542],
      [
        'f68b3c2dcbeaaa9fbdd348bbdeb94873',
        'd53e105ee54ea40749a09fcbcd1e9432',
        '9fb629c4189551a2d022fa330f9573f3',
        'ec29112dd5afa0611ce80d1b7f02629c',
      ],
    ),
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST (Zalando article images)',
    homepage: 'https://github.com/zalandoresearch/fashion-mnist',
    licence: FASHION_LICENCE,
    format: 'idx',
    imageShape: [28, 28, 1],
    trainCount: 60000,
    testCount: 10000,
    numClasses: 10,
    classNames: FASHION_CLASSES,
    normalisation: FASHION_NORMALISATION,
    files: idxFiles(
      ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
      [26421880, 29515, 4422102, 5148],
      [
        '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
        '25c81989df183df01b3e8a0aad5dffbe',
        'bef4ecab320f06d8554ea6380940ec79',
        'bb300cfdad3c16e7a12a480ee83cd310',
      ],
    ),
  },
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10 (binary version)',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    licence:
      'no licence stated by the authors; cite Krizhevsky (2009) "Learning Multiple Layers of Features from Tiny Images"',
    format: 'cifar10-binary',
    imageShape: [32, 32, 3],
    trainCount: 50000,
    testCount: 10000,
    numClasses: 10,
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
    normalisation: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] },
    files: [
      {
        fileName: 'cifar-10-binary.tar.gz',
        urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
        size: 170052171,
        checksum: { algorithm: 'md5', hex: 'c32a1d4ab5d03f1284b67883e8d87530' },
      },
    ],
  },
  cifar100: {
    name: 'cifar100',
    title: 'CIFAR-100 (binary version, 100 fine labels)',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    licence:
      'no licence stated by the authors; cite Krizhevsky (2009) "Learning Multiple Layers of Features from Tiny Images"',
    format: 'cifar100-binary',
    imageShape: [32, 32, 3],
    trainCount: 50000,
    testCount: 10000,
    numClasses: 100,
    normalisation: { mean: [0.5071, 0.4867, 0.4408], std: [0.2675, 0.2565, 0.2761] },
    files: [
      {
        fileName: 'cifar-100-binary.tar.gz',
        urls: ['https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz'],
        size: 168513733,
        checksum: { algorithm: 'md5', hex: '03b5dce01913d631647c71ecec9e9cb8' },
      },
    ],
  },
  'tiny-imagenet-200': {
    name: 'tiny-imagenet-200',
    title: 'Tiny-ImageNet-200 (64×64, the labelled val split is used as test)',
    homepage: 'http://cs231n.stanford.edu/',
    licence: 'ImageNet terms of access: non-commercial research and educational use only',
    format: 'tiny-imagenet-zip',
    imageShape: [64, 64, 3],
    trainCount: 100000,
    testCount: 10000,
    numClasses: 200,
    normalisation: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    files: [
      {
        fileName: 'tiny-imagenet-200.zip',
        urls: ['http://cs231n.stanford.edu/tiny-imagenet-200.zip'],
        size: 248100043,
        checksum: { algorithm: 'md5', hex: '90528d7ca1a48142e341f4ef8d21d0de' },
      },
    ],
  },
};

/**
 * Checks a dataset name.
 * @param argument name used in the error (default `name`)
 * @throws DatasetError listing the allowed names
 */
export function parseDatasetName(value: unknown, argument = 'name'): DatasetName {
  if (typeof value === 'string' && (DATASET_NAMES as readonly string[]).includes(value)) return value as DatasetName;
  throw new DatasetError(argument, `unknown dataset "${String(value)}"; allowed: ${DATASET_NAMES.join(', ')}`);
}

/** The catalog entry of a dataset. @throws DatasetError on an unknown name */
export function describeDataset(name: string): DatasetDescription {
  return CATALOG[parseDatasetName(name)];
}

/** All catalog entries, in {@link DATASET_NAMES} order. */
export function listDatasets(): DatasetDescription[] {
  return DATASET_NAMES.map((n) => CATALOG[n]);
}
