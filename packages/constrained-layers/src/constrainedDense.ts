import { denseMatrix, singularValues } from '@lipkit/lipschitz-bounds';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  type ConstrainedLayer,
  checkProjMode,
  enforceBothConstraints,
  FLOAT32_SAFETY,
  type ProjectionReport,
  type ProjectOptions,
  projectionReport,
} from './constrainedLayer.js';
import {
  ConstrainedLayersError,
  checkConstraint,
  checkInteger,
  decodeConstraint,
  encodeConstraint,
} from './constrainedLayersError.js';
import { projectDenseConstraints } from './dykstraProjection.js';
import { groupNormDistance } from './groupNormBallProjection.js';
import { tfDenseKernelOf, torchDenseWeightOf } from './kernelLayout.js';
import { type BaseLayerArgs, type LayerShape, singleShape } from './layerArgs.js';
import type { ProjectionMode } from './projectionLimits.js';
import { pytorchUniformValues } from './pytorchUniformInit.js';

/** Options of {@link ConstrainedDense}. */
export interface ConstrainedDenseArgs extends BaseLayerArgs {
  /** Output features. */
  units: number;
  /** Add a bias (never constrained or projected, as in the original). Default true. */
  useBias?: boolean;
  /** Lipschitz (spectral-norm) limit, > 0; `Infinity` or `null` = none (default). */
  lipCond?: number | null;
  /** (2,1) distance-to-init limit, > 0; `Infinity` or `null` = none (default). */
  distCond?: number | null;
  /** How each projection moves a violating weight: `'orthogonal'` (default) or `'radial'` (spec §4.1/§4.2). */
  projMode?: ProjectionMode;
  /** Seed of the init (reproducible); default: `Math.random`. */
  seed?: number;
}

/** σ_max of a TF dense kernel `[in, out]` (= that of the PyTorch weight, its transpose), float64 Jacobi SVD. */
function spectralNormOfDenseKernel(values: ArrayLike<number>, inFeatures: number, units: number): number {
  return singularValues(denseMatrix(inFeatures, units, values))[0] ?? 0;
}

/**
 * `y = x·W + b` with a Lipschitz limit `lipCond` on σ_max(W) and a limit `distCond` on the (2,1)-group distance
 * `Σ_o ‖W[:,o] − W⁰[:,o]‖₂` to the init snapshot W⁰ (spec §6.1; groups = output units). Init is PyTorch's
 * `U(±1/√in)` for W and b. The first call (build) rescales W to σ_max = lipCond·(1 − 2⁻²⁰) if it is above (the margin absorbs float32
 * rounding; the original scales to lipCond exactly), then snapshots W⁰
 * (a non-trainable weight, so it is saved with the model). `lip()` is exact (float64 one-sided Jacobi SVD of the
 * float32 weights), unlike the original's 100-step power iteration (a slight under-estimate).
 */
export class ConstrainedDense extends tfl.layers.Layer implements ConstrainedLayer {
  /** @nocollapse */
  static className = 'ConstrainedDense';
  readonly units: number;
  readonly useBias: boolean;
  readonly lipCond: number;
  readonly distCond: number;
  readonly projMode: ProjectionMode;
  readonly seed: number | undefined;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;
  private initKernel: tfl.LayerVariable | null = null;
  private inFeatures = 0;

  constructor(args: ConstrainedDenseArgs) {
    super(args);
    checkInteger('units', args.units, 1);
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.lipCond = decodeConstraint(args.lipCond);
    this.distCond = decodeConstraint(args.distCond);
    checkConstraint('lipCond', this.lipCond);
    checkConstraint('distCond', this.distCond);
    this.projMode = checkProjMode(args.projMode);
    this.seed = args.seed;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(inputShape);
    const inFeatures = shape[shape.length - 1];
    if (shape.length !== 2 || inFeatures == null) {
      throw new ConstrainedLayersError('inputShape', `got [${shape.join(', ')}]`, '[batch, features]');
    }
    this.inFeatures = inFeatures;
    const kernel = pytorchUniformValues(inFeatures * this.units, inFeatures, this.seed);
    const lip = spectralNormOfDenseKernel(kernel, inFeatures, this.units);
    if (lip > this.lipCond)
      for (let i = 0; i < kernel.length; i++)
        kernel[i] = (kernel[i] as number) * ((this.lipCond * FLOAT32_SAFETY) / lip);
    const shape2d = [inFeatures, this.units];
    this.kernel = this.addWeight('kernel', shape2d, 'float32', tfl.initializers.zeros());
    this.writeKernel(kernel);
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], 'float32', tfl.initializers.zeros());
      const seed = this.seed === undefined ? undefined : this.seed + 1;
      const b = tf.tensor1d(pytorchUniformValues(this.units, inFeatures, seed));
      this.bias.write(b);
      b.dispose();
    }
    this.initKernel = this.addWeight('initKernel', shape2d, 'float32', tfl.initializers.zeros(), undefined, false);
    const k0 = tf.tensor2d(kernel, [inFeatures, this.units]);
    this.initKernel.write(k0);
    k0.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    return tf.tidy(() => {
      const y = tf.matMul(x, this.kernel?.read() as tf.Tensor2D);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  private requireBuilt(): { kernel: tfl.LayerVariable; initKernel: tfl.LayerVariable } {
    if (!this.kernel || !this.initKernel) {
      throw new ConstrainedLayersError('layer', `'${this.name}' is not built yet`, 'call it (or build it) once first');
    }
    return { kernel: this.kernel, initKernel: this.initKernel };
  }

  private writeKernel(values: ArrayLike<number>): void {
    const t = tf.tensor2d(Float32Array.from(values), [this.inFeatures, this.units]);
    this.kernel?.write(t); // assign in place: optimiser slots keyed by the variable stay valid
    t.dispose();
  }

  /** The kernel `[in, out]` (TF layout) and its init snapshot as float64 copies. */
  kernelValues(): { kernel: Float64Array; init: Float64Array; shape: [number, number] } {
    const { kernel, initKernel } = this.requireBuilt();
    return {
      kernel: Float64Array.from(kernel.read().dataSync()),
      init: Float64Array.from(initKernel.read().dataSync()),
      shape: [this.inFeatures, this.units],
    };
  }

  /** The bias as a float64 copy, or null. */
  biasValues(): Float64Array | null {
    return this.bias ? Float64Array.from(this.bias.read().dataSync()) : null;
  }

  /** Lipschitz constant σ_max(W), **exact** (float64 one-sided Jacobi SVD of the stored float32 weights). */
  lip(): number {
    const { kernel } = this.kernelValues();
    return spectralNormOfDenseKernel(kernel, this.inFeatures, this.units);
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
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      units: this.units,
      useBias: this.useBias,
      lipCond: encodeConstraint(this.lipCond),
      distCond: encodeConstraint(this.distCond),
      projMode: this.projMode,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
tf.serialization.registerClass(ConstrainedDense);
