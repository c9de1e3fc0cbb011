import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ConstrainedLayersError } from './constrainedLayersError.js';
import { type BaseLayerArgs, type LayerShape, singleShape } from './layerArgs.js';
import { maxPool2dShiftedGradient } from './maxPool2dShiftedGradient.js';

/**
 * The parameter-free downsampling shortcut of the no-stride PreAct-ResNet (spec §6.4), NHWC. For W > 1 it outputs
 * `concat([a, b], channels)` with `a = maxpool(2, 2)(x)` and `b[i,j] = max{x[r,c] : r ∈ {2i−1, 2i},
 * c ∈ {2j−1, 2j}, in range}` (the 2×2 windows shifted by −1, clipped): 2C channels at half the size. For a 1×1
 * input it outputs `concat([x, x])`. Lipschitz constant √2 (two 1-Lipschitz maps with disjoint windows,
 * concatenated), exact. Needs square inputs of even size (or 1×1): checked at build.
 */
export class PoolingShortcut extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'PoolingShortcut';

  constructor(args: BaseLayerArgs = {}) {
    super(args);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [, h, w] = singleShape(inputShape);
    if (h == null || w == null || h !== w || (h !== 1 && h % 2 !== 0)) {
      throw new ConstrainedLayersError(
        'inputShape',
        `PoolingShortcut got ${h}×${w}`,
        'a square input of even size, or 1×1',
      );
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [n, h, w, c] = singleShape(inputShape);
    const half = (x: number | null | undefined) => (x == null ? null : x === 1 ? 1 : x / 2);
    return [n ?? null, half(h), half(w), c == null ? null : 2 * c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      if (x.shape[2] === 1) return tf.concat([x, x], 3);
      const a = maxPool2dShiftedGradient(x, 2, 2, 'valid');
      const b = maxPool2dShiftedGradient(x, 2, 2, [
        [0, 0],
        [1, 0],
        [1, 0],
        [0, 0],
      ]);
      return tf.concat([a, b], 3);
    });
  }

  /** Lipschitz constant (ℓ2), exact: √2. */
  lip(): number {
    return Math.SQRT2;
  }

  /** Distance to the initialisation: always 0 (no parameters). */
  dist(): number {
    return 0;
  }
}
tf.serialization.registerClass(PoolingShortcut);
