/**
 * The nominal input x0 of `lipkit bounds` / `lipkit certify`: a `{shape, data}` tensor file (already normalised) or an
 * image (PNG, JPEG) converted to the network's channels-first input and normalised as in training.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { loadInputTensor } from '@lipkit/lipschitz-bounds';
import { CliUsageError } from './cliErrors.js';
import { type DecodedImage, decodeImage, ImageInputError, imageFormatOf } from './imageInput.js';
import { resizeBilinear } from './resizeBilinear.js';

/** How an image becomes a network input. Every field is optional; the defaults leave the [0, 1] samples as they are. */
export interface ImageNormalisation {
  /** Per-channel means subtracted after scaling to [0, 1]: one value (all channels) or C values. Default 0. */
  mean?: readonly number[];
  /** Per-channel standard deviations divided by: one value or C values, each > 0. Default 1. */
  std?: readonly number[];
  /** Bilinearly resize an image whose size differs from the network's H×W (see `resizeBilinear`). Default false. */
  resize?: boolean;
}

function channelValues(flag: string, values: readonly number[] | undefined, c: number, fallback: number): number[] {
  if (values === undefined) return Array.from({ length: c }, () => fallback);
  if (values.length === 1) return Array.from({ length: c }, () => values[0] as number);
  if (values.length !== c) {
    throw new ImageInputError(
      flag,
      `has ${values.length} values; the network input has ${c} channels; allowed: 1 or ${c}`,
    );
  }
  return [...values];
}

/**
 * Converts a decoded image to a network input of shape [C, H, W] (channels first, as PyTorch), as torchvision's
 * `ToTensor()` then `Normalize(mean, std)`: x[c, y, x] = (sample − mean[c]) / std[c], samples in [0, 1].
 *
 * Channels: C = 1 takes gray images as they are and RGB images by luminance Y = 0.299 R + 0.587 G + 0.114 B
 * (ITU-R BT.601, the weights of PIL's `convert('L')` and torchvision's `rgb_to_grayscale`; computed in float64 without
 * PIL's rounding to 8 bits; a pixel with R = G = B keeps its value exactly). C = 3 takes RGB as it is and repeats gray
 * in the three channels. Alpha has already been dropped by the decoder.
 *
 * Normalisation of the seed networks (spec local-lipschitz §7): MNIST LeNet mean 0.1307, std 0.3081; CIFAR-10 net mean
 * 0.4914,0.4822,0.4465, std 0.2470,0.2435,0.2616; ImageNet (AlexNet, VGG16) mean 0.485,0.456,0.406, std
 * 0.229,0.224,0.225.
 *
 * @param image a decoded image (`decodeImage`)
 * @param inputShape the network's input shape; must be [C, H, W] with C = 1 or 3
 * @param options mean, std, resize
 * @param source file name shown in errors
 * @throws {ImageInputError} (`--input`) the shape is not an image shape, or the size differs from H×W without
 *   `resize`; (`--mean`, `--std`) a list of the wrong length, a non-finite mean or a std ≤ 0
 */
export function imageToNetworkInput(
  image: DecodedImage,
  inputShape: readonly number[],
  options: ImageNormalisation = {},
  source = 'the image',
): Float64Array {
  const [c, h, w] = inputShape as [number, number, number];
  if (inputShape.length !== 3 || (c !== 1 && c !== 3)) {
    throw new ImageInputError(
      '--input',
      `${source} is an image but the network input is ${JSON.stringify(inputShape)}; allowed: images for networks ` +
        'with input [C, H, W], C = 1 or 3 (give other inputs as a {shape, data} JSON file)',
    );
  }
  const mean = channelValues('--mean', options.mean, c, 0);
  const std = channelValues('--std', options.std, c, 1);
  if (!mean.every(Number.isFinite)) throw new ImageInputError('--mean', `${mean.join(',')}; allowed: finite numbers`);
  if (!std.every((s) => Number.isFinite(s) && s > 0)) {
    throw new ImageInputError('--std', `${std.join(',')}; allowed: finite numbers > 0`);
  }
  let pixels = image.data;
  if (image.width !== w || image.height !== h) {
    if (!options.resize) {
      throw new ImageInputError(
        '--input',
        `${source} is ${image.width}×${image.height} (W×H) but the network takes ${w}×${h}; allowed: an image of ` +
          `that size, or --resize to resize it bilinearly`,
      );
    }
    pixels = resizeBilinear(pixels, image.width, image.height, image.channels, w, h);
  }
  const plane = h * w;
  const out = new Float64Array(c * plane);
  const k = image.channels;
  for (let p = 0; p < plane; p++) {
    if (c === 1 && k === 3) {
      const r = pixels[p * 3] as number;
      const g = pixels[p * 3 + 1] as number;
      const b = pixels[p * 3 + 2] as number;
      const y = r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
      out[p] = (y - (mean[0] as number)) / (std[0] as number);
    } else {
      for (let ch = 0; ch < c; ch++) {
        const v = pixels[p * k + (k === 1 ? 0 : ch)] as number;
        out[ch * plane + p] = (v - (mean[ch] as number)) / (std[ch] as number);
      }
    }
  }
  return out;
}

/** Where a loaded network input came from. */
export interface NetworkInput {
  /** x0, flattened in the network's input layout. */
  data: Float64Array;
  /** The decoded image's format and size, when the file was an image. */
  image?: { format: DecodedImage['format']; width: number; height: number; channels: 1 | 3; resized: boolean };
}

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/**
 * Loads x0 for a network whose input shape is `inputShape`: an image (PNG or JPEG, recognised by its signature)
 * through `decodeImage` and `imageToNetworkInput`, or else a `{shape, data}` tensor file (`.json`, `.json.gz`),
 * which must already be normalised.
 *
 * @param path the file
 * @param inputShape the network's input shape (`prepareNetwork(...).shapes[0]`)
 * @param options image normalisation; giving any of it with a tensor file is an error (it is already normalised)
 * @throws {ImageInputError} bad image, size or normalisation; a file named .png/.jpg/.jpeg that is not one
 * @throws {CliUsageError} (`--mean`, `--std`, `--resize`) options given for a tensor file; (`--input`) a tensor with
 *   the wrong number of values
 */
export async function loadNetworkInput(
  path: string,
  inputShape: readonly number[],
  options: ImageNormalisation = {},
): Promise<NetworkInput> {
  const bytes = new Uint8Array(await readFile(path));
  const format = imageFormatOf(bytes);
  if (format !== null || IMAGE_EXTENSIONS.includes(extname(path).toLowerCase())) {
    const image = decodeImage(bytes, '--input', path);
    const data = imageToNetworkInput(image, inputShape, options, path);
    const { width, height, channels } = image;
    const resized = width !== inputShape[2] || height !== inputShape[1];
    return { data, image: { format: image.format, width, height, channels, resized } };
  }
  const given = (['mean', 'std', 'resize'] as const).find((o) => options[o] !== undefined && options[o] !== false);
  if (given) {
    throw new CliUsageError(
      `--${given}`,
      `applies to image inputs only; ${path} is a {shape, data} tensor file, already normalised`,
    );
  }
  const { data } = await loadInputTensor(path);
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new CliUsageError(
      '--input',
      `${path} has ${data.length} values; the network input ${JSON.stringify(inputShape)} needs ${size}`,
    );
  }
  return { data };
}
