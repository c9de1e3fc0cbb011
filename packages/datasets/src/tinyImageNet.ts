/**
 * Tiny-ImageNet-200 from its zip (excess-capacity §8.3), read in memory: classes are indexed by the line order of
 * `wnids.txt` (as the original); train images are taken class by class in that order and, within a class, by the
 * number in the file name (`<wnid>_<k>.JPEG`), so the order, and so `limitTo`, is reproducible. The original lists
 * the class folders with `os.listdir`, whose order depends on the file system. The labelled `val` split (labels from
 * `val/val_annotations.txt`, in its line order) is the test split; the unlabelled `test` folder is ignored.
 */
import { CorruptFileError } from './datasetErrors.js';
import type { ImageSplit } from './imageDataset.js';
import { decodeJpegRgb } from './jpegImage.js';
import { readZip, type ZipEntry } from './zipArchive.js';

const SIDE = 64;
const ROOT = 'tiny-imagenet-200/';
const REMEDY = 'Delete the archive and run `lipkit datasets fetch tiny-imagenet-200` again';

/** Decoded Tiny-ImageNet splits and class ids (WordNet ids, `wnids.txt` order). */
export interface TinyImageNetData {
  readonly wnids: string[];
  readonly train: ImageSplit;
  readonly test: ImageSplit;
}

function imageNumber(name: string): number {
  return Number(/_(\d+)\.jpe?g$/i.exec(name)?.[1] ?? Number.NaN);
}

function decodeSplit(items: { entry: ZipEntry; label: number }[], source: string, progress: () => void): ImageSplit {
  const size = SIDE * SIDE * 3;
  const pixels = new Uint8Array(items.length * size);
  const labels = new Int32Array(items.length);
  items.forEach(({ entry, label }, i) => {
    const img = decodeJpegRgb(entry.read(), `${source}:${entry.name}`);
    if (img.width !== SIDE || img.height !== SIDE) {
      throw new CorruptFileError(
        source,
        `${entry.name} is ${img.width}×${img.height}, expected ${SIDE}×${SIDE}`,
        REMEDY,
      );
    }
    pixels.set(img.rgb, i * size);
    labels[i] = label;
    progress();
  });
  return { pixels, labels, count: items.length, height: SIDE, width: SIDE, channels: 3 };
}

/**
 * Decodes the Tiny-ImageNet-200 zip.
 * @param source path used in errors
 * @param onProgress (images decoded, total images)
 * @throws CorruptFileError on a missing member, an unknown wnid, or an image that is not a 64×64 JPEG
 */
export function decodeTinyImageNetZip(
  bytes: Uint8Array,
  source: string,
  onProgress?: (done: number, total: number) => void,
): TinyImageNetData {
  const zip = readZip(bytes, source);
  const text = (name: string) => {
    const entry = zip.get(ROOT + name);
    if (!entry) throw new CorruptFileError(source, `member ${ROOT + name} is missing`, REMEDY);
    return Buffer.from(entry.read()).toString('utf8');
  };
  const wnids = text('wnids.txt')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const classOf = new Map(wnids.map((w, i) => [w, i]));
  const byClass = wnids.map(() => [] as ZipEntry[]);
  for (const [name, entry] of zip) {
    const m = /^tiny-imagenet-200\/train\/([^/]+)\/images\/[^/]+\.jpe?g$/i.exec(name);
    if (!m) continue;
    const label = classOf.get(m[1]!);
    if (label === undefined) throw new CorruptFileError(source, `${name}: class ${m[1]} is not in wnids.txt`, REMEDY);
    byClass[label]!.push(entry);
  }
  const train = byClass.flatMap((entries, label) =>
    entries
      .sort((a, b) => imageNumber(a.name) - imageNumber(b.name) || (a.name < b.name ? -1 : 1))
      .map((entry) => ({ entry, label })),
  );
  const test = text('val/val_annotations.txt')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [file, wnid] = line.split('\t');
      const label = classOf.get(wnid ?? '');
      const entry = zip.get(`${ROOT}val/images/${file}`);
      if (label === undefined || !entry) {
        throw new CorruptFileError(source, `val_annotations.txt line "${line}" names a missing image or class`, REMEDY);
      }
      return { entry, label };
    });
  const total = train.length + test.length;
  let done = 0;
  const tick = () => {
    done++;
    if (done % 500 === 0 || done === total) onProgress?.(done, total);
  };
  return { wnids, train: decodeSplit(train, source, tick), test: decodeSplit(test, source, tick) };
}
