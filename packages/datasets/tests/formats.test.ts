import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CorruptFileError,
  crc32,
  decodeCifarBinary,
  decodeIdx,
  decodeJpegRgb,
  encodeIdx,
  readTar,
  readZip,
} from '../src/index.js';
import {
  crc32Bitwise,
  pixelValue,
  tinyJpeg,
  writeCifarRecords,
  writeIdxByHand,
  writeTar,
  writeZip,
} from './fixtureFormats.js';

describe('decodeIdx', () => {
  it('reads a hand-built rank-3 file, raw and gzipped', () => {
    const raw = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 10, 20, 30, 40, 50, 60]);
    for (const bytes of [raw, gzipSync(raw)]) {
      const idx = decodeIdx(bytes);
      expect(idx.dims).toEqual([2, 1, 3]);
      expect(Array.from(idx.data)).toEqual([10, 20, 30, 40, 50, 60]);
    }
  });

  it('rejects a wrong length, a wrong type, a bad magic and corrupt gzip, naming the source', () => {
    const short = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 1, 2]);
    expect(() => decodeIdx(short, 'a.idx')).toThrow(/a\.idx: IDX header promises 3 values/);
    expect(() => decodeIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]))).toThrow(CorruptFileError);
    expect(() => decodeIdx(Uint8Array.from([1, 2, 3, 4]))).toThrow(/not an IDX file/);
    const gz = gzipSync(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 1, 7]));
    expect(() => decodeIdx(gz.subarray(0, gz.length - 6), 'b.gz')).toThrow(/b\.gz: gzip data is corrupt or truncated/);
  });

  it('encodeIdx writes what the independent hand layout writes, and round-trips', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 7);
    const mine = decodeIdx(encodeIdx([2, 3, 4], data, false), 'x');
    expect(Buffer.from(encodeIdx([2, 3, 4], data, false))).toEqual(Buffer.from(writeIdxByHand([2, 3, 4], data, false)));
    expect(mine.dims).toEqual([2, 3, 4]);
    expect(Array.from(decodeIdx(encodeIdx([2, 3, 4], data)).data)).toEqual(Array.from(data));
  });
});

describe('decodeCifarBinary', () => {
  it('transposes CHW records to NHWC and reads 1-byte labels', () => {
    const bytes = writeCifarRecords([[3], [9]]);
    const r = decodeCifarBinary(bytes, { labelBytes: 1, numClasses: 10 });
    expect(r.count).toBe(2);
    expect(Array.from(r.labels)).toEqual([3, 9]);
    for (const [n, y, x, c] of [
      [0, 0, 0, 0],
      [0, 5, 7, 2],
      [1, 31, 31, 1],
      [1, 12, 3, 0],
    ] as const) {
      expect(r.pixels[((n * 32 + y) * 32 + x) * 3 + c]).toBe(pixelValue(n, y, x, c));
    }
  });

  it('reads the fine (second) label byte of CIFAR-100 records by default', () => {
    const r = decodeCifarBinary(
      writeCifarRecords([
        [4, 77],
        [19, 2],
      ]),
      { labelBytes: 2, numClasses: 100 },
    );
    expect(Array.from(r.labels)).toEqual([77, 2]);
    const coarse = decodeCifarBinary(writeCifarRecords([[4, 77]]), { labelBytes: 2, labelIndex: 0, numClasses: 20 });
    expect(Array.from(coarse.labels)).toEqual([4]);
    expect(coarse.pixels[3 * (32 * 2 + 1)]).toBe(pixelValue(0, 2, 1, 0));
  });

  it('rejects a partial record and an out-of-range label', () => {
    const bytes = writeCifarRecords([[1]]);
    expect(() => decodeCifarBinary(bytes.subarray(1), { labelBytes: 1, numClasses: 10, source: 's' })).toThrow(
      /s: length 3072 is not a multiple of the 3073-byte record size/,
    );
    expect(() => decodeCifarBinary(writeCifarRecords([[10]]), { labelBytes: 1, numClasses: 10 })).toThrow(/label 10/);
  });
});

describe('readTar', () => {
  const a = Uint8Array.from({ length: 700 }, (_, i) => i % 251);
  const b = Buffer.from('hello');

  it('lists the members of an independently written archive, gzipped or not', () => {
    for (const gz of [true, false]) {
      const files = readTar(
        writeTar(
          [
            { name: 'dir/a.bin', data: a },
            { name: 'b.txt', data: b },
          ],
          gz,
        ),
      );
      expect([...files.keys()]).toEqual(['dir/a.bin', 'b.txt']);
      expect(Buffer.from(files.get('dir/a.bin')!)).toEqual(Buffer.from(a));
      expect(Buffer.from(files.get('b.txt')!).toString()).toBe('hello');
    }
  });

  it('detects a damaged header checksum and a truncated archive', () => {
    const tar = writeTar([{ name: 'a', data: a }], false);
    const bad = Uint8Array.from(tar);
    bad[10] = 0x41;
    expect(() => readTar(bad, 't.tar')).toThrow(/t\.tar: tar header checksum mismatch/);
    expect(() => readTar(tar.subarray(0, 600), 't.tar')).toThrow(/truncated/);
  });
});

describe('crc32 and readZip', () => {
  it('crc32 matches the standard check value and a bitwise implementation', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256);
    expect(crc32(data)).toBe(crc32Bitwise(data));
  });

  it('reads stored and deflated members and skips directories', () => {
    const text = Buffer.from('n01\nn02\n'.repeat(50));
    const zip = readZip(
      writeZip([
        { name: 'root/', data: new Uint8Array(0), stored: true },
        { name: 'root/wnids.txt', data: text },
        { name: 'root/raw.bin', data: Uint8Array.from([1, 2, 3]), stored: true },
      ]),
    );
    expect([...zip.keys()]).toEqual(['root/wnids.txt', 'root/raw.bin']);
    expect(Buffer.from(zip.get('root/wnids.txt')!.read())).toEqual(text);
    expect(Array.from(zip.get('root/raw.bin')!.read())).toEqual([1, 2, 3]);
  });

  it('detects a corrupt member (CRC) and a truncated archive', () => {
    const bytes = Uint8Array.from(writeZip([{ name: 'x.bin', data: Uint8Array.from([5, 6, 7, 8]), stored: true }]));
    bytes[30 + 5] = 99; // first data byte of the stored member
    expect(() => readZip(bytes, 'z.zip').get('x.bin')!.read()).toThrow(
      /z\.zip: ZIP member x\.bin: size or CRC-32 mismatch/,
    );
    expect(() => readZip(bytes.subarray(0, 40), 'z.zip')).toThrow(/no ZIP end-of-central-directory/);
  });
});

describe('decodeJpegRgb', () => {
  it('decodes a 64×64 JPEG to RGB close to its source pixels', () => {
    const { jpeg, rgb } = tinyJpeg(3);
    const img = decodeJpegRgb(jpeg, 'x.jpg');
    expect([img.width, img.height, img.rgb.length]).toEqual([64, 64, 64 * 64 * 3]);
    let maxErr = 0;
    for (let i = 0; i < rgb.length; i++) maxErr = Math.max(maxErr, Math.abs(img.rgb[i]! - rgb[i]!));
    expect(maxErr).toBeLessThan(16);
  });

  it('rejects bytes that are not a JPEG', () => {
    expect(() => decodeJpegRgb(Uint8Array.from([1, 2, 3]), 'bad.jpg')).toThrow(/bad\.jpg: not a decodable JPEG/);
  });
});
