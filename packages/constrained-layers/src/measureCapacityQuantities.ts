import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ConstrainedConv2d } from './constrainedConv2d.js';
import { ConstrainedDense } from './constrainedDense.js';
import { ConstrainedLayersError } from './constrainedLayersError.js';
import type { ConstrainedNetwork } from './constrainedNetwork.js';
import { torchConvKernelOf, torchDenseWeightOf } from './kernelLayout.js';
import { negativeMargins } from './margins.js';
import type { CapacityLayerQuantities, CapacityQuantities } from './rademacherBounds.js';
import { SimplexClassifier } from './simplexClassifier.js';

/** A framework-free batch: NHWC images (float32, already normalised as the network sees them) and labels. */
export interface CapacityBatch {
  /** N·H·W·C values, NHWC. */
  images: Float32Array;
  /** N class indices. */
  labels: Int32Array;
}

/** Options of {@link measureCapacityQuantities}. */
export interface MeasureCapacityOptions {
  /** Number of batches, for `onProgress` when `batches` is an async iterable (else its length). */
  totalBatches?: number;
  /** Called after each batch with (batches done, total batches; 0 if unknown). */
  onProgress?: (done: number, total: number) => void;
}

type ParametricLayer = ConstrainedConv2d | ConstrainedDense | SimplexClassifier;

interface KernelStats {
  norm22: number;
  dist22: number;
  norm1inf: number;
  dist1inf: number;
  maxFilterNorm: number;
  filterDist21: number;
}

/** Filter statistics of a kernel [Cout, rest] (PyTorch layout, one filter per row) and its init. */
function kernelStats(kernel: Float64Array, init: Float64Array, filters: number): KernelStats {
  const per = kernel.length / filters;
  const s: KernelStats = { norm22: 0, dist22: 0, norm1inf: 0, dist1inf: 0, maxFilterNorm: 0, filterDist21: 0 };
  for (let o = 0; o < filters; o++) {
    let sq = 0;
    let dsq = 0;
    let abs = 0;
    let dabs = 0;
    for (let i = o * per; i < (o + 1) * per; i++) {
      const k = kernel[i] as number;
      const d = k - (init[i] as number);
      sq += k * k;
      dsq += d * d;
      abs += Math.abs(k);
      dabs += Math.abs(d);
    }
    s.norm22 += sq;
    s.dist22 += dsq;
    s.norm1inf = Math.max(s.norm1inf, abs);
    s.dist1inf = Math.max(s.dist1inf, dabs);
    s.maxFilterNorm = Math.max(s.maxFilterNorm, Math.sqrt(sq));
    s.filterDist21 += Math.sqrt(dsq);
  }
  s.norm22 = Math.sqrt(s.norm22);
  s.dist22 = Math.sqrt(s.dist22);
  return s;
}

/** Weight quantities of one layer (everything but `inputPatchNorm`). */
function layerQuantities(layer: ParametricLayer): Omit<CapacityLayerQuantities, 'inputPatchNorm'> {
  if (layer instanceof ConstrainedConv2d) {
    const { kernel, init, shape } = layer.kernelValues();
    const [kh, , cin, cout] = shape;
    return {
      numParams: kernel.length,
      stride: layer.strides,
      kernelSize: kh,
      inputWidth: layer.inputGrid[1],
      inputChannels: cin,
      lip: layer.lip(),
      dist21: layer.dist(),
      ...kernelStats(torchConvKernelOf(kernel, shape).data, torchConvKernelOf(init, shape).data, cout),
    };
  }
  // dense / simplex on flattened 1×1 features: a 1×1 conv on a 1×1 input
  const kernel = Float64Array.from(layer.getWeights()[0]?.dataSync() ?? []);
  const units = layer.units;
  const inFeatures = kernel.length / units;
  const weight = torchDenseWeightOf(kernel, inFeatures, units);
  const init =
    layer instanceof ConstrainedDense ? torchDenseWeightOf(layer.kernelValues().init, inFeatures, units) : weight; // frozen simplex: no distance
  return {
    numParams: kernel.length,
    stride: 1,
    kernelSize: 1,
    inputWidth: 1,
    inputChannels: inFeatures,
    lip: layer.lip(),
    dist21: layer.dist(),
    ...kernelStats(weight, init, units),
  };
}

/** max over images and window positions of the k×k patch norm (all channels), windows truncated at the border. */
function maxPatchNorm(activation: tf.Tensor, k: number): number {
  return tf.tidy(() => {
    const x = (
      activation.rank === 2 ? tf.reshape(activation, [activation.shape[0] as number, 1, 1, -1]) : activation
    ) as tf.Tensor4D;
    const energy = tf.sum(tf.square(x), 3, true) as tf.Tensor4D;
    const padded =
      k > 1
        ? tf.pad(energy, [
            [0, 0],
            [0, k - 1],
            [0, k - 1],
            [0, 0],
          ])
        : energy;
    const windowSums = k > 1 ? tf.mul(tf.avgPool(padded, k, 1, 'valid'), k * k) : padded;
    return Math.sqrt(Math.max(0, tf.max(windowSums).dataSync()[0] as number));
  });
}

/**
 * Measures the inputs of the Rademacher bounds (spec §10) from a trained simple convnet and its training data:
 * n, κ, γ = the **minimum** training margin (as the original; ≤ 0 if any point is misclassified, which the bounds
 * reject — override `margin` to use another one), ‖X‖_F, max|X|, max_j ‖X_{:,j}‖₂, and per parametric layer
 * (convs in forward order, classifier last; a dense/simplex classifier counts as a 1×1 conv on a 1×1 input) its
 * size, stride, kernel, input width/channels, exact `lip()`, norms and distances to the init snapshot (PyTorch
 * layout, per output filter), and the max k×k patch norm of the activations entering it (windows truncated at
 * the border; the first layer's is the X_0 of Ledent et al.). All float64 accumulations; the forward pass is
 * float32 (eval mode).
 *
 * @throws {ConstrainedLayersError} `network` for a network with residual blocks (the ResNet: the bounds are for
 * chain convnets), `batches` for images/labels that do not match the model input.
 */
export async function measureCapacityQuantities(
  network: ConstrainedNetwork,
  batches: readonly CapacityBatch[] | AsyncIterable<CapacityBatch>,
  options: MeasureCapacityOptions = {},
): Promise<CapacityQuantities> {
  if (network.architecture === 'noStridePreActResNet18') {
    throw new ConstrainedLayersError(
      'network',
      'is a residual network',
      'simpleConvnet6 / simpleConvnet11 (chain convnets, spec §10)',
    );
  }
  const model = network.model;
  const layers = model.layers.filter(
    (l): l is ParametricLayer =>
      l instanceof ConstrainedConv2d || l instanceof ConstrainedDense || l instanceof SimplexClassifier,
  );
  const [, h, w, c] = (model.inputs[0] as tfl.SymbolicTensor).shape as [null, number, number, number];
  const probe = tfl.model({
    inputs: model.inputs,
    outputs: [...layers.map((l) => l.input as tfl.SymbolicTensor), model.outputs[0] as tfl.SymbolicTensor],
  });
  const featureSquares = new Float64Array(h * w * c);
  const patchNorms = new Float64Array(layers.length);
  const kernelSizes = layers.map((l) => (l instanceof ConstrainedConv2d ? l.effectiveKernelSize : 1));
  let n = 0;
  let sumSquares = 0;
  let maxAbs = 0;
  let minMargin = Number.POSITIVE_INFINITY;
  let done = 0;
  const total = Array.isArray(batches) ? batches.length : (options.totalBatches ?? 0);
  for await (const batch of batches as AsyncIterable<CapacityBatch>) {
    const count = batch.labels.length;
    if (batch.images.length !== count * h * w * c) {
      throw new ConstrainedLayersError(
        'batches',
        `a batch has ${batch.images.length} image values for ${count} labels`,
        `N·${h}·${w}·${c} values (NHWC) for N labels`,
      );
    }
    for (let i = 0; i < batch.images.length; i++) {
      const v = batch.images[i] as number;
      sumSquares += v * v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
      featureSquares[i % featureSquares.length] = (featureSquares[i % featureSquares.length] as number) + v * v;
    }
    tf.tidy(() => {
      const x = tf.tensor4d(batch.images, [count, h, w, c]);
      const outputs = probe.predict(x) as tf.Tensor[];
      outputs.slice(0, layers.length).forEach((activation, l) => {
        patchNorms[l] = Math.max(patchNorms[l] as number, maxPatchNorm(activation, kernelSizes[l] as number));
      });
      const margins = negativeMargins(outputs[layers.length] as tf.Tensor2D, batch.labels);
      minMargin = Math.min(minMargin, -(tf.max(margins).dataSync()[0] as number));
    });
    n += count;
    options.onProgress?.(++done, total);
  }
  if (n === 0) throw new ConstrainedLayersError('batches', 'is empty', 'at least one sample');
  return {
    n,
    numClasses: model.outputs[0]?.shape[1] as number,
    margin: minMargin,
    inputFrobeniusNorm: Math.sqrt(sumSquares),
    inputMaxAbs: maxAbs,
    inputMaxColumnNorm: Math.sqrt(Math.max(...featureSquares)),
    layers: layers.map((layer, l) => ({ ...layerQuantities(layer), inputPatchNorm: patchNorms[l] as number })),
  };
}
