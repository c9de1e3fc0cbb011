import type { LayerDescription, NetworkDescription } from '@lipkit/lipschitz-bounds';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ConstrainedConv2d } from './constrainedConv2d.js';
import { ConstrainedDense } from './constrainedDense.js';
import { ConstrainedLayersError } from './constrainedLayersError.js';
import type { ConstrainedNetwork } from './constrainedNetwork.js';
import { torchConvKernelOf } from './kernelLayout.js';
import { PoolingShortcut } from './poolingShortcut.js';
import { SimplexClassifier } from './simplexClassifier.js';
import { SymmetricPaddedMaxPool2d } from './symmetricPaddedMaxPool2d.js';

type Shape4 = [number | null, number, number, number];

/**
 * A circular conv kernel `[Cout, Cin, k, k]` (PyTorch layout) as one with symmetric padding: an even k has padding
 * ⌊k/2⌋ on the top/left and ⌊k/2⌋ − 1 on the bottom/right (spec §2.1), which equals the kernel embedded in
 * (k+1)×(k+1) with a zero last row and column and padding k/2 on every side (the extra taps are zero).
 */
function symmetricCircularKernel(data: Float64Array, shape: readonly number[]): { data: Float64Array; k: number } {
  const [cout, cin, k] = shape as [number, number, number, number];
  if (k % 2 === 1) return { data, k };
  const k1 = k + 1;
  const out = new Float64Array(cout * cin * k1 * k1);
  for (let oc = 0; oc < cout * cin; oc++) {
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) out[(oc * k1 + a) * k1 + b] = data[(oc * k + a) * k + b] as number;
    }
  }
  return { data: out, k: k1 };
}

/** Dense `[in, out]` TF kernel on features flattened NHWC (h, w, c) → PyTorch `[out, in]` on (c, h, w) order. */
function denseWeightChannelsFirst(
  kernel: ArrayLike<number>,
  units: number,
  spatial: [number, number, number],
): Float64Array {
  const [h, w, c] = spatial;
  const n = h * w * c;
  const out = new Float64Array(units * n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        const tfIndex = (y * w + x) * c + ch;
        const torchIndex = (ch * h + y) * w + x;
        for (let o = 0; o < units; o++) out[o * n + torchIndex] = kernel[tfIndex * units + o] as number;
      }
    }
  }
  return out;
}

const unsupported = (layer: tfl.layers.Layer, why: string) =>
  new ConstrainedLayersError(
    'network',
    `layer '${layer.name}' (${layer.getClassName()}) ${why}`,
    'chains of constrained convs/dense, ReLU, padded max-pools, global average pooling, BatchNorm, flatten, the simplex classifier and identity-shortcut adds',
  );

/**
 * Exports a constrained network (or its tfjs-layers model) to lipkit's framework-free network description
 * (`@lipkit/lipschitz-bounds`: channels-first, PyTorch layouts), so the bounds package can bound it. Circular convs
 * become `paddingMode: 'circular'` (even kernels after surgery are embedded in the next odd size, which is exactly
 * the same map); `SymmetricPaddedMaxPool2d` becomes `maxpool2d` with its padding; global average pooling an
 * `avgpool2d` over the whole map plus `flatten`; BatchNorm its eval-mode affine map; dense classifiers `dense`
 * (columns permuted from TF's (h, w, c) flatten order to (c, h, w)). Identity-shortcut adds become `add`.
 * The no-stride ResNet's {@link PoolingShortcut} (a channel concatenation of two max-pools) has no equivalent in
 * the description, so networks containing it are rejected with a typed error.
 */
export function toNetworkDescription(network: ConstrainedNetwork | tfl.LayersModel): NetworkDescription {
  const model = 'model' in network && 'architecture' in network ? network.model : (network as tfl.LayersModel);
  const inputShape = (model.inputs[0]?.shape ?? []) as Shape4;
  if (inputShape.length !== 4) {
    throw new ConstrainedLayersError('network', 'has no single NHWC image input', 'a model with input [H, W, C]');
  }
  const layers: LayerDescription[] = [];
  // description index of each tfjs layer's output (−1 = the input)
  const indexOf = new Map<string, number>();
  // (h, w, c) of the map each `flatten` entry flattened, for the dense layer after it
  const flattenedShapes = new Map<number, [number, number, number]>();
  for (const layer of model.layers) {
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    if (inbound.length === 0) {
      indexOf.set(layer.name, -1);
      continue;
    }
    const previous = layers.length - 1;
    const sources = inbound.map((l) => indexOf.get(l.name) as number);
    const className = layer.getClassName();
    if (className === 'Add') {
      const other = sources.find((s) => s !== previous);
      if (sources.length !== 2 || !sources.includes(previous) || other === undefined) {
        throw unsupported(layer, 'adds two outputs that are not "previous + earlier"');
      }
      layers.push({ type: 'add', from: other });
      indexOf.set(layer.name, layers.length - 1);
      continue;
    }
    if (sources.length !== 1 || sources[0] !== previous) throw unsupported(layer, 'is not fed by the layer before it');
    const inShape = inbound[0]?.outputShape as Shape4;
    if (layer instanceof ConstrainedConv2d) {
      const { kernel, shape } = layer.kernelValues();
      const torch = torchConvKernelOf(kernel, shape);
      const { data, k } = symmetricCircularKernel(torch.data, torch.shape);
      const bias = layer.biasValues();
      layers.push({
        type: 'conv2d',
        weight: { shape: [shape[3], shape[2], k, k], data },
        ...(bias ? { bias: { shape: [bias.length], data: bias } } : {}),
        stride: [layer.strides, layer.strides],
        padding: [(k - 1) / 2, (k - 1) / 2],
        paddingMode: 'circular',
      });
    } else if (layer instanceof ConstrainedDense || layer instanceof SimplexClassifier) {
      const weights = layer.getWeights();
      const kernel = weights[0]?.dataSync() as Float32Array;
      const units = layer.units;
      const inFeatures = kernel.length / units;
      // the flatten before it recorded the spatial shape it flattened
      const spatial = flattenedShapes.get(previous) ?? ([1, 1, inFeatures] as [number, number, number]);
      const bias = layer instanceof ConstrainedDense ? layer.biasValues() : null;
      layers.push({
        type: 'dense',
        weight: { shape: [units, inFeatures], data: denseWeightChannelsFirst(kernel, units, spatial) },
        ...(bias ? { bias: { shape: [bias.length], data: bias } } : {}),
      });
    } else if (
      className === 'ReLU' ||
      (className === 'Activation' && (layer.getConfig() as { activation?: string }).activation === 'relu')
    ) {
      layers.push({ type: 'relu' });
    } else if (layer instanceof SymmetricPaddedMaxPool2d) {
      layers.push({
        type: 'maxpool2d',
        kernel: [layer.poolSize, layer.poolSize],
        stride: [layer.strides, layer.strides],
        padding: [layer.padding, layer.padding],
      });
    } else if (className === 'Flatten') {
      flattenedShapes.set(layers.length, [inShape[1], inShape[2], inShape[3]]);
      layers.push({ type: 'flatten' });
    } else if (className === 'GlobalAveragePooling2D') {
      layers.push({
        type: 'avgpool2d',
        kernel: [inShape[1], inShape[2]],
        stride: [inShape[1], inShape[2]],
        padding: [0, 0],
      });
      layers.push({ type: 'flatten' });
    } else if (className === 'BatchNormalization') {
      const [gamma, beta, mean, variance] = layer.getWeights().map((w) => w.dataSync());
      const eps = (layer.getConfig() as { epsilon: number }).epsilon;
      const channels = (gamma as Float32Array).length;
      const scale = new Float64Array(channels);
      const shift = new Float64Array(channels);
      for (let c = 0; c < channels; c++) {
        scale[c] = (gamma?.[c] as number) / Math.sqrt((variance?.[c] as number) + eps);
        shift[c] = (beta?.[c] as number) - (mean?.[c] as number) * (scale[c] as number);
      }
      layers.push({
        type: 'batchnorm',
        scale: { shape: [channels], data: scale },
        shift: { shape: [channels], data: shift },
      });
    } else if (layer instanceof PoolingShortcut) {
      throw unsupported(
        layer,
        'concatenates two max-pools along channels, which the network description cannot express',
      );
    } else {
      throw unsupported(layer, 'has no network-description equivalent');
    }
    indexOf.set(layer.name, layers.length - 1);
  }
  return {
    format: 'lipkit-network',
    version: 1,
    inputShape: [inputShape[3], inputShape[1], inputShape[2]],
    layers,
    note: `exported from @lipkit/constrained-layers model '${model.name}'`,
  };
}
