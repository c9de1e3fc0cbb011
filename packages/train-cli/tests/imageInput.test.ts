import { fileURLToPath } from 'node:url';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  decodeImage,
  ImageInputError,
  imageFormatOf,
  imageToNetworkInput,
  resizeBilinear,
  svgToPng,
} from '../src/index.js';
import { COLOR, rawPng } from './rawPng.js';
import { seedImage } from './seedImages.js';

const fixtures = fileURLToPath(new URL('../../lipschitz-bounds/fixtures/', import.meta.url));

function thrown(fn: () => unknown): ImageInputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImageInputError);
    return err as ImageInputError;
  }
  throw new Error('expected an ImageInputError');
}

describe('decodeImage (PNG)', () => {
  it('decodes 8-bit gray samples exactly as v/255', () => {
    const samples = [0, 1, 127, 128, 254, 255];
    const img = decodeImage(rawPng({ width: 3, height: 2, color: COLOR.gray, depth: 8, samples }));
    expect(img).toMatchObject({ format: 'png', width: 3, height: 2, channels: 1, depth: 8 });
    expect([...img.data]).toEqual(samples.map((v) => v / 255));
  });

  it('decodes 16-bit gray and RGB samples as v/65535', () => {
    const gray = [0, 1, 256, 65535, 32768, 12345];
    const g = decodeImage(rawPng({ width: 2, height: 3, color: COLOR.gray, depth: 16, samples: gray }));
    expect(g.depth).toBe(16);
    expect([...g.data]).toEqual(gray.map((v) => v / 65535));
    const rgb = [1, 2, 3, 60000, 500, 65535];
    const c = decodeImage(rawPng({ width: 2, height: 1, color: COLOR.rgb, depth: 16, samples: rgb }));
    expect(c.channels).toBe(3);
    expect([...c.data]).toEqual(rgb.map((v) => v / 65535));
  });

  it.each([1, 2, 4] as const)('unpacks %i-bit gray rows (odd width, byte-aligned rows)', (depth) => {
    const max = 2 ** depth - 1;
    const width = 11;
    const samples = Array.from({ length: width * 3 }, (_, i) => (i * 7 + 3) % (max + 1));
    const img = decodeImage(rawPng({ width, height: 3, color: COLOR.gray, depth, samples }));
    expect(img.depth).toBe(depth);
    expect([...img.data]).toEqual(samples.map((v) => v / max));
  });

  it('drops alpha from RGBA and gray+alpha', () => {
    const rgba = [10, 20, 30, 0, 40, 50, 60, 255];
    const a = decodeImage(rawPng({ width: 2, height: 1, color: COLOR.rgba, depth: 8, samples: rgba }));
    expect(a.channels).toBe(3);
    expect([...a.data]).toEqual([10, 20, 30, 40, 50, 60].map((v) => v / 255));
    const ga = decodeImage(rawPng({ width: 2, height: 1, color: COLOR.grayAlpha, depth: 8, samples: [9, 0, 200, 17] }));
    expect(ga.channels).toBe(1);
    expect([...ga.data]).toEqual([9 / 255, 200 / 255]);
  });

  it('looks up palette images (2-bit indices) as RGB', () => {
    const palette: [number, number, number][] = [
      [0, 0, 0],
      [255, 0, 10],
      [3, 128, 250],
    ];
    const idx = [2, 1, 0, 1, 2];
    const img = decodeImage(rawPng({ width: 5, height: 1, color: COLOR.palette, depth: 2, samples: idx, palette }));
    expect(img.channels).toBe(3);
    expect([...img.data]).toEqual(idx.flatMap((i) => (palette[i] as number[]).map((v) => v / 255)));
  });

  it('decodes Adam7-interlaced PNGs written by fast-png', () => {
    const data = Uint8Array.from({ length: 9 * 7 * 3 }, (_, i) => (i * 37) % 256);
    const png = encodePng({ width: 9, height: 7, channels: 3, depth: 8, data }, { interlace: 'Adam7' });
    expect([...decodeImage(png).data]).toEqual([...data].map((v) => v / 255));
  });

  it('decodes an RGBA PNG rendered by resvg (another encoder)', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3" fill="rgb(10,200,30)"/></svg>';
    const img = decodeImage(svgToPng(svg, 1));
    expect([img.width, img.height, img.channels]).toEqual([4, 3, 3]);
    expect([...img.data]).toEqual(Array.from({ length: 12 }, () => [10 / 255, 200 / 255, 30 / 255]).flat());
  });

  it('rejects files that are not PNG/JPEG, truncated PNGs and bad CRCs with --input errors', () => {
    const notImage = thrown(() => decodeImage(new TextEncoder().encode('{"shape":[1]}'), '--input', 'x.png'));
    expect(notImage.argument).toBe('--input');
    expect(notImage.message).toMatch(/^--input: x\.png is neither a PNG nor a JPEG/);
    const png = rawPng({
      width: 8,
      height: 8,
      color: COLOR.rgb,
      depth: 8,
      samples: Array.from({ length: 192 }, (_, i) => (i * 89) % 256),
    });
    for (const cut of [8, 20, 40, png.length - 30]) {
      const e = thrown(() => decodeImage(png.subarray(0, cut), '--input', 'cut.png'));
      expect(e.message).toContain('cut.png');
    }
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 10_000_000); // IHDR width: 10⁷ × 8 pixels
    expect(thrown(() => decodeImage(huge)).message).toContain('80000000 pixels; allowed: at most 25000000');
    const badCrc = png.slice();
    badCrc[32] = (badCrc[32] as number) ^ 1; // last byte of IHDR's CRC: only the CRC check notices
    expect(thrown(() => decodeImage(badCrc)).message).toContain('not a readable PNG');
    const badData = png.slice();
    badData[45] = (badData[45] as number) ^ 0xff; // inside the deflate stream of IDAT
    expect(thrown(() => decodeImage(badData)).argument).toBe('--input');
  });
});

describe('decodeImage (JPEG)', () => {
  it('decodes a flat JPEG to within one level, and a gray JPEG with R = G = B', () => {
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let p = 0; p < 256; p++) rgba.set([90, 90, 90, 255], p * 4);
    const img = decodeImage(new Uint8Array(encodeJpeg({ width: 16, height: 16, data: rgba }, 100).data));
    expect(img).toMatchObject({ format: 'jpeg', width: 16, height: 16, channels: 3 });
    for (const v of img.data) expect(Math.abs(v * 255 - 90)).toBeLessThanOrEqual(1);
    const x = imageToNetworkInput(img, [1, 16, 16]);
    for (let p = 0; p < 256; p++) expect(x[p]).toBe(img.data[p * 3]);
  });

  it('rejects a truncated JPEG', () => {
    const rgba = new Uint8Array(8 * 8 * 4).fill(200);
    const jpeg = new Uint8Array(encodeJpeg({ width: 8, height: 8, data: rgba }, 90).data);
    expect(imageFormatOf(jpeg)).toBe('jpeg');
    expect(thrown(() => decodeImage(jpeg.subarray(0, 40))).argument).toBe('--input');
  });
});

describe('imageToNetworkInput', () => {
  const rgb = { format: 'png' as const, width: 3, height: 2, channels: 3 as const, depth: 8 };
  const pixels = [
    [0.1, 0.2, 0.3],
    [0.5, 0.5, 0.5],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0.25, 0.75, 0.125],
  ];
  const image = { ...rgb, data: Float64Array.from(pixels.flat()) };

  it('lays RGB out channels first and normalises per channel', () => {
    const mean = [0.4914, 0.4822, 0.4465];
    const std = [0.247, 0.2435, 0.2616];
    const x = imageToNetworkInput(image, [3, 2, 3], { mean, std });
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 6; p++) {
        const v = (pixels[p] as number[])[c] as number;
        expect(x[c * 6 + p]).toBe((v - (mean[c] as number)) / (std[c] as number));
      }
    }
  });

  it('turns RGB into gray by BT.601 luminance (exact for R = G = B) and gray into three equal channels', () => {
    const x = imageToNetworkInput(image, [1, 2, 3], { mean: [0.1307], std: [0.3081] });
    const expected = pixels.map(([r, g, b]) => {
      const y =
        r === g && g === b ? (r as number) : 0.299 * (r as number) + 0.587 * (g as number) + 0.114 * (b as number);
      return (y - 0.1307) / 0.3081;
    });
    expect([...x]).toEqual(expected);
    expect(x[1]).toBe((0.5 - 0.1307) / 0.3081);
    const gray = { ...rgb, channels: 1 as const, data: Float64Array.from([0, 0.2, 0.4, 0.6, 0.8, 1]) };
    const y = imageToNetworkInput(gray, [3, 2, 3], { mean: [0.5], std: [2] });
    expect([...y]).toEqual([0, 1, 2].flatMap(() => [0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => (v - 0.5) / 2)));
  });

  it('rejects another size naming --input and both sizes, unless resize is set', () => {
    const e = thrown(() => imageToNetworkInput(image, [3, 28, 28], {}, 'digit.png'));
    expect(e.argument).toBe('--input');
    expect(e.message).toContain('digit.png is 3×2');
    expect(e.message).toContain('28×28');
    const x = imageToNetworkInput(image, [3, 4, 6], { resize: true });
    expect(x).toHaveLength(72);
  });

  it('rejects non-image network shapes and bad --mean / --std', () => {
    expect(thrown(() => imageToNetworkInput(image, [6])).argument).toBe('--input');
    expect(thrown(() => imageToNetworkInput(image, [2, 2, 3])).argument).toBe('--input');
    expect(thrown(() => imageToNetworkInput(image, [3, 2, 3], { mean: [0.1, 0.2] })).argument).toBe('--mean');
    expect(thrown(() => imageToNetworkInput(image, [3, 2, 3], { std: [0] })).argument).toBe('--std');
    expect(thrown(() => imageToNetworkInput(image, [1, 2, 3], { std: [1, 1, 1] })).message).toContain('1 channels');
  });

  it.each([
    ['mnist-8-x0.json', [0.1307], [0.3081]],
    ['cifar10-dog4-x0.json', [0.4914, 0.4822, 0.4465], [0.247, 0.2435, 0.2616]],
  ])('reproduces the seed input %s from its 8-bit image (to float32 precision)', (file, mean, std) => {
    const x0 = seedImage(`${fixtures}${file}`, mean, std);
    const x = imageToNetworkInput(decodeImage(x0.png), x0.shape, { mean, std });
    for (let i = 0; i < x.length; i++) {
      const ref = x0.data[i] as number;
      expect(Math.abs((x[i] as number) - ref)).toBeLessThanOrEqual(3e-7 * Math.max(1, Math.abs(ref)));
    }
  });
});

describe('resizeBilinear', () => {
  it('matches the half-pixel closed forms when enlarging and shrinking', () => {
    expect([...resizeBilinear(Float64Array.from([0, 1]), 2, 1, 1, 4, 1)]).toEqual([0, 0.25, 0.75, 1]);
    expect([...resizeBilinear(Float64Array.from([0, 1, 2, 3]), 4, 1, 1, 2, 1)]).toEqual([0.5, 2.5]);
  });

  it('is the identity at the same size and reproduces an affine image where no clamping occurs', () => {
    const data = Float64Array.from({ length: 5 * 4 * 2 }, (_, i) => Math.sin(i));
    expect([...resizeBilinear(data, 5, 4, 2, 5, 4)]).toEqual([...data]);
    const f = (x: number, y: number, c: number) => 0.3 + 0.1 * x - 0.05 * y + c;
    const src = new Float64Array(8 * 6 * 2);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 8; x++) for (let c = 0; c < 2; c++) src[(y * 8 + x) * 2 + c] = f(x, y, c);
    const out = resizeBilinear(src, 8, 6, 2, 4, 3); // half size: samples at 2x+0.5, 2y+0.5, all inside
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        for (let c = 0; c < 2; c++) expect(out[(y * 4 + x) * 2 + c]).toBeCloseTo(f(2 * x + 0.5, 2 * y + 0.5, c), 12);
      }
    }
  });
});
