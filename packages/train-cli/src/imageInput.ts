/**
 * Decoding of image files (PNG, JPEG) into float samples in [0, 1], the first step of turning an image into a
 * network input (see `imageToNetworkInput`). PNG is decoded by `fast-png`, JPEG by @lipkit/datasets' `decodeJpegRgb`
 * (`jpeg-js`); both are pure JS.
 */
import { decodeJpegRgb } from '@lipkit/datasets';
import { decode as decodePng } from 'fast-png';

/**
 * A bad image input: not a PNG/JPEG, truncated or corrupt, or not convertible to the network's input.
 * `argument` names the CLI flag at fault (e.g. `--input`); the message reads "<argument>: what is wrong; allowed: …".
 */
export class ImageInputError extends Error {
  override name = 'ImageInputError';
  /**
   * @param argument the flag at fault (`--input`, `--mean`, `--std`)
   * @param message what is wrong and what is allowed
   */
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** Image file formats {@link decodeImage} reads. */
export type ImageFormat = 'png' | 'jpeg';

/** A decoded image: colour samples scaled to [0, 1], alpha dropped. */
export interface DecodedImage {
  format: ImageFormat;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 1 (gray) or 3 (RGB); an alpha channel or PNG transparency is dropped, not composited. */
  channels: 1 | 3;
  /** Bits per source sample: 1, 2, 4, 8 or 16 (a palette PNG reports 8, the depth of its palette entries). */
  depth: number;
  /** Row-major, channels interleaved (`data[(y·width + x)·channels + c]`): source sample / (2^depth − 1). */
  data: Float64Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image format of `bytes` by its signature (magic number), or `null` if it is neither PNG nor JPEG. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Unpacks row-aligned samples of `depth` < 8 bits (PNG packs them MSB first, each row starting on a byte). */
function unpackSubByte(packed: ArrayLike<number>, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const bytesPerRow = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * bytesPerRow + (bit >> 3)] as number;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/** Largest PNG decoded (pixels): the float64 samples of a bigger image would take gigabytes. */
const MAX_PNG_PIXELS = 25_000_000;

function decodePngImage(bytes: Uint8Array, argument: string, source: string): DecodedImage {
  // IHDR is the first chunk: width and height are big-endian at bytes 16 and 20. Checked before inflating anything.
  if (bytes.length >= 24) {
    const header = new DataView(bytes.buffer, bytes.byteOffset, 24);
    const pixels = header.getUint32(16) * header.getUint32(20);
    if (pixels > MAX_PNG_PIXELS) {
      throw new ImageInputError(argument, `${source} has ${pixels} pixels; allowed: at most ${MAX_PNG_PIXELS}`);
    }
  }
  let png: ReturnType<typeof decodePng>;
  try {
    png = decodePng(bytes, { checkCrc: true });
  } catch (err) {
    throw new ImageInputError(
      argument,
      `${source} is not a readable PNG (${(err as Error).message}); allowed: PNG, JPEG`,
    );
  }
  const { width, height, depth } = png;
  const stored = png.channels;
  const samplesPerRow = depth < 8 ? Math.ceil((width * stored * depth) / 8) : width * stored;
  if (width < 1 || height < 1 || png.data.length !== samplesPerRow * height) {
    throw new ImageInputError(
      argument,
      `${source} is a truncated or corrupt PNG (${png.data.length} samples for ${width}×${height}×${stored} at ${depth} bits)`,
    );
  }
  const pixels = width * height;
  const samples = depth < 8 ? unpackSubByte(png.data, width, height, depth) : png.data;
  if (png.palette) {
    const palette = png.palette;
    const data = new Float64Array(pixels * 3);
    for (let p = 0; p < pixels; p++) {
      const entry = palette[samples[p] as number];
      if (!entry) {
        throw new ImageInputError(
          argument,
          `${source}: pixel ${p} uses palette index ${samples[p]} of ${palette.length}`,
        );
      }
      for (let c = 0; c < 3; c++) data[p * 3 + c] = (entry[c] as number) / 255;
    }
    return { format: 'png', width, height, channels: 3, depth: 8, data };
  }
  // Stored channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; alpha is the last one when present.
  const channels = stored <= 2 ? 1 : 3;
  const max = 2 ** depth - 1;
  const data = new Float64Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) data[p * channels + c] = (samples[p * stored + c] as number) / max;
  }
  return { format: 'png', width, height, channels, depth, data };
}

function decodeJpegImage(bytes: Uint8Array, argument: string, source: string): DecodedImage {
  let jpeg: ReturnType<typeof decodeJpegRgb>;
  try {
    jpeg = decodeJpegRgb(bytes, source);
  } catch (err) {
    throw new ImageInputError(argument, `${source} is not a readable JPEG (${(err as Error).message})`);
  }
  const { width, height, rgb } = jpeg;
  if (!(width >= 1 && height >= 1) || rgb.length !== width * height * 3) {
    throw new ImageInputError(argument, `${source} is a truncated or corrupt JPEG`);
  }
  // Always RGB (a gray JPEG has R = G = B, which the gray conversion keeps exact).
  return { format: 'jpeg', width, height, channels: 3, depth: 8, data: Float64Array.from(rgb, (v) => v / 255) };
}

/**
 * Decodes a PNG (gray, gray+alpha, RGB, RGBA or palette; 1/2/4/8/16 bits; interlaced or not) or a baseline/progressive
 * JPEG, chosen by the file's signature, into samples in [0, 1] (sample / (2^depth − 1), as torchvision's `ToTensor`
 * does for 8-bit images). PNG chunk CRCs are checked. Limits: PNG at most 25 megapixels, JPEG at most 64 MB of RGB
 * bytes (about 21 megapixels, the limit of `decodeJpegRgb`).
 *
 * @param bytes the file's contents
 * @param argument flag named by errors (default `--input`)
 * @param source file name shown in errors
 * @throws {ImageInputError} not a PNG/JPEG, truncated or corrupt, or too large
 */
export function decodeImage(bytes: Uint8Array, argument = '--input', source = 'the image'): DecodedImage {
  const format = imageFormatOf(bytes);
  if (format === 'png') return decodePngImage(bytes, argument, source);
  if (format === 'jpeg') return decodeJpegImage(bytes, argument, source);
  throw new ImageInputError(argument, `${source} is neither a PNG nor a JPEG (bad signature); allowed: PNG, JPEG`);
}
