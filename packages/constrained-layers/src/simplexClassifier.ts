import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  ConstrainedLayersError,
  checkConstraint,
  checkInteger,
  decodeConstraint,
  encodeConstraint,
} from './constrainedLayersError.js';
import { type BaseLayerArgs, type LayerShape, singleShape } from './layerArgs.js';

/**
 * Vertices of a regular (C−1)-simplex inscribed in the unit sphere of R^d, as a C×d row-major Float64Array
 * (rows = class prototypes). Closed form (spec §6.3): the rows of `(I − 11ᵀ/C)` normalised, written in the
 * Helmert orthonormal basis of 1^⊥ and padded with zeros to width d. Gram matrix: 1 on the diagonal and −1/(C−1)
 * off it; spectral norm √(C/(C−1)). Deterministic, unlike the original's optimised prototype files (Mettes et al.
 * 2019), which match this up to a rotation of R^d. Needs C ≥ 2 and d ≥ C−1.
 */
export function regularSimplexPrototypes(numClasses: number, dim: number): Float64Array {
  checkInteger('numClasses', numClasses, 2);
  checkInteger('dim', dim, 1);
  if (dim < numClasses - 1) {
    throw new ConstrainedLayersError(
      'dim',
      `${dim} features cannot hold a regular simplex of ${numClasses} classes`,
      `dim >= numClasses − 1 = ${numClasses - 1}`,
    );
  }
  const C = numClasses;
  const scale = Math.sqrt(C / (C - 1));
  const p = new Float64Array(C * dim);
  // Helmert column j (1-based, j = 1..C−1): (1,…,1 [j times], −j, 0,…)/√(j(j+1)).
  for (let j = 1; j < C; j++) {
    const norm = scale / Math.sqrt(j * (j + 1));
    for (let i = 0; i < j; i++) p[i * dim + (j - 1)] = norm;
    p[j * dim + (j - 1)] = -j * norm;
  }
  return p;
}

/** Options of {@link SimplexClassifier}. */
export interface SimplexClassifierArgs extends BaseLayerArgs {
  /** Number of classes C (≥ 2). */
  units: number;
  /** Desired Lipschitz constant K (> 0; `Infinity` or `null` = the simplex's own √(C/(C−1))). Default `Infinity`. */
  lipCond?: number | null;
}

/**
 * A frozen linear classifier `y = x·W` (no bias) whose C weight columns are the vertices of a regular simplex
 * (spec §6.3), scaled so that its spectral norm is `K = min(lipCond, √(C/(C−1)))`. Input: d ≥ C−1 features.
 * Not trainable; `dist()` is 0 and `project()` does nothing. Unlike the original, no prototype file or
 * `config.ini` is needed.
 */
export class SimplexClassifier extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'SimplexClassifier';
  readonly units: number;
  readonly lipCond: number;
  private kernel: tfl.LayerVariable | null = null;

  constructor(args: SimplexClassifierArgs) {
    super({ ...args, trainable: false });
    checkInteger('units', args.units, 2);
    this.lipCond = decodeConstraint(args.lipCond);
    checkConstraint('lipCond', this.lipCond);
    this.units = args.units;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(inputShape);
    const d = shape[shape.length - 1];
    if (shape.length !== 2 || d == null) {
      throw new ConstrainedLayersError('inputShape', `got [${shape.join(', ')}]`, '[batch, features]');
    }
    if (d < this.units - 1) {
      throw new ConstrainedLayersError(
        'inputShape',
        `${d} features cannot hold a regular simplex of ${this.units} classes`,
        `features >= units − 1 = ${this.units - 1}`,
      );
    }
    const p = regularSimplexPrototypes(this.units, d);
    const factor = this.lip() / Math.sqrt(this.units / (this.units - 1));
    // TF.js dense kernel = Pᵀ (d×C).
    const kernel = new Float32Array(d * this.units);
    for (let c = 0; c < this.units; c++) {
      for (let i = 0; i < d; i++) kernel[i * this.units + c] = (p[c * d + i] as number) * factor;
    }
    this.kernel = this.addWeight('kernel', [d, this.units], 'float32', tfl.initializers.zeros(), undefined, false);
    const value = tf.tensor2d(kernel, [d, this.units]);
    this.kernel.write(value);
    value.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(inputShape);
    return [shape[0] ?? null, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    return tf.tidy(() => tf.matMul(x, this.kernel?.read() as tf.Tensor2D));
  }

  /** Lipschitz constant (ℓ2), exact in closed form: `min(lipCond, √(C/(C−1)))`. */
  lip(): number {
    return Math.min(this.lipCond, Math.sqrt(this.units / (this.units - 1)));
  }

  /** Distance to the initialisation: always 0 (the layer is frozen). */
  dist(): number {
    return 0;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, lipCond: encodeConstraint(this.lipCond) };
  }
}
tf.serialization.registerClass(SimplexClassifier);
