import { denseMatrix, singularValues } from '@lipkit/lipschitz-bounds';
import * as tf from '@tensorflow/tfjs-core';
import { ConstrainedKernelLayer, type ConstrainedKernelLayerArgs } from './constrainedKernelLayer.js';
import {
  type ConstrainedLayer,
  enforceBothConstraints,
  type ProjectionReport,
  type ProjectOptions,
  projectionReport,
} from './constrainedLayer.js';
import { ConstrainedLayersError, checkInteger } from './constrainedLayersError.js';
import { projectDenseConstraints } from './dykstraProjection.js';
import { groupNormDistance } from './groupNormBallProjection.js';
import { tfDenseKernelOf, torchDenseWeightOf } from './kernelLayout.js';
import { type LayerShape, singleShape } from './layerArgs.js';
import { pytorchUniformValues } from './pytorchUniformInit.js';

/** Options of {@link ConstrainedDense}. */
export interface ConstrainedDenseArgs extends ConstrainedKernelLayerArgs {
  /** Output features. */
  units: number;
}

/** σ_max of a TF dense kernel `[in, out]` (= that of the PyTorch weight, its transpose), float64 Jacobi SVD. */
function spectralNormOfDenseKernel(values: ArrayLike<number>, inFeatures: number, units: number): number {
  return singularValues(denseMatrix(inFeatures, units, values))[0] ?? 0;
}

/**
 * `y = x·W + b` with a Lipschitz limit `lipCond` on σ_max(W) and a limit `distCond` on the (2,1)-group distance
 * `Σ_o ‖W[:,o] − W⁰[:,o]‖₂` to the init snapshot W⁰ (spec §6.1; groups = output units). Init is PyTorch's
 * `U(±1/√in)` for W and b. The first call (build) rescales W to σ_max = lipCond·(1 − 2⁻²⁰) if it is above (the
 * margin absorbs float32 rounding; the original scales to lipCond exactly), then snapshots W⁰ (a non-trainable
 * weight, so it is saved with the model). `lip()` is exact (float64 one-sided Jacobi SVD of the float32 weights),
 * unlike the original's 100-step power iteration (a slight under-estimate).
 */
export class ConstrainedDense extends ConstrainedKernelLayer implements ConstrainedLayer {
  /** @nocollapse */
  static className = 'ConstrainedDense';
  readonly units: number;
  private inFeatures = 0;

  constructor(args: ConstrainedDenseArgs) {
    super(args);
    checkInteger('units', args.units, 1);
    this.units = args.units;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(inputShape);
    const inFeatures = shape[shape.length - 1];
    if (shape.length !== 2 || inFeatures == null) {
      throw new ConstrainedLayersError('inputShape', `got [${shape.join(', ')}]`, '[batch, features]');
    }
    this.inFeatures = inFeatures;
    const kernel = pytorchUniformValues(inFeatures * this.units, inFeatures, this.seed);
    this.createWeights(kernel, [inFeatures, this.units], inFeatures, this.units, (v) =>
      spectralNormOfDenseKernel(v, inFeatures, this.units),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    const { kernel, bias } = this.forwardWeights();
    return tf.tidy(() => {
      const y = tf.matMul(x, kernel as tf.Tensor2D);
      return bias ? tf.add(y, bias) : y;
    });
  }

  /** The kernel `[in, out]` (TF layout) and its init snapshot as float64 copies. */
  kernelValues(): { kernel: Float64Array; init: Float64Array; shape: [number, number] } {
    return { ...this.kernelAndInit(), shape: [this.inFeatures, this.units] };
  }

  /** Lipschitz constant σ_max(W), **exact** (float64 one-sided Jacobi SVD of the stored float32 weights). */
  lip(): number {
    return spectralNormOfDenseKernel(this.kernelValues().kernel, this.inFeatures, this.units);
  }

  /** (2,1) distance `Σ_o ‖W[:,o] − W⁰[:,o]‖₂` to the init snapshot (spec §1: one group per output unit), float64. */
  dist(): number {
    const { kernel, init } = this.kernelValues();
    const [n, m] = [this.inFeatures, this.units];
    return groupNormDistance(torchDenseWeightOf(kernel, n, m), torchDenseWeightOf(init, n, m), [m, n]);
  }

  /**
   * Projects W in place (`variable.assign`, so optimiser state is kept) onto
   * `{σ_max ≤ lipCond} ∩ {dist ≤ distCond}` by `nIter` Dykstra rounds over [distance ball, spectral ball] (spec
   * §6.1, numeric core's `projectDenseConstraints`; the SVD clip is last, so `lip ≤ lipCond` holds and the distance
   * may exceed slightly unless `guarantee: 'feasible'`). Returns how far the stored result is from each constraint.
   */
  project(nIter = 10, options: ProjectOptions = {}): ProjectionReport {
    checkInteger('nIter', nIter, 1);
    const { kernel, init } = this.kernelValues();
    const [n, m] = [this.inFeatures, this.units];
    const torchInit = torchDenseWeightOf(init, n, m);
    const { matrix } = projectDenseConstraints(
      denseMatrix(m, n, torchDenseWeightOf(kernel, n, m)),
      denseMatrix(m, n, torchInit),
      {
        lipCond: this.lipCond,
        distCond: this.distCond,
        rounds: nIter,
        mode: this.projMode,
        report: false, // measured below on the stored float32 weights
      },
    );
    let projected = matrix.data;
    if (options.guarantee === 'feasible') {
      projected = enforceBothConstraints(
        projected,
        torchInit,
        this.lipCond,
        this.distCond,
        (w) => singularValues(denseMatrix(m, n, w))[0] ?? 0,
        (w) => groupNormDistance(w, torchInit, [m, n]),
      );
    }
    this.writeKernel(tfDenseKernelOf(projected, n, m));
    return projectionReport(this.lip(), this.dist(), this.lipCond, this.distCond);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}
tf.serialization.registerClass(ConstrainedDense);
