/**
 * Converts a sequential tfjs-layers model (channels-last, NHWC) to a lipkit network description (channels-first,
 * PyTorch layouts). The model is read structurally (class names, configs, weight values), so this package needs no
 * tfjs-layers at run time. Conv kernels [kh, kw, Cin, Cout] become [Cout, Cin, kh, kw]; dense kernels [in, out]
 * become [out, in]; the first Dense after a Flatten of an (H, W, C) image gets its columns permuted from the NHWC
 * flatten order to lipkit's (C, H, W) order. Unsupported layers throw a {@link ModelImportError} naming the layer.
 */
import { ModelImportError } from './lipschitzBoundsError.js';
import type { LayerDescription, NetworkDescription } from './networkDescription.js';
import { validateNetworkDescription } from './validateNetworkDescription.js';

/** The part of a tfjs `LayerVariable` the adapter reads. */
export interface TfjsWeightLike {
  /** e.g. `conv2d_1/kernel`. */
  readonly name: string;
  readonly shape: readonly (number | null)[];
  read(): { dataSync(): ArrayLike<number> };
}

/** The part of a tfjs `Layer` the adapter reads. */
export interface TfjsLayerLike {
  readonly name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly weights: readonly TfjsWeightLike[];
}

/** The part of a tfjs `LayersModel` the adapter reads (a `tf.Sequential` or a chain-shaped functional model). */
export interface TfjsModelLike {
  readonly layers: readonly TfjsLayerLike[];
  readonly inputs: readonly { readonly shape: readonly (number | null)[] }[];
}

function weightOf(layer: TfjsLayerLike, suffix: string): { shape: number[]; data: Float64Array } | null {
  // tfjs makes variable names unique with a numeric suffix (`dense/kernel_1`).
  const pattern = new RegExp(`(^|/)${suffix}(_\\d+)?$`);
  const w = layer.weights.find((v) => pattern.test(v.name));
  if (!w) return null;
  return { shape: w.shape as number[], data: Float64Array.from(w.read().dataSync()) };
}

function pair(v: unknown, fallback: number): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0] as number, v[1] as number];
  return [fallback, fallback];
}

/** Symmetric padding equal to TF's `same` for this size, or null when TF would pad asymmetrically. */
function samePadding(size: number, kernel: number, stride: number): number | null {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return total % 2 === 0 ? total / 2 : null;
}

/**
 * Converts the model (see the file comment). The input shape is the model input's shape without the batch dimension,
 * `[H, W, C]` → `[C, H, W]`.
 * @throws ModelImportError naming the layer for unsupported layers or settings
 * @throws NetworkDescriptionError if the converted description is inconsistent
 */
export function networkFromTfjsModel(model: TfjsModelLike): NetworkDescription {
  const inShape = model.inputs[0]?.shape.slice(1);
  if (!inShape || (inShape.length !== 1 && inShape.length !== 3) || inShape.some((d) => d === null)) {
    throw new ModelImportError(
      'model',
      'inputs',
      `needs one input of static shape [n] or [H, W, C]; got ${JSON.stringify(model.inputs[0]?.shape)}`,
    );
  }
  let shape: number[] =
    inShape.length === 3 ? [inShape[2] as number, inShape[0] as number, inShape[1] as number] : [inShape[0] as number];
  const inputShape = shape.slice();
  const layers: LayerDescription[] = [];
  // (C, H, W) of the last Flatten of an image, until the next Dense consumes it.
  let pendingFlatten: [number, number, number] | null = null;
  const activation = (layer: TfjsLayerLike, label: string) => {
    const a = (layer.getConfig().activation as string | undefined) ?? 'linear';
    if (a === 'relu') layers.push({ type: 'relu' });
    else if (a !== 'linear') throw new ModelImportError(label, 'activation', `"${a}"; allowed: relu, linear`);
  };
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const label = `layer "${layer.name}" (${cls})`;
    const config = layer.getConfig();
    if (cls === 'InputLayer') continue;
    if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') {
      throw new ModelImportError(label, 'dataFormat', `"${String(config.dataFormat)}"; allowed: channelsLast`);
    }
    const spatial = () => {
      if (shape.length !== 3) throw new ModelImportError(label, 'input', 'needs an image input (H, W, C)');
      return shape as [number, number, number];
    };
    switch (cls) {
      case 'Dense': {
        const kernel = weightOf(layer, 'kernel');
        if (!kernel) throw new ModelImportError(label, 'kernel', 'missing');
        const [nIn, nOut] = kernel.shape as [number, number];
        const w = new Array<number>(nOut * nIn);
        for (let o = 0; o < nOut; o++) {
          for (let i = 0; i < nIn; i++) {
            // Column i of lipkit's (C, H, W) flatten reads tfjs's (H, W, C) flatten index.
            let src = i;
            if (pendingFlatten) {
              const [c, h, wd] = pendingFlatten;
              const ch = Math.floor(i / (h * wd));
              const rest = i % (h * wd);
              src = rest * c + ch;
            }
            w[o * nIn + i] = kernel.data[src * nOut + o] as number;
          }
        }
        pendingFlatten = null;
        const bias = weightOf(layer, 'bias');
        const d: LayerDescription = { type: 'dense', weight: { shape: [nOut, nIn], data: w } };
        if (bias) d.bias = { shape: [nOut], data: bias.data };
        layers.push(d);
        shape = [nOut];
        activation(layer, label);
        break;
      }
      case 'Conv2D': {
        const [, h, wd] = spatial();
        const kernel = weightOf(layer, 'kernel');
        if (!kernel) throw new ModelImportError(label, 'kernel', 'missing');
        const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
        if (pair(config.dilationRate, 1).some((d) => d !== 1))
          throw new ModelImportError(label, 'dilationRate', 'allowed: 1');
        const [sh, sw] = pair(config.strides, 1);
        let padding: [number, number] = [0, 0];
        if (config.padding === 'same') {
          const ph = samePadding(h, kh, sh);
          const pw = samePadding(wd, kw, sw);
          if (ph === null || pw === null) {
            throw new ModelImportError(
              label,
              'padding',
              `'same' pads asymmetrically here (kernel ${kh}×${kw}, stride ${sh}×${sw}, input ${h}×${wd}); allowed: symmetric padding`,
            );
          }
          padding = [ph, pw];
        } else if (config.padding !== 'valid') {
          throw new ModelImportError(label, 'padding', `"${String(config.padding)}"; allowed: valid, same`);
        }
        const data = new Array<number>(cout * cin * kh * kw);
        for (let o = 0; o < cout; o++)
          for (let c = 0; c < cin; c++)
            for (let a = 0; a < kh; a++)
              for (let b = 0; b < kw; b++)
                data[((o * cin + c) * kh + a) * kw + b] = kernel.data[((a * kw + b) * cin + c) * cout + o] as number;
        const bias = weightOf(layer, 'bias');
        const d: LayerDescription = {
          type: 'conv2d',
          weight: { shape: [cout, cin, kh, kw], data },
          stride: [sh, sw],
          padding,
          paddingMode: 'zeros',
        };
        if (bias) d.bias = { shape: [cout], data: bias.data };
        layers.push(d);
        shape = [cout, Math.floor((h + 2 * padding[0] - kh) / sh) + 1, Math.floor((wd + 2 * padding[1] - kw) / sw) + 1];
        activation(layer, label);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [c, h, wd] = spatial();
        const [kh, kw] = pair(config.poolSize, 2);
        const [sh, sw] = pair(config.strides ?? config.poolSize, 2);
        let padding: [number, number] = [0, 0];
        if (config.padding === 'same') {
          const ph = samePadding(h, kh, sh);
          const pw = samePadding(wd, kw, sw);
          if (ph === null || pw === null || (cls === 'AveragePooling2D' && (ph > 0 || pw > 0))) {
            throw new ModelImportError(label, 'padding', `'same' padding is not representable here; allowed: valid`);
          }
          padding = [ph, pw];
        }
        layers.push({
          type: cls === 'MaxPooling2D' ? 'maxpool2d' : 'avgpool2d',
          kernel: [kh, kw],
          stride: [sh, sw],
          padding,
        });
        shape = [c, Math.floor((h + 2 * padding[0] - kh) / sh) + 1, Math.floor((wd + 2 * padding[1] - kw) / sw) + 1];
        break;
      }
      case 'Flatten':
        if (shape.length === 3) pendingFlatten = shape as [number, number, number];
        layers.push({ type: 'flatten' });
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'Dropout':
        layers.push({ type: 'dropout' });
        break;
      case 'ReLU':
        if (config.maxValue !== undefined && config.maxValue !== null)
          throw new ModelImportError(label, 'maxValue', 'allowed: none');
        layers.push({ type: 'relu' });
        break;
      case 'Activation':
        activation(layer, label);
        break;
      case 'BatchNormalization': {
        const axis = config.axis as number | undefined;
        if (axis !== undefined && axis !== -1 && axis !== shape.length)
          throw new ModelImportError(label, 'axis', 'allowed: the channel axis (-1)');
        const channels = shape[0] as number;
        const eps = (config.epsilon as number | undefined) ?? 1e-3;
        const gamma = weightOf(layer, 'gamma')?.data ?? new Float64Array(channels).fill(1);
        const beta = weightOf(layer, 'beta')?.data ?? new Float64Array(channels);
        const mean = weightOf(layer, 'moving_mean')?.data;
        const variance = weightOf(layer, 'moving_variance')?.data;
        if (!mean || !variance) throw new ModelImportError(label, 'moving_mean', 'missing moving statistics');
        const scale = Array.from(gamma, (g, c) => g / Math.sqrt((variance[c] as number) + eps));
        const shift = Array.from(beta, (b, c) => b - (mean[c] as number) * (scale[c] as number));
        layers.push({
          type: 'batchnorm',
          scale: { shape: [channels], data: scale },
          shift: { shape: [channels], data: shift },
        });
        break;
      }
      default:
        throw new ModelImportError(
          label,
          'className',
          `unsupported layer ${cls}; allowed: Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, ReLU, Activation(relu), BatchNormalization (residual models: export to ONNX)`,
        );
    }
  }
  const description: NetworkDescription = {
    format: 'lipkit-network',
    version: 1,
    inputShape,
    layers,
    note: 'converted from a tfjs LayersModel by @lipkit/lipschitz-bounds',
  };
  return validateNetworkDescription(description).description;
}
