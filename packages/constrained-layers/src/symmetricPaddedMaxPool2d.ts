import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger } from './constrainedLayersError.js';
import { type BaseLayerArgs, type LayerShape, singleShape } from './layerArgs.js';
import { maxPool2dShiftedGradient } from './maxPool2dShiftedGradient.js';

/** Options of {@link SymmetricPaddedMaxPool2d}. */
export interface SymmetricPaddedMaxPool2dArgs extends BaseLayerArgs {
  /** Window size k (square). */
  poolSize: number;
  /** Stride s. */
  strides: number;
  /** Padding p added on every side (padded cells never win the max). */
  padding: number;
}

/**
 * Max-pooling as PyTorch's `MaxPool2d(k, s, p)` (NHWC): p cells of −∞ on *each* side, output
 * `⌊(H + 2p − k)/s⌋ + 1`. TF.js's `'same'` padding puts the extra cell at the bottom/right instead, which shifts the
 * windows. Used for the models' `MaxPool2d(3, 2, 1)`. Not 1-Lipschitz in ℓ2 when windows overlap (factor ≤ 2 for
 * k = 3, s = 2: every input cell lies in at most 4 windows). Its gradient is right on wasm too
 * ({@link maxPool2dShiftedGradient}).
 */
export class SymmetricPaddedMaxPool2d extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'SymmetricPaddedMaxPool2d';
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: number;

  constructor(args: SymmetricPaddedMaxPool2dArgs) {
    super(args);
    checkInteger('poolSize', args.poolSize, 1);
    checkInteger('strides', args.strides, 1);
    checkInteger('padding', args.padding, 0);
    this.poolSize = args.poolSize;
    this.strides = args.strides;
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [n, h, w, c] = singleShape(inputShape);
    const size = (x: number | null | undefined) =>
      x == null ? null : Math.floor((x + 2 * this.padding - this.poolSize) / this.strides) + 1;
    return [n ?? null, size(h), size(w), c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return maxPool2dShiftedGradient(x, this.poolSize, this.strides, this.padding === 0 ? 'valid' : this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}
tf.serialization.registerClass(SymmetricPaddedMaxPool2d);
