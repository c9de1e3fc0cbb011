/**
 * A minimal PNG writer for tests, independent of the decoder under test: signature, IHDR, optional PLTE, one IDAT of
 * filter-0 scanlines deflated by node:zlib, IEND; CRCs by zlib.crc32.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** PNG colour types. */
export const COLOR = { gray: 0, rgb: 2, palette: 3, grayAlpha: 4, rgba: 6 } as const;

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Writes a PNG whose samples are `samples` (row-major, channels interleaved), packed at `depth` bits
 * (MSB first, rows byte-aligned; 16-bit big-endian).
 */
export function rawPng(opts: {
  width: number;
  height: number;
  color: number;
  depth: 1 | 2 | 4 | 8 | 16;
  samples: ArrayLike<number>;
  palette?: [number, number, number][];
}): Uint8Array {
  const { width, height, color, depth, samples } = opts;
  const perRow = width * (CHANNELS[color] as number);
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const base = y * (rowBytes + 1) + 1; // byte 0 of each row: filter type 0 (none)
    for (let i = 0; i < perRow; i++) {
      const v = samples[y * perRow + i] as number;
      if (depth === 16) raw.writeUInt16BE(v, base + 2 * i);
      else if (depth === 8) raw[base + i] = v;
      else {
        const bit = i * depth;
        raw[base + (bit >> 3)] = (raw[base + (bit >> 3)] as number) | (v << (8 - depth - (bit & 7)));
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = color;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (opts.palette) parts.push(chunk('PLTE', Uint8Array.from(opts.palette.flat())));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return new Uint8Array(Buffer.concat(parts));
}
